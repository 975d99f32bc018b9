package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/internal/service"
)

// TestSecurityHeaders checks the security headers on pages, error pages, refusals,
// downloads and assets, and that no page carries inline script or style.
func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	anon := w.browser(t, "")
	cases := []struct {
		name   string
		send   func() *response
		status int
		cache  string
	}{
		{"sign-in page", func() *response { return anon.get("/signin") }, 200, "no-store"},
		{"home", func() *response { return member.get("/") }, 200, "no-store"},
		{"project page", func() *response { return member.get("/p/" + string(w.alpha)) }, 200, "no-store"},
		{"task page", func() *response { return member.get("/t/" + string(w.tShared)) }, 200, "no-store"},
		{"account page", func() *response { return member.get("/account") }, 200, "no-store"},
		{"forgot page", func() *response { return anon.get("/forgot") }, 200, "no-store"},
		{"hidden task", func() *response { return member.get("/t/" + string(w.tHidden)) }, 404, "no-store"},
		{"unknown path", func() *response { return anon.get("/nowhere") }, 404, "no-store"},
		{"invalid link", func() *response { return anon.get("/invite/nope") }, 410, "no-store"},
		{"wrong password", func() *response {
			form := url.Values{"email": {memberEmail}, "password": {"wrong password"}}
			return anon.postForm("/signin", form)
		}, 401, "no-store"},
		{"cross-origin refusal", func() *response {
			h := http.Header{"Sec-Fetch-Site": {"cross-site"}}
			return member.send(member.request(http.MethodPost, "/signout", nil, h))
		}, 403, "no-store"},
		{"signed-out redirect", func() *response {
			return anon.get("/t/" + string(w.tShared))
		}, 303, "no-store"},
		{"download", func() *response { return member.get("/f/" + string(w.fShared)) }, 200, "no-store"},
		{"stylesheet", func() *response { return anon.get("/static/portal.css") }, 200, "no-cache"},
		{"script", func() *response { return anon.get("/static/portal.js") }, 200, "no-cache"},
		{"health", func() *response { return anon.get("/healthz") }, 200, "no-store"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			if res.status != tc.status {
				t.Fatalf("status %d, want %d", res.status, tc.status)
			}
			checkHeaders(t, res.header, tc.cache)
			if strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				checkNoInline(t, res.body)
			}
		})
	}
}

func checkHeaders(t *testing.T, h http.Header, cache string) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", h.Get("X-Content-Type-Options"))
	}
	if h.Get("Referrer-Policy") == "" {
		t.Error("no Referrer-Policy")
	}
	if got := h.Get("Cache-Control"); got != cache {
		t.Errorf("Cache-Control %q, want %q", got, cache)
	}
}

var (
	scriptTag  = regexp.MustCompile(`(?i)<script[^>]*>`)
	inlineAttr = regexp.MustCompile(`(?i)\s(on[a-z]+|style)\s*=`)
)

// checkNoInline fails on script elements without src, event handler attributes and style
// attributes, none of which the CSP would let run.
func checkNoInline(t *testing.T, body string) {
	t.Helper()
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("inline script %q", tag)
		}
	}
	if m := inlineAttr.FindString(body); m != "" {
		t.Errorf("inline attribute %q", m)
	}
	if strings.Contains(strings.ToLower(body), "<style") {
		t.Error("inline style element")
	}
}
