package staffapi

import (
	"fmt"
	"net/http"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// accountView is a client account with the projects of theirs the caller may reach.
type accountView struct {
	clientView
	ProjectIDs []domain.ID `json:"project_ids"`
}

// listMembers lists the clients of a project with their invite status.
func (a *api) listMembers(w http.ResponseWriter, r *http.Request, me caller) {
	var out []memberView
	err := a.readProject(r, me, func(tx *store.Tx, p domain.Project) error {
		members, err := tx.Members(p.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			c, err := tx.Client(m.ClientID)
			if err != nil {
				return err
			}
			out = append(out, memberView{clientView: viewClient(c), Added: m.Added})
		}
		return nil
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

// addClient adds a client to a project by email. The answer carries the invite link once
// when one was made; it is never logged.
func (a *api) addClient(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.ClientInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	inv, err := a.svc.AddClient(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewInvite(inv))
}

func viewInvite(inv service.Invite) inviteView {
	return inviteView{Client: viewClient(inv.Client), Link: inv.Link, Mailed: inv.Mailed}
}

// reissueInvite makes a new invite link for a client who has not accepted, killing the
// old one.
func (a *api) reissueInvite(w http.ResponseWriter, r *http.Request, me caller) {
	projectID, clientID, err := memberPath(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	inv, err := a.svc.ReissueInvite(me.ID, projectID, clientID)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewInvite(inv))
}

// removeClient takes one client off a project, effective at the client's next request.
func (a *api) removeClient(w http.ResponseWriter, r *http.Request, me caller) {
	projectID, clientID, err := memberPath(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.RemoveClient(me.ID, projectID, clientID); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func memberPath(r *http.Request) (projectID, clientID domain.ID, err error) {
	if projectID, err = pathID(r, "id"); err != nil {
		return "", "", err
	}
	clientID, err = pathID(r, "clientID")
	return projectID, clientID, err
}

// listClients lists client accounts: every one for owners, who manage accounts; for
// members, the clients of projects they may reach.
func (a *api) listClients(w http.ResponseWriter, r *http.Request, me caller) {
	var out []accountView
	err := a.svc.Store().View(func(tx *store.Tx) error {
		clients, err := tx.AllClients()
		if err != nil {
			return err
		}
		for _, c := range clients {
			v, ok, err := viewAccount(tx, me, c)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, v)
			}
		}
		return nil
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

// viewAccount returns a client as the caller may see it, and whether they may.
func viewAccount(tx *store.Tx, me caller, c domain.Client) (accountView, bool, error) {
	ids, err := tx.MemberProjects(c.ID)
	if err != nil {
		return accountView{}, false, err
	}
	v := accountView{clientView: viewClient(c), ProjectIDs: []domain.ID{}}
	for _, id := range ids {
		if _, err := service.StaffProject(tx, me.ID, id); err == nil {
			v.ProjectIDs = append(v.ProjectIDs, id)
		}
	}
	visible := me.Role == domain.RoleOwner || len(v.ProjectIDs) > 0
	return v, visible, nil
}

type clientUpdate struct {
	Disabled *bool `json:"disabled"`
}

// updateClient disables or re-enables a client account; disabling ends its sessions.
func (a *api) updateClient(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in clientUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.Disabled == nil {
		a.writeError(w, r, badRequest("disabled", "disabled is required: true or false"))
		return
	}
	if err := a.checkClientVisible(me, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	c, err := a.svc.SetClientDisabled(me.ID, id, *in.Disabled)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var v accountView
	err = a.svc.Store().View(func(tx *store.Tx) error {
		v, _, err = viewAccount(tx, me, c)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// checkClientVisible refuses, as not found, a client the caller may not see.
func (a *api) checkClientVisible(me caller, id domain.ID) error {
	return a.svc.Store().View(func(tx *store.Tx) error {
		c, err := tx.Client(id)
		if err != nil {
			return err
		}
		_, ok, err := viewAccount(tx, me, c)
		if err == nil && !ok {
			err = fmt.Errorf("client %s: %w", id, domain.ErrNotFound)
		}
		return err
	})
}
