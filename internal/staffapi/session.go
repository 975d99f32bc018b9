package staffapi

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/store"
	"portico/internal/web"
)

// sessionView answers a sign-in: the token for scripts (the same secret the cookie holds)
// and the signed-in staff member.
type sessionView struct {
	Token string    `json:"token"`
	Staff staffView `json:"staff"`
}

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *api) signIn(w http.ResponseWriter, r *http.Request) {
	var in signInRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	addr := a.proxies.ClientAddr(r)
	if !a.allowSignIn(addr, in.Email) {
		a.log.Warn("staff sign-in rate limited", "remote_addr", addr)
		tooManyAttempts(w)
		return
	}
	secret, who, err := a.svc.SignIn(domain.ActorStaff, in.Email, in.Password)
	if err != nil {
		a.log.Warn("staff sign-in failed", "remote_addr", addr, "error", err)
		a.writeError(w, r, err)
		return
	}
	a.startSession(w, r, http.StatusOK, secret, who.ID)
}

// allowSignIn spends one attempt from the caller's address and one from the account.
func (a *api) allowSignIn(addr, email string) bool {
	key := addr
	if ip, err := netip.ParseAddr(addr); err == nil {
		key = auth.AddressKey(ip)
	}
	okAddr := a.addrLimit.Allow(key)
	okAccount := a.accountLimit.Allow(strings.ToLower(strings.TrimSpace(email)))
	return okAddr && okAccount
}

func tooManyAttempts(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(auth.AccountEvery.Seconds())))
	writeJSON(w, http.StatusTooManyRequests,
		errorBody{Error: "too many sign-in attempts; wait a little and try again"})
}

// startSession sets the session cookie and answers with the token and the staff member.
func (a *api) startSession(w http.ResponseWriter, r *http.Request, status int, secret string,
	id domain.ID) {
	var st domain.Staff
	err := a.svc.Store().View(func(tx *store.Tx) error {
		var err error
		st, err = tx.Staff(id)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	web.SetSession(w, web.StaffCookie, secret)
	writeJSON(w, status, sessionView{Token: secret, Staff: viewStaff(st)})
}

func (a *api) signOut(w http.ResponseWriter, r *http.Request, me caller) {
	if err := a.svc.SignOut(me.secret); err != nil {
		a.writeError(w, r, err)
		return
	}
	web.ClearSession(w, web.StaffCookie)
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) signOutOthers(w http.ResponseWriter, r *http.Request, me caller) {
	n, err := a.svc.SignOutOthers(domain.Actor{Kind: domain.ActorStaff, ID: me.ID}, me.secret)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"ended": n})
}

func (a *api) me(w http.ResponseWriter, r *http.Request, me caller) {
	writeJSON(w, http.StatusOK, viewStaff(me.Staff))
}

type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *api) changePassword(w http.ResponseWriter, r *http.Request, me caller) {
	var in passwordChange
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	who := domain.Actor{Kind: domain.ActorStaff, ID: me.ID}
	if err := a.svc.ChangePassword(who, me.secret, in.CurrentPassword, in.NewPassword); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
