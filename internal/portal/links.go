package portal

import (
	"errors"
	"net/http"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// oneTimeLink describes a kind of emailed link that ends in a set-password form.
type oneTimeLink struct {
	purpose domain.TokenPurpose
	title   string
	intro   string
	button  string
}

var (
	invite = oneTimeLink{purpose: domain.PurposeInvite, title: "Welcome",
		intro:  "Choose a password to open your client portal.",
		button: "Set password and continue"}
	reset = oneTimeLink{purpose: domain.PurposeReset, title: "Choose a new password",
		intro:  "Choose a new password for your account. Your other sessions will be signed out.",
		button: "Save password and sign in"}
)

// passwordForm is the set-password page's content. The form posts back to its own
// address, so the link's secret never appears in the page.
type passwordForm struct {
	Heading string
	Intro   string
	Button  string
	Email   string
	Error   string
}

// linkPage only shows the set-password form: mail scanners fetch links, so a GET must
// never use one up.
func (p *Portal) linkPage(link oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		email, err := p.svc.CheckLink(domain.ActorClient, link.purpose, r.PathValue("token"))
		if err != nil {
			p.invalidLink(w)
			return
		}

		p.renderPasswordForm(w, http.StatusOK, link, email, "")
	}
}

// redeemLink sets the password through the link, uses it up, signs the client in and
// takes them to their projects.
func (p *Portal) redeemLink(link oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		email, err := p.svc.CheckLink(domain.ActorClient, link.purpose, token)
		if err != nil {
			p.invalidLink(w)
			return
		}

		if err := readForm(w, r, maxFormBody); err != nil {
			p.fail(w, r, err)
			return
		}

		password := r.PostForm.Get("password")
		if password != r.PostForm.Get("confirm") {
			p.renderPasswordForm(w, http.StatusBadRequest, link, email,
				"The two passwords do not match.")
			return
		}

		secret, _, err := p.svc.RedeemLink(domain.ActorClient, link.purpose, token, password)
		p.afterRedeem(w, r, link, email, secret, err)
	}
}

// afterRedeem answers a redeemed link: the form again for a refused password, the
// invalid-link page, or a new session and the client's projects.
func (p *Portal) afterRedeem(w http.ResponseWriter, r *http.Request, link oneTimeLink,
	email, secret string, err error) {
	var invalid *domain.ValidationError
	switch {
	case errors.As(err, &invalid):
		p.renderPasswordForm(w, http.StatusBadRequest, link, email, userMessage(err))
	case errors.Is(err, service.ErrInvalidLink):
		p.invalidLink(w)
	case err != nil:
		p.fail(w, r, err)
	default:
		web.SetSession(w, web.ClientCookie, secret)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

func (p *Portal) renderPasswordForm(w http.ResponseWriter, status int, link oneTimeLink,
	email, msg string) {
	p.render(w, status, "password", view{Title: link.title, Data: passwordForm{
		Heading: link.title, Intro: link.intro, Button: link.button, Email: email, Error: msg,
	}})
}
