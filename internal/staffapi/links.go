package staffapi

import (
	"errors"
	"net/http"
	"net/url"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// maxFormBody bounds the HTML forms of one-time links.
const maxFormBody = 64 << 10

// linkKind is a one-time staff link that opens a set-password page.
type linkKind struct {
	purpose domain.TokenPurpose
	title   string
}

var (
	inviteLink = linkKind{purpose: domain.PurposeInvite, title: "Join the team"}
	resetLink  = linkKind{purpose: domain.PurposeReset, title: "Reset your password"}
)

// linkPage shows the set-password form. It only checks the link, so mail scanners that
// fetch it do not use it up; unknown, used and expired links all get the same page.
func (a *api) linkPage(k linkKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		email, err := a.svc.CheckLink(domain.ActorStaff, k.purpose, r.PathValue("token"))
		if err != nil {
			a.invalidLink(w, r)
			return
		}
		a.render(w, r, http.StatusOK, "password", page{Title: k.title, Email: email})
	}
}

// linkSubmit sets the password through the link, uses it up and signs the browser in.
func (a *api) linkSubmit(k linkKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		email, err := a.svc.CheckLink(domain.ActorStaff, k.purpose, token)
		if err != nil {
			a.invalidLink(w, r)
			return
		}
		p := page{Title: k.title, Email: email}
		form, err := readForm(w, r)
		if err != nil {
			p.Error = err.Error()
			a.render(w, r, http.StatusBadRequest, "password", p)
			return
		}
		password := form.Get("password")
		if password != form.Get("confirm") {
			p.Error = "The two passwords differ."
			a.render(w, r, http.StatusBadRequest, "password", p)
			return
		}
		secret, _, err := a.svc.RedeemLink(domain.ActorStaff, k.purpose, token, password)
		if err != nil {
			a.pageError(w, r, "password", p, err)
			return
		}
		web.SetSession(w, web.StaffCookie, secret)
		a.landInUI(w, r, page{Title: "Password set", Email: email})
	}
}

// setupPage shows the owner setup form while the setup link is usable.
func (a *api) setupPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := a.svc.CheckLink(domain.ActorStaff, domain.PurposeSetup, token); err != nil {
		a.invalidLink(w, r)
		return
	}
	a.render(w, r, http.StatusOK, "setup", page{Title: "Set up Portico"})
}

// setupSubmit creates the owner from the setup form and signs the browser in.
func (a *api) setupSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := a.svc.CheckLink(domain.ActorStaff, domain.PurposeSetup, token); err != nil {
		a.invalidLink(w, r)
		return
	}
	p := page{Title: "Set up Portico"}
	form, err := readForm(w, r)
	if err != nil {
		p.Error = err.Error()
		a.render(w, r, http.StatusBadRequest, "setup", p)
		return
	}
	p.Email, p.Name = form.Get("email"), form.Get("name")
	secret, owner, err := a.svc.SetupOwner(token, p.Email, p.Name, form.Get("password"))
	if err != nil {
		a.pageError(w, r, "setup", p, err)
		return
	}
	web.SetSession(w, web.StaffCookie, secret)
	a.landInUI(w, r, page{Title: "Portico is set up", Email: owner.Email})
}

// pageError shows what went wrong on a link page: the form again for bad input, the
// invalid-link page when the link died meanwhile.
func (a *api) pageError(w http.ResponseWriter, r *http.Request, name string, p page, err error) {
	var invalid *domain.ValidationError
	switch {
	case errors.Is(err, service.ErrInvalidLink):
		a.invalidLink(w, r)
	case errors.As(err, &invalid):
		p.Error = validationMessage(invalid)
		a.render(w, r, http.StatusBadRequest, name, p)
	default:
		// The path holds the link's secret, so only the page name is logged.
		a.log.Error("one-time link failed", "page", name, "error", err)
		p.Error = "Something went wrong on the server; try again."
		a.render(w, r, http.StatusInternalServerError, name, p)
	}
}

func (a *api) invalidLink(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusGone, "invalid", page{Title: "Invalid or expired link"})
}

// readForm parses a small URL-encoded form body.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return nil, errors.New("the form could not be read; try again")
	}
	return r.PostForm, nil
}

type setupRequest struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// setupJSON creates the owner through the API, for scripted installs.
func (a *api) setupJSON(w http.ResponseWriter, r *http.Request) {
	var in setupRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	secret, owner, err := a.svc.SetupOwner(in.Token, in.Email, in.Name, in.Password)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	a.startSession(w, r, http.StatusCreated, secret, owner.ID)
}

type resetRequest struct {
	Email string `json:"email"`
}

// requestReset mails a reset link when the address is a staff account's. The answer is
// the same either way, so it cannot be used to find out who works here.
func (a *api) requestReset(w http.ResponseWriter, r *http.Request) {
	var in resetRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if !a.allowSignIn(a.proxies.ClientAddr(r), in.Email) {
		tooManyAttempts(w)
		return
	}
	if err := a.svc.RequestReset(domain.ActorStaff, in.Email); err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{
		"status": "if this address belongs to a staff account, a reset link is on its way",
	})
}
