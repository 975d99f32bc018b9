package portal

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// maxFormBody bounds the small forms (sign-in, passwords, forgot): far more than they
// need, far less than memory.
const maxFormBody = 16 << 10

// signInForm is the sign-in page's content.
type signInForm struct {
	Email string
	Next  string
	Error string
}

// signInPage shows the sign-in form, or goes home when already signed in.
func (p *Portal) signInPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := p.authenticate(w, r); ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}

	p.renderSignIn(w, http.StatusOK, signInForm{Next: next})
}

// signIn checks the credentials under the per-address and per-account limits and opens
// a session. Unknown email and wrong password get the same answer.
func (p *Portal) signIn(w http.ResponseWriter, r *http.Request) {
	if err := readForm(w, r, maxFormBody); err != nil {
		p.fail(w, r, err)
		return
	}

	form := signInForm{Email: strings.TrimSpace(r.PostForm.Get("email")),
		Next: localPath(r.PostForm.Get("next"))}
	addr := p.proxies.ClientAddr(r)
	if !p.allowSignIn(addr, form.Email) {
		p.log.Warn("sign-in rate limited", "remote_addr", addr)
		form.Error = "Too many sign-in attempts. Please wait a minute and try again."
		p.renderSignIn(w, http.StatusTooManyRequests, form)
		return
	}

	secret, _, err := p.svc.SignIn(domain.ActorClient, form.Email, r.PostForm.Get("password"))
	if errors.Is(err, service.ErrBadCredentials) {
		p.log.Warn("failed sign-in", "remote_addr", addr)
		form.Error = "Wrong email or password."
		p.renderSignIn(w, http.StatusUnauthorized, form)
		return
	}

	if err != nil {
		p.fail(w, r, err)
		return
	}

	web.SetSession(w, web.ClientCookie, secret)
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
}

// allowSignIn spends one attempt from the caller's address and one from the account
// named; both are spent even when the first is exhausted.
func (p *Portal) allowSignIn(addr, email string) bool {
	addrOK := p.addresses.Allow(addressKey(addr))
	accountOK := p.accounts.Allow(strings.ToLower(email))
	return addrOK && accountOK
}

// addressKey groups addresses as the limiter expects (an IPv6 /64 is one subscriber).
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}

	return auth.AddressKey(ip)
}

func (p *Portal) renderSignIn(w http.ResponseWriter, status int, form signInForm) {
	p.render(w, status, "signin", view{Title: "Sign in", Data: form})
}

// signOut ends this browser's session.
func (p *Portal) signOut(w http.ResponseWriter, r *http.Request) {
	if secret := web.SessionSecret(r, web.ClientCookie); secret != "" {
		if err := p.svc.SignOut(secret); err != nil {
			p.fail(w, r, err)
			return
		}
	}

	web.ClearSession(w, web.ClientCookie)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
