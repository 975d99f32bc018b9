package portal

import (
	"fmt"
	"net/http"

	"portico/internal/access"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/store"
)

// download sends a file the client may see as an attachment (raster images inline), with
// the blob package's safe headers; a hidden file is a missing one.
func (p *Portal) download(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	var f domain.File
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		f, err = access.File(tx, c.ID, id)
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}

	content, err := p.svc.OpenBlob(f)
	if err != nil {
		p.fail(w, r, fmt.Errorf("open file %s: %w", f.ID, err))
		return
	}

	defer content.Close()
	blob.ServeFile(&frameGuard{ResponseWriter: w}, r, content, blob.Download{
		Name: f.Name, ContentType: f.ContentType, ModTime: f.Created, SHA256: f.SHA256,
	})
}
