package staffapi

import (
	"net/http"
	"strings"

	"portico/internal/domain"
	"portico/internal/store"
	"portico/internal/web"
)

// caller is the signed-in staff member of a request and the session secret they used.
type caller struct {
	domain.Staff
	secret string
}

// staffHandler is a handler for signed-in staff.
type staffHandler func(w http.ResponseWriter, r *http.Request, me caller)

// staff authenticates a request, by the Authorization header when it has one and by the
// staff session cookie otherwise, and answers 401 when neither holds a valid session.
func (a *api) staff(h staffHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		me, ok := a.authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="portico"`)
			writeJSON(w, http.StatusUnauthorized,
				errorBody{Error: "sign in first, or send Authorization: Bearer <token>"})
			return
		}
		h(w, r, me)
	})
}

// authenticate returns the staff member holding the request's session.
func (a *api) authenticate(r *http.Request) (caller, bool) {
	secret, ok := sessionSecret(r)
	if !ok {
		return caller{}, false
	}
	who, err := a.svc.Authenticate(domain.ActorStaff, secret)
	if err != nil {
		return caller{}, false
	}
	var st domain.Staff
	err = a.svc.Store().View(func(tx *store.Tx) error {
		st, err = tx.Staff(who.ID)
		return err
	})
	if err != nil || st.Disabled {
		return caller{}, false
	}
	return caller{Staff: st, secret: secret}, true
}

// sessionSecret takes the session secret from "Authorization: Bearer" or, when the header
// is absent, from the staff cookie. A malformed header is refused rather than ignored.
func sessionSecret(r *http.Request) (string, bool) {
	if header := r.Header.Get("Authorization"); header != "" {
		scheme, token, ok := strings.Cut(header, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", false
		}
		return token, true
	}
	secret := web.SessionSecret(r, web.StaffCookie)
	return secret, secret != ""
}
