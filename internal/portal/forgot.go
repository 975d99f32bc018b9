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
	p.render(w, http.StatusOK, "forgot", view{Title: "Forgot your password?"})
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
		p.log.Warn("password reset rate limited", "address", addr)
		form.Error = "Too many attempts. Please wait a minute and try again."
		p.render(w, http.StatusTooManyRequests, "forgot", view{Title: "Forgot your password?", Data: form})
		return
	}
	if _, err := domain.NormalizeEmail(form.Email); err != nil {
		form.Error = userMessage(err)
		p.render(w, http.StatusBadRequest, "forgot", view{Title: "Forgot your password?", Data: form})
		return
	}
	if err := p.svc.RequestReset(domain.ActorClient, form.Email); err != nil {
		p.log.Error("request password reset", "error", err)
	}
	p.render(w, http.StatusOK, "forgot", view{Title: "Check your email", Data: forgotForm{Sent: true}})
}
