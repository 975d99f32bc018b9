package portal

import (
	"fmt"
	"net/http"
	"path"

	"portico/internal/access"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/store"
)

// folderFileRow is one shared file of the project's linked folder on the project page.
type folderFileRow struct {
	ID        domain.ID
	Rel       string
	Size      string
	TimeLabel string
}

func newFolderFileRows(files []domain.FolderFile) []folderFileRow {
	rows := make([]folderFileRow, len(files))
	for i, f := range files {
		rows[i] = folderFileRow{ID: f.ID, Rel: f.Rel, Size: formatSize(f.Size),
			TimeLabel: timeLabel(f.Updated)}
	}
	return rows
}

// downloadFolderFile sends a folder file the client may see, like download does for task
// files; a hidden, unshared or deleted one is a missing one.
func (p *Portal) downloadFolderFile(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	var f domain.FolderFile
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		f, err = access.FolderFile(tx, c.ID, id)
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}

	content, err := p.svc.Blobs().Open(f.SHA256)
	if err != nil {
		p.fail(w, r, fmt.Errorf("open folder file %s: %w", f.ID, err))
		return
	}

	defer content.Close()
	blob.ServeFile(&frameGuard{ResponseWriter: w}, r, content, blob.Download{
		Name: path.Base(f.Rel), ContentType: f.ContentType, ModTime: f.ModTime, SHA256: f.SHA256,
	})
}
