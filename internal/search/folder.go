package search

import (
	"cmp"
	"errors"
	"slices"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// folderFileRules are the search rules of folder files, found by their path in the
// linked folder: the policy shows a shared, live folder file of a project the client may
// see. Deleted folder files are never indexed.
var folderFileRules = kindRules{
	admits: func(d document) bool { return d.Shared },
	client: func(tx *store.Tx, clientID, id domain.ID) (record, error) {
		f, err := access.FolderFile(tx, clientID, id)
		return folderFileRecord(f), err
	},
	staff: func(tx *store.Tx, staffID, id domain.ID) (record, error) {
		f, err := service.StaffFolderFile(tx, staffID, id)
		return folderFileRecord(f), err
	},
}

// folderFileRecord is titled with the file's path, so that a name found in a subfolder
// shows where it lies.
func folderFileRecord(f domain.FolderFile) record {
	return record{kind: KindFolderFile, id: f.ID, projectID: f.ProjectID, title: f.Rel,
		fileName: true}
}

func folderFileDocument(f domain.FolderFile) document {
	d := document{Kind: string(KindFolderFile), ProjectID: string(f.ProjectID), Shared: f.Shared}
	d.withName(f.Rel)
	return d
}

// resyncFolderFile writes a folder file's current document, or deletes it when the file
// is gone from the folder.
func (w *writer) resyncFolderFile(tx *store.Tx, id domain.ID) error {
	f, err := tx.FolderFile(id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && f.Deleted) {
		w.remove(KindFolderFile, id)
		return nil
	}
	if err != nil {
		return err
	}

	return w.put(KindFolderFile, id, folderFileDocument(f))
}

// scanFolderFiles indexes the live folder files of up to limit projects with an ID after
// the given one: the store lists folder files by project, not by ID.
func scanFolderFiles(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error) {
	projects, err := tx.Projects()
	if err != nil {
		return "", err
	}

	slices.SortFunc(projects, func(a, b domain.Project) int { return cmp.Compare(a.ID, b.ID) })
	var last domain.ID
	for _, p := range projects {
		if p.ID <= after {
			continue
		}
		if limit--; limit < 0 {
			break
		}
		files, err := tx.FolderFiles(p.ID, false)
		if err != nil {
			return "", err
		}
		for _, f := range files {
			if err := w.put(KindFolderFile, f.ID, folderFileDocument(f)); err != nil {
				return "", err
			}
		}
		last = p.ID
	}

	return last, nil
}
