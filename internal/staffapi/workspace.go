package staffapi

import (
	"net/http"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// listWorkspaces lists the workspaces the caller may use: every shared one and their own
// personal one. A personal workspace is private to its member, even from owners.
func (a *api) listWorkspaces(w http.ResponseWriter, r *http.Request, me caller) {
	var out []domain.Workspace
	err := a.svc.Store().View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		for _, ws := range all {
			if service.CanUseWorkspace(me.Staff, ws) {
				out = append(out, ws)
			}
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

type workspaceRequest struct {
	Name string `json:"name"`
}

// createWorkspace adds a shared workspace.
func (a *api) createWorkspace(w http.ResponseWriter, r *http.Request, me caller) {
	var in workspaceRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	ws, err := a.svc.CreateWorkspace(me.ID, in.Name)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ws)
}
