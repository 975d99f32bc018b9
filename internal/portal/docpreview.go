package portal

import (
	"errors"
	"fmt"
	"net/http"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// Doc writes the doc page that the client sees, as Task does for tasks; a doc of another
// project is one the client cannot see here.
func (pv *Preview) Doc(w http.ResponseWriter, r *http.Request,
	clientID, projectID, docID domain.ID) {
	previewHeaders(w.Header())
	var page docPage
	s, err := pv.read(clientID, projectID, func(tx *store.Tx) error {
		var err error
		page, err = pv.p.readDoc(tx, clientID, docID)
		if err == nil && page.ProjectID != projectID {
			err = fmt.Errorf("doc %s is in another project: %w", docID, domain.ErrNotFound)
		}

		if errors.Is(err, domain.ErrNotFound) {
			err = &hiddenError{reason: docHiddenReason(tx, clientID, projectID, docID), err: err}
		}

		return err
	})
	if err != nil {
		pv.fail(w, r, s, err)
		return
	}

	page.renderMarkdown()
	pv.p.render(w, http.StatusOK, "doc", viewOf(page.Title, s, page))
}

// docHiddenReason tells staff why the client cannot see the doc; like hiddenReason, it
// only names the first rule of the policy that fails.
func docHiddenReason(tx *store.Tx, clientID, projectID, docID domain.ID) string {
	if _, err := access.Project(tx, clientID, projectID); err != nil {
		return projectHiddenReason(tx, clientID, projectID)
	}

	d, err := tx.Doc(docID)
	switch {
	case err != nil || d.ProjectID != projectID:
		return "the doc is not in this project"
	case !d.Shared:
		return "the doc is not shared"
	}

	return "the doc is not visible to them"
}
