package portal

import (
	"net/http"
	"strings"

	"portico/internal/web"
)

// securityHeaders sets the page headers (CSP without inline scripts, nosniff, no framing,
// no referrer, no caching) on every response before any handler runs, so error pages and
// refusals carry them too.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.PageHeaders(w.Header())
		next.ServeHTTP(w, r)
	})
}

// frameGuard keeps frame-ancestors 'none' in a response whose handler replaces the
// Content-Security-Policy, as downloads do with a sandbox policy: it adds the directive
// just before the header is sent.
type frameGuard struct {
	http.ResponseWriter
	done bool
}

func (g *frameGuard) guard() {
	if g.done {
		return
	}

	g.done = true
	h := g.Header()
	csp := h.Get("Content-Security-Policy")
	switch {
	case csp == "":
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	case !strings.Contains(csp, "frame-ancestors"):
		h.Set("Content-Security-Policy", csp+"; frame-ancestors 'none'")
	}
}

// WriteHeader adds the directive, then sends the header.
func (g *frameGuard) WriteHeader(code int) {
	g.guard()
	g.ResponseWriter.WriteHeader(code)
}

// Write adds the directive if the header has not been sent yet, then writes.
func (g *frameGuard) Write(b []byte) (int, error) {
	g.guard()
	return g.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (g *frameGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }
