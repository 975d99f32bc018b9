package staffapi

import (
	"fmt"
	"net/http"

	"portico/internal/domain"
	"portico/internal/store"
)

// previewDoc shows a doc of the project as the client sees it in the portal.
func (a *api) previewDoc(w http.ResponseWriter, r *http.Request, me caller) {
	projectID, clientID, err := memberPath(r)
	var docID domain.ID
	if err == nil {
		docID, err = pathID(r, "docID")
	}

	if err == nil {
		err = a.checkPreview(me, projectID, clientID, "")
	}

	if err == nil {
		err = a.checkPreviewDoc(projectID, docID)
	}

	if err != nil {
		a.previewError(w, r, err)
		return
	}

	a.preview.Doc(w, r, clientID, projectID, docID)
}

// checkPreviewDoc refuses, as not found, a doc of another project; the caller has checked
// that the caller may reach the project.
func (a *api) checkPreviewDoc(projectID, docID domain.ID) error {
	return a.svc.Store().View(func(tx *store.Tx) error {
		d, err := tx.Doc(docID)
		if err != nil {
			return err
		}

		if d.ProjectID != projectID {
			return &requestError{status: http.StatusNotFound, field: "docID",
				message: fmt.Sprintf("doc %s is not in this project", docID)}
		}

		return nil
	})
}
