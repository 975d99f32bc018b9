package tlsca

import (
	"net/http"
	"strings"
)

// HTTPHandler returns the handler of the plain-HTTP listener. It answers the CA's HTTP-01
// challenges and sends every other request to the same path and query under httpsBase
// (such as https://portal.example.com): 301 for GET and HEAD, 308 otherwise, so that a
// form posted over HTTP is not silently turned into a GET.
func (a *ACME) HTTPHandler(httpsBase string) http.Handler {
	httpsBase = strings.TrimSuffix(httpsBase, "/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.issuer.HandleHTTPChallenge(w, r) {
			return
		}

		target := r.URL.RequestURI()
		if !strings.HasPrefix(target, "/") {
			target = "/" // "OPTIONS *" and the like
		}
		status := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			status = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, httpsBase+target, status)
	})
}
