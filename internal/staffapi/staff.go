package staffapi

import (
	"net/http"

	"portico/internal/service"
	"portico/internal/store"
)

// staffInviteView answers adding a staff member: the member and the invite link, shown
// this once.
type staffInviteView struct {
	Staff  staffView `json:"staff"`
	Link   string    `json:"link"`
	Mailed bool      `json:"mailed"`
}

// listStaff lists every staff member; any staff member may see the team, to assign work.
func (a *api) listStaff(w http.ResponseWriter, r *http.Request, me caller) {
	var out []staffView
	err := a.svc.Store().View(func(tx *store.Tx) error {
		staff, err := tx.AllStaff()
		for _, s := range staff {
			out = append(out, viewStaff(s))
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

// inviteStaff adds a staff member (owners only).
func (a *api) inviteStaff(w http.ResponseWriter, r *http.Request, me caller) {
	var in service.StaffInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	st, link, err := a.svc.InviteStaff(me.ID, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated,
		staffInviteView{Staff: viewStaff(st), Link: link, Mailed: a.svc.MailEnabled()})
}

// updateStaff changes a staff member's name, role or disabled flag (owners only).
func (a *api) updateStaff(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var in service.StaffUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	st, err := a.svc.UpdateStaff(me.ID, id, in)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewStaff(st))
}

// reissueStaffInvite makes a new invite link for a member who has not joined yet (owners
// only); the old link stops working.
func (a *api) reissueStaffInvite(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	st, link, err := a.svc.ReissueStaffInvite(me.ID, id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK,
		staffInviteView{Staff: viewStaff(st), Link: link, Mailed: a.svc.MailEnabled()})
}

// staffResetView answers a reset link: shown this once, stored nowhere in clear.
type staffResetView struct {
	Staff staffView `json:"staff"`
	Link  string    `json:"link"`
}

// issueStaffResetLink makes a one-time password-reset link for another staff member
// (owners only), to hand over when Portico cannot mail one. Their earlier reset links stop
// working; their password and sessions stay until the link is used.
func (a *api) issueStaffResetLink(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	st, link, err := a.svc.IssueStaffResetLink(me.ID, id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, staffResetView{Staff: viewStaff(st), Link: link})
}
