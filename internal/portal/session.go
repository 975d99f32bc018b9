package portal

import (
	"net/http"
	"net/url"
	"strings"

	"portico/internal/domain"
	"portico/internal/web"
)

// client is the signed-in client of a request and the secret of their session, which
// signing out and changing the password need.
type client struct {
	ID     domain.ID
	secret string
}

// clientHandler is a handler that runs only for a signed-in client.
type clientHandler func(w http.ResponseWriter, r *http.Request, c client)

// signedIn runs h for a client with a live session. Anyone else is sent to the sign-in
// page, whatever the path and ID, so a signed-out visitor learns nothing about objects.
func (p *Portal) signedIn(h clientHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := p.authenticate(w, r)
		if !ok {
			toSignIn(w, r)
			return
		}

		h(w, r, c)
	}
}

// authenticate returns the client whose session cookie the request carries. A cookie of
// an ended, expired or disabled session is cleared.
func (p *Portal) authenticate(w http.ResponseWriter, r *http.Request) (client, bool) {
	secret := web.SessionSecret(r, web.ClientCookie)
	if secret == "" {
		return client{}, false
	}

	who, err := p.svc.Authenticate(domain.ActorClient, secret)
	if err != nil {
		web.ClearSession(w, web.ClientCookie)
		return client{}, false
	}

	return client{ID: who.ID, secret: secret}, true
}

// toSignIn redirects to the sign-in page, remembering a page the visitor asked for.
func toSignIn(w http.ResponseWriter, r *http.Request) {
	target := "/signin"
	page := r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, "/events")
	if page && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.Path)
	}

	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next if it is a path on this site, and "/" otherwise, so the sign-in
// page cannot be used to send people elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}

	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}

	return next
}

// pathID returns the {id} of the route if it has the shape of an ID.
func pathID(r *http.Request) (domain.ID, bool) {
	id := domain.ID(r.PathValue("id"))
	return id, id.Valid()
}
