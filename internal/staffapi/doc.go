package staffapi

import (
	"net/http"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// docSummary is a doc in a list: everything but the body.
type docSummary struct {
	ID        domain.ID    `json:"id"`
	ProjectID domain.ID    `json:"project_id"`
	Title     string       `json:"title"`
	Shared    bool         `json:"shared"`
	Version   int          `json:"version"`
	Created   time.Time    `json:"created"`
	Updated   time.Time    `json:"updated"`
	UpdatedBy domain.Actor `json:"updated_by"`
}

func summarizeDoc(d domain.Doc) docSummary {
	return docSummary{ID: d.ID, ProjectID: d.ProjectID, Title: d.Title, Shared: d.Shared,
		Version: d.Version, Created: d.Created, Updated: d.Updated, UpdatedBy: d.UpdatedBy}
}

// listDocs lists a project's docs by title, without their bodies.
func (a *api) listDocs(w http.ResponseWriter, r *http.Request, me caller) {
	var out []docSummary
	err := a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		docs, err := tx.Docs(p.ID, false)
		for _, d := range docs {
			out = append(out, summarizeDoc(d))
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

// createDoc adds a doc with its first version; shared defaults to the project's
// auto-share toggle.
func (a *api) createDoc(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.DocInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.BaseVersion != nil {
		a.writeError(w, r, badRequest("base_version", "base_version is for changing a doc"))
		return
	}
	d, err := a.svc.CreateDoc(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (a *api) getDoc(w http.ResponseWriter, r *http.Request, me caller) {
	var out domain.Doc
	err := a.readDoc(r, me, func(_ *store.Tx, d domain.Doc) error {
		out = d
		return nil
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// readDoc runs fn in a read transaction with the doc named in the path, when the caller
// may reach its project.
func (a *api) readDoc(r *http.Request, me caller, fn func(*store.Tx, domain.Doc) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.svc.Store().View(func(tx *store.Tx) error {
		d, err := service.StaffDoc(tx, me.ID, id)
		if err != nil {
			return err
		}
		return fn(tx, d)
	})
}

// updateDoc changes a doc's title, body or shared switch; a changed title or body is
// saved as a new version.
func (a *api) updateDoc(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.DocInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	d, err := a.svc.UpdateDoc(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// deleteDoc removes a doc with its versions and comments; the log keeps only the fact.
func (a *api) deleteDoc(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.DeleteDoc(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
