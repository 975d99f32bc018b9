package staffapi

import (
	"fmt"
	"net/http"
	"strings"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// Previewer renders the client portal's pages as one client sees them, read-only, for
// staff. Every method writes a whole HTML response, headers included, that may be shown
// in a frame on the staff origin. Project, Task and Doc decide what the client sees through
// the access policy alone; they run only after the staff API has checked that the caller
// may reach the project, that the client is a member of it and, for Task and Doc, that the
// task or doc belongs to it. Methods may be called concurrently.
type Previewer interface {
	// Project writes the project page the client sees.
	Project(w http.ResponseWriter, r *http.Request, clientID, projectID domain.ID)
	// Task writes the task page the client sees.
	Task(w http.ResponseWriter, r *http.Request, clientID, projectID, taskID domain.ID)
	// Doc writes the doc page the client sees.
	Doc(w http.ResponseWriter, r *http.Request, clientID, projectID, docID domain.ID)
	// Problem writes an error page with status and a message for staff.
	Problem(w http.ResponseWriter, r *http.Request, status int, message string)
	// Stylesheet serves the stylesheet that preview pages load from
	// /api/v1/preview-static/portal.css.
	Stylesheet(w http.ResponseWriter, r *http.Request)
}

// errNoPreview answers the preview routes of a server built without a previewer.
var errNoPreview = &requestError{status: http.StatusNotFound,
	message: "previews are not available on this server"}

// previewProject shows a project as one of its clients sees it in the portal.
func (a *api) previewProject(w http.ResponseWriter, r *http.Request, me caller) {
	projectID, clientID, err := memberPath(r)
	if err == nil {
		err = a.checkPreview(me, projectID, clientID, "")
	}

	if err != nil {
		a.previewError(w, r, err)
		return
	}

	a.preview.Project(w, r, clientID, projectID)
}

// previewTask shows a task of the project as the client sees it in the portal.
func (a *api) previewTask(w http.ResponseWriter, r *http.Request, me caller) {
	projectID, clientID, err := memberPath(r)
	var taskID domain.ID
	if err == nil {
		taskID, err = pathID(r, "taskID")
	}

	if err == nil {
		err = a.checkPreview(me, projectID, clientID, taskID)
	}

	if err != nil {
		a.previewError(w, r, err)
		return
	}

	a.preview.Task(w, r, clientID, projectID, taskID)
}

// checkPreview refuses, as not found, a project the caller may not reach, a client who is
// not a member of it and a task of another project. Only the first hides whether the
// project exists: the others are about a project the caller may already read.
func (a *api) checkPreview(me caller, projectID, clientID, taskID domain.ID) error {
	if a.preview == nil {
		return errNoPreview
	}

	return a.svc.Store().View(func(tx *store.Tx) error {
		if _, err := service.StaffProject(tx, me.ID, projectID); err != nil {
			return err
		}

		if !tx.IsMember(projectID, clientID) {
			return &requestError{status: http.StatusNotFound, field: "clientID",
				message: "this client is not on this project"}
		}

		if taskID == "" {
			return nil
		}

		t, err := tx.Task(taskID)
		if err != nil {
			return err
		}

		if t.ProjectID != projectID {
			return &requestError{status: http.StatusNotFound, field: "taskID",
				message: fmt.Sprintf("task %s is not in this project", taskID)}
		}

		return nil
	})
}

// previewError answers a refused preview as an HTML page when the request accepts one, as
// a frame does, and as JSON otherwise.
func (a *api) previewError(w http.ResponseWriter, r *http.Request, err error) {
	if a.preview == nil || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		a.writeError(w, r, err)
		return
	}

	status, body := a.describe(err)
	if status >= http.StatusInternalServerError {
		a.log.Error("staff api request failed", "path", r.URL.Path, "error", err)
	}

	a.preview.Problem(w, r, status, body.Error)
}

// previewStylesheet serves the portal stylesheet to preview pages. It is public, like the
// portal's own copy.
func (a *api) previewStylesheet(w http.ResponseWriter, r *http.Request) {
	if a.preview == nil {
		a.writeError(w, r, errNoPreview)
		return
	}

	a.preview.Stylesheet(w, r)
}
