package store

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"portico/internal/domain"
)

// Folder files are stored whole under their ID. folder_files_by_project lists every record
// of a project, deleted ones included, with one flag byte (flagShared); folder_files_by_rel
// maps "projectID/rel" to the live record of that path; folder_files_by_blob lists live
// records under their content's SHA-256, so contents are kept while a live record needs
// them. folder_links maps a project's ID to the path of its linked folder.

// FolderFile returns the folder file with id, deleted or not.
func (tx *Tx) FolderFile(id domain.ID) (domain.FolderFile, error) {
	return get[domain.FolderFile](tx, bucketFolderFiles, []byte(id))
}

// FolderFiles returns a project's live folder files ordered by path. With sharedOnly,
// files whose shared switch is off are skipped without being read.
func (tx *Tx) FolderFiles(projectID domain.ID, sharedOnly bool) ([]domain.FolderFile, error) {
	var out []domain.FolderFile
	err := children(tx, bucketFolderByProj, projectID, func(id domain.ID, flags []byte) error {
		if sharedOnly && (len(flags) == 0 || flags[0]&flagShared == 0) {
			return nil
		}
		f, err := tx.FolderFile(id)
		if err != nil {
			return err
		}
		if !f.Deleted {
			out = append(out, f)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b domain.FolderFile) int { return cmp.Compare(a.Rel, b.Rel) })
	return out, err
}

// FolderFilesAfter returns up to limit folder files of every project, deleted ones
// included, in ID order after the ID after ("" starts at the beginning).
func (tx *Tx) FolderFilesAfter(after domain.ID, limit int) ([]domain.FolderFile, error) {
	return scanAfter(tx, bucketFolderFiles, after, limit, decodeJSON[domain.FolderFile])
}

// FolderFileByRel returns the live folder file of a project at path rel.
func (tx *Tx) FolderFileByRel(projectID domain.ID, rel string) (domain.FolderFile, error) {
	id := tx.tx.Bucket(bucketFolderByRel).Get(relKey(projectID, rel))
	if id == nil {
		return domain.FolderFile{}, fmt.Errorf("folder file %s of project %s: %w", rel, projectID,
			domain.ErrNotFound)
	}
	return tx.FolderFile(domain.ID(id))
}

// PutFolderFile creates or replaces a folder file and keeps its indexes: a deleted record
// leaves the path and content indexes.
func (tx *Tx) PutFolderFile(f domain.FolderFile) error {
	if old, err := tx.FolderFile(f.ID); err == nil {
		if err := tx.unindexFolderFile(old); err != nil {
			return err
		}
	}
	flags := byte(0)
	if f.Shared {
		flags |= flagShared
	}
	if err := tx.tx.Bucket(bucketFolderByProj).Put(pair(f.ProjectID, f.ID), []byte{flags}); err != nil {
		return fmt.Errorf("index folder file %s: %w", f.ID, err)
	}
	if !f.Deleted {
		if err := tx.tx.Bucket(bucketFolderByRel).Put(relKey(f.ProjectID, f.Rel), []byte(f.ID)); err != nil {
			return fmt.Errorf("index folder file %s: %w", f.ID, err)
		}
		if err := tx.tx.Bucket(bucketFolderByBlob).Put(pair(domain.ID(f.SHA256), f.ID), nil); err != nil {
			return fmt.Errorf("index folder file %s: %w", f.ID, err)
		}
	}
	return put(tx, bucketFolderFiles, []byte(f.ID), f)
}

func (tx *Tx) unindexFolderFile(f domain.FolderFile) error {
	key := relKey(f.ProjectID, f.Rel)
	if bytes.Equal(tx.tx.Bucket(bucketFolderByRel).Get(key), []byte(f.ID)) {
		if err := del(tx, bucketFolderByRel, key); err != nil {
			return err
		}
	}
	return del(tx, bucketFolderByBlob, pair(domain.ID(f.SHA256), f.ID))
}

// FolderLink returns the path of the project's linked folder, or ErrNotFound.
func (tx *Tx) FolderLink(projectID domain.ID) (string, error) {
	v := tx.tx.Bucket(bucketFolderLinks).Get([]byte(projectID))
	if v == nil {
		return "", fmt.Errorf("folder of project %s: %w", projectID, domain.ErrNotFound)
	}
	return string(v), nil
}

// FolderLinks returns every linked folder by project ID.
func (tx *Tx) FolderLinks() (map[domain.ID]string, error) {
	out := map[domain.ID]string{}
	err := tx.tx.Bucket(bucketFolderLinks).ForEach(func(k, v []byte) error {
		out[domain.ID(k)] = string(v)
		return nil
	})
	return out, err
}

// PutFolderLink links the project to the folder at path, replacing any previous link.
func (tx *Tx) PutFolderLink(projectID domain.ID, path string) error {
	if err := tx.tx.Bucket(bucketFolderLinks).Put([]byte(projectID), []byte(path)); err != nil {
		return fmt.Errorf("link folder of project %s: %w", projectID, err)
	}
	return nil
}

// DeleteFolderLink removes the project's link; its folder files stay.
func (tx *Tx) DeleteFolderLink(projectID domain.ID) error {
	return del(tx, bucketFolderLinks, []byte(projectID))
}

// folderBlobInUse reports whether a live folder file refers to the content sha.
func (tx *Tx) folderBlobInUse(sha string) bool {
	used := false
	_ = children(tx, bucketFolderByBlob, domain.ID(sha), func(domain.ID, []byte) error {
		used = true
		return errStop
	})
	return used
}

// folderBlobs adds the content of every live folder file to set.
func (tx *Tx) folderBlobs(set map[string]bool) error {
	return tx.tx.Bucket(bucketFolderByBlob).ForEach(func(k, _ []byte) error {
		if i := bytes.IndexByte(k, '/'); i > 0 {
			set[string(k[:i])] = true
		}
		return nil
	})
}

func relKey(projectID domain.ID, rel string) []byte {
	return []byte(string(projectID) + "/" + rel)
}
