package portal

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// The staff API's addresses that preview pages link to; internal/staffapi serves them,
// and its tests follow every kind of link a preview holds.
const (
	previewStylesheet = "/api/v1/preview-static/portal.css"
	staffProjects     = "/api/v1/projects/"
	staffFiles        = "/api/v1/files/"
	staffFolderFiles  = "/api/v1/folder-files/"
)

// Preview renders portal pages as one client sees them, for staff: the same access policy
// calls and the same templates as the portal, read-only, with links that stay inside the
// preview. No client session is involved. The caller checks the staff member's rights and
// that the client is a member of the project; the preview decides nothing about either.
type Preview struct {
	p *Portal
}

// NewPreview returns a preview over the portal's service; it uses only Service and Logger
// from opts.
func NewPreview(opts Options) *Preview {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	return &Preview{p: &Portal{svc: opts.Service, log: logger,
		agency: opts.Service.Config().AgencyName, static: loadStatic()}}
}

// Project writes the project page that the client sees. When the client would get the
// portal's "Page not found", the preview shows that page with a note saying why.
func (pv *Preview) Project(w http.ResponseWriter, r *http.Request, clientID, projectID domain.ID) {
	previewHeaders(w.Header())
	var pview access.ProjectView
	s, err := pv.read(clientID, projectID, func(tx *store.Tx) error {
		var err error
		pview, err = access.ViewProject(tx, clientID, projectID)
		return err
	})
	if err != nil {
		pv.fail(w, r, s, err)
		return
	}

	page := newProjectPage(pview, clientID, s)
	pv.p.render(w, http.StatusOK, "project", viewOf(page.Name, s, page))
}

// Task writes the task page that the client sees, as Project does; a task of another
// project is one the client cannot see here.
func (pv *Preview) Task(w http.ResponseWriter, r *http.Request,
	clientID, projectID, taskID domain.ID) {
	previewHeaders(w.Header())
	var page taskPage
	s, err := pv.read(clientID, projectID, func(tx *store.Tx) error {
		var err error
		page, err = pv.p.readTask(tx, clientID, taskID)
		if err == nil && page.ProjectID != projectID {
			err = fmt.Errorf("task %s is in another project: %w", taskID, domain.ErrNotFound)
		}

		if errors.Is(err, domain.ErrNotFound) {
			err = &hiddenError{reason: hiddenReason(tx, clientID, projectID, taskID), err: err}
		}

		return err
	})
	if err != nil {
		pv.fail(w, r, s, err)
		return
	}

	page.renderMarkdown()
	pv.p.render(w, http.StatusOK, "task", viewOf(page.Title, s, page))
}

// Problem writes an error page in the preview's look, for a request refused before any
// page could be shown; message is a sentence for staff.
func (pv *Preview) Problem(w http.ResponseWriter, _ *http.Request, status int, message string) {
	previewHeaders(w.Header())
	s := &site{Stylesheet: previewStylesheet, ReadOnly: true}
	heading := "Preview not available"
	if status >= http.StatusInternalServerError {
		heading = "Something went wrong"
	}

	pv.p.render(w, status, "problem", viewOf(heading, s,
		problem{Heading: heading, Message: sentence(message)}))
}

// Stylesheet serves the portal stylesheet that preview pages load.
func (pv *Preview) Stylesheet(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, pv.p.static["portal.css"])
}

func viewOf(title string, s *site, data any) view {
	return view{Title: title, Site: s, Data: data}
}

// read reads the client's name and runs load in the same read transaction, and returns
// the preview's site for the client and project. A project the client cannot see is
// explained in the error.
func (pv *Preview) read(clientID, projectID domain.ID, load func(*store.Tx) error) (*site, error) {
	base := staffProjects + string(projectID) + "/preview/" + string(clientID)
	s := &site{Stylesheet: previewStylesheet, ReadOnly: true, project: base,
		taskPrefix: base + "/t/", docPrefix: base + "/d/", filePrefix: staffFiles,
		fileSuffix: "/content", folderPrefix: staffFolderFiles}
	err := pv.p.svc.Store().View(func(tx *store.Tx) error {
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}

		s.Viewer = c.Name
		if s.Viewer == "" {
			s.Viewer = c.Email
		}

		err = load(tx)
		var hidden *hiddenError
		if errors.Is(err, domain.ErrNotFound) && !errors.As(err, &hidden) {
			err = &hiddenError{reason: hiddenReason(tx, clientID, projectID, ""), err: err}
		}

		return err
	})
	return s, err
}

// hiddenError is an object the client cannot see, with the reason staff are told.
type hiddenError struct {
	reason string
	err    error
}

func (e *hiddenError) Error() string { return e.reason + ": " + e.err.Error() }

func (e *hiddenError) Unwrap() error { return e.err }

// fail shows the portal's own page for a hidden object, with the reason as a note, and
// logs anything else.
func (pv *Preview) fail(w http.ResponseWriter, r *http.Request, s *site, err error) {
	var hidden *hiddenError
	if !errors.As(err, &hidden) && errors.Is(err, domain.ErrNotFound) {
		pv.Problem(w, r, http.StatusNotFound, "the client or the project no longer exists")
		return
	}

	if hidden == nil {
		pv.p.log.Error("preview failed", "path", r.URL.Path, "error", err)
		pv.Problem(w, r, http.StatusInternalServerError,
			"the preview could not be made; the server log has details")
		return
	}

	s.Note = s.Viewer + " gets “Page not found” here: " + hidden.reason + "."
	pv.p.render(w, http.StatusOK, "problem", viewOf(notFoundPage.Heading, s, notFoundPage))
}

// previewHeaders are the portal's page headers, but the staff UI shows a preview in a
// frame on its own origin, so framing by that origin is allowed, and a preview posts
// nothing, so no form may be sent.
func previewHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; "+
		"frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// hiddenReason tells staff why the client cannot see the project or, with taskID, the
// task. The access policy alone decides that they cannot; this only names the first rule
// that fails, in the policy's order.
func hiddenReason(tx *store.Tx, clientID, projectID, taskID domain.ID) string {
	if _, err := access.Project(tx, clientID, projectID); err != nil {
		return projectHiddenReason(tx, clientID, projectID)
	}

	if taskID == "" {
		return "the project is not visible to them"
	}

	t, err := tx.Task(taskID)
	switch {
	case err != nil || t.ProjectID != projectID:
		return "the task is not in this project"
	case !t.Shared:
		return "the task is not shared"
	case t.MilestoneID != "":
		if _, err := access.Milestone(tx, clientID, t.MilestoneID); err != nil {
			return "the milestone of the task is not shared"
		}
	}

	return "the task is not visible to them"
}

func projectHiddenReason(tx *store.Tx, clientID, projectID domain.ID) string {
	p, err := tx.Project(projectID)
	if err != nil {
		return "the project does not exist"
	}

	ws, wsErr := tx.Workspace(p.WorkspaceID)
	c, clientErr := tx.Client(clientID)
	switch {
	case !p.PortalOn:
		return "the portal of this project is off"
	case p.Archived:
		return "the project is archived"
	case wsErr != nil || ws.Kind != domain.WorkspaceShared:
		return "the project is in a personal workspace, which is never shared"
	case !tx.IsMember(projectID, clientID):
		return "they are not a client of this project"
	case clientErr != nil || c.Disabled:
		return "their account is disabled"
	}

	return "the project is not visible to them"
}
