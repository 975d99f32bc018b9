package portal

import (
	"errors"
	"net/http"

	"portico/internal/domain"
	"portico/internal/service"
)

// accountPage is the account page's content.
type accountPage struct {
	// Done names what was just saved: "password" or "sessions".
	Done  string
	Error string
}

// accountPage lets a client change their password and sign out their other sessions.
func (p *Portal) accountPage(w http.ResponseWriter, r *http.Request, _ client) {
	done := r.URL.Query().Get("done")
	if done != "password" && done != "sessions" {
		done = ""
	}

	p.renderAccount(w, http.StatusOK, accountPage{Done: done})
}

// changePassword checks the current password, stores the new one and ends the client's
// other sessions (the service does both).
func (p *Portal) changePassword(w http.ResponseWriter, r *http.Request, c client) {
	if err := readForm(w, r, maxFormBody); err != nil {
		p.fail(w, r, err)
		return
	}

	next := r.PostForm.Get("new_password")
	if next != r.PostForm.Get("confirm") {
		p.renderAccount(w, http.StatusBadRequest,
			accountPage{Error: "The two new passwords do not match."})
		return
	}

	who := domain.Actor{Kind: domain.ActorClient, ID: c.ID}
	err := p.svc.ChangePassword(who, c.secret, r.PostForm.Get("current_password"), next)
	var invalid *domain.ValidationError
	switch {
	case errors.As(err, &invalid):
		p.renderAccount(w, http.StatusBadRequest, accountPage{Error: userMessage(err)})
	case errors.Is(err, service.ErrRateLimited):
		p.renderAccount(w, http.StatusTooManyRequests,
			accountPage{Error: "Too many attempts. Wait a minute and try again."})
	case err != nil:
		p.fail(w, r, err)
	default:
		http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
	}
}

// signOutOthers ends every session of the client but this one.
func (p *Portal) signOutOthers(w http.ResponseWriter, r *http.Request, c client) {
	who := domain.Actor{Kind: domain.ActorClient, ID: c.ID}
	if _, err := p.svc.SignOutOthers(who, c.secret); err != nil {
		p.fail(w, r, err)
		return
	}

	http.Redirect(w, r, "/account?done=sessions", http.StatusSeeOther)
}

func (p *Portal) renderAccount(w http.ResponseWriter, status int, page accountPage) {
	p.render(w, status, "account", view{Title: "Your account", SignedIn: true, Data: page})
}
