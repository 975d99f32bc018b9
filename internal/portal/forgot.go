package portal

import (
	"net/http"
	"strings"

	"portico/internal/domain"
)

// forgotForm is the forgotten-password page's content.
type forgotForm struct {
	Email string
	Sent  bool
	Error string
}

// forgotPage asks for the email address to send a reset link to.
func (p *Portal) forgotPage(w http.ResponseWriter, _ *http.Request) {
	p.renderForgot(w, http.StatusOK, forgotForm{})
}

// forgot asks the service for a reset email and always gives the same answer, so the page
// cannot tell whether an address has an account. It counts against the address's
// sign-in limit, since it too can be used to probe.
func (p *Portal) forgot(w http.ResponseWriter, r *http.Request) {
	if err := readForm(w, r, maxFormBody); err != nil {
		p.fail(w, r, err)
		return
	}

	form := forgotForm{Email: strings.TrimSpace(r.PostForm.Get("email"))}
	addr := p.proxies.ClientAddr(r)
	if !p.addresses.Allow(addressKey(addr)) {
		p.log.Warn("password reset rate limited", "remote_addr", addr)
		form.Error = "Too many attempts. Please wait a minute and try again."
		p.renderForgot(w, http.StatusTooManyRequests, form)
		return
	}

	if _, err := domain.NormalizeEmail(form.Email); err != nil {
		form.Error = userMessage(err)
		p.renderForgot(w, http.StatusBadRequest, form)
		return
	}

	if err := p.svc.RequestReset(domain.ActorClient, form.Email); err != nil {
		p.log.Error("request password reset", "error", err)
	}

	p.renderForgot(w, http.StatusOK, forgotForm{Sent: true})
}

func (p *Portal) renderForgot(w http.ResponseWriter, status int, form forgotForm) {
	title := "Forgot your password?"
	if form.Sent {
		title = "Check your email"
	}

	p.render(w, status, "forgot", view{Title: title, Data: form})
}
