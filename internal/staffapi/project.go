package staffapi

import (
	"net/http"
	"strconv"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// Activity pages: limit defaults to defaultActivityPage and may not exceed maxActivityPage.
const (
	defaultActivityPage = 50
	maxActivityPage     = 200
)

// listProjects lists the projects the caller may reach: active ones by default, archived
// ones with ?archived=true, optionally only those of one workspace.
func (a *api) listProjects(w http.ResponseWriter, r *http.Request, me caller) {
	archived, err := boolQuery(r, "archived")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	workspace := domain.ID(r.URL.Query().Get("workspace_id"))
	var out []projectView
	err = a.svc.Store().View(func(tx *store.Tx) error {
		projects, err := tx.Projects()
		if err != nil {
			return err
		}
		for _, p := range projects {
			if p.Archived != archived || (workspace != "" && p.WorkspaceID != workspace) {
				continue
			}
			if _, err := service.StaffProject(tx, me.ID, p.ID); err != nil {
				continue
			}
			v, err := a.viewProject(tx, p)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

func (a *api) viewProject(tx *store.Tx, p domain.Project) (projectView, error) {
	v := projectView{Project: p, DescriptionHTML: renderMarkdown(p.Description)}
	tasks, err := tx.Tasks(p.ID, false)
	for _, t := range tasks {
		v.Progress.add(t)
	}
	if err != nil {
		return v, err
	}
	v.Folder, err = a.svc.FolderState(tx, p.ID)
	return v, err
}

func (a *api) createProject(w http.ResponseWriter, r *http.Request, me caller) {
	var in service.ProjectInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	p, err := a.svc.CreateProject(me.ID, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, projectView{Project: p,
		DescriptionHTML: renderMarkdown(p.Description),
		Folder:          service.FolderStatus{State: service.FolderUnlinked}})
}

func (a *api) getProject(w http.ResponseWriter, r *http.Request, me caller) {
	var v projectView
	err := a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		var err error
		v, err = a.viewProject(tx, p)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// readProject runs fn in a read transaction with the project named in the path, when the
// caller may reach it.
func (a *api) readProject(r *http.Request, me caller,
	fn func(*store.Tx, domain.Project) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.svc.Store().View(func(tx *store.Tx) error {
		p, err := service.StaffProject(tx, me.ID, id)
		if err != nil {
			return err
		}
		return fn(tx, p)
	})
}

// updateProject changes name, description, auto_share or archived (archive and restore).
func (a *api) updateProject(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.ProjectUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	p, err := a.svc.UpdateProject(me.ID, id, in)
	a.respondProject(w, r, p, err)
}

type portalRequest struct {
	On *bool `json:"on"`
}

// setPortal turns the client portal of a project on or off.
func (a *api) setPortal(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in portalRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.On == nil {
		a.writeError(w, r, badRequest("on", "on is required: true or false"))
		return
	}
	p, err := a.svc.SetPortal(me.ID, id, *in.On)
	a.respondProject(w, r, p, err)
}

// unshare removes every client from the project and turns its portal off.
func (a *api) unshare(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.Unshare(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	var v projectView
	err = a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		v, err = a.viewProject(tx, p)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// respondProject answers a project change with the project and its progress.
func (a *api) respondProject(w http.ResponseWriter, r *http.Request, p domain.Project, err error) {
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var v projectView
	err = a.svc.Store().View(func(tx *store.Tx) error {
		v, err = a.viewProject(tx, p)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// activityPage is one page of a project's activity, newest first. NextBefore is the
// value of ?before= for the next, older page; 0 when this is the last.
type activityPage struct {
	Entries    []domain.Activity `json:"entries"`
	NextBefore uint64            `json:"next_before"`
}

// projectActivity pages through a project's activity feed, newest first.
func (a *api) projectActivity(w http.ResponseWriter, r *http.Request, me caller) {
	before, limit, err := activityQuery(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var out activityPage
	err = a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		out.Entries, err = tx.ProjectActivity(p.ID, before, limit)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if n := len(out.Entries); n == limit && out.Entries[n-1].Seq > 1 {
		out.NextBefore = out.Entries[n-1].Seq
	}
	out.Entries = list(out.Entries)
	writeJSON(w, http.StatusOK, out)
}

func activityQuery(r *http.Request) (before uint64, limit int, err error) {
	q := r.URL.Query()
	if s := q.Get("before"); s != "" {
		if before, err = strconv.ParseUint(s, 10, 64); err != nil {
			return 0, 0, badRequest("before", "before must be an entry's seq, a whole number")
		}
	}
	limit = defaultActivityPage
	if s := q.Get("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 || limit > maxActivityPage {
			return 0, 0, badRequest("limit",
				"limit must be a whole number from 1 to %d", maxActivityPage)
		}
	}
	return before, limit, nil
}

// boolQuery reads an optional true/false query parameter.
func boolQuery(r *http.Request, name string) (bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, badRequest(name, "%s must be true or false", name)
	}
	return v, nil
}
