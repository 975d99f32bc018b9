package staffapi

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"testing/fstest"
)

// builtUI stands in for a Vite build: one page and content-hashed files under assets/.
var builtUI = fstest.MapFS{
	"index.html": {Data: []byte(`<!doctype html><title>Portico</title>` +
		`<script type="module" src="/assets/index-4f2a.js"></script><div id="app"></div>`)},
	"assets/index-4f2a.js":  {Data: []byte("console.log('portico')\n")},
	"assets/index-9c1e.css": {Data: []byte("body{margin:0}\n")},
}

func withUI(ui fs.FS) func(*harnessConfig) { return func(c *harnessConfig) { c.ui = ui } }

func TestUIFiles(t *testing.T) {
	h := newHarness(t, withUI(builtUI))
	tests := []struct {
		name, target  string
		status        int
		contentType   string
		cacheControl  string
		policyHas     []string
		bodyHas       string
		policyLacking string
	}{
		{"page", "/", 200, "text/html", "no-store",
			[]string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"},
			`<div id="app">`, "unsafe-inline"},
		{"script", "/assets/index-4f2a.js", 200, "text/javascript", "immutable", nil,
			"portico", ""},
		{"stylesheet", "/assets/index-9c1e.css", 200, "text/css", "immutable", nil, "margin", ""},
		{"shared page stylesheet", "/base.css", 200, "text/css", "no-cache", nil, "--accent", ""},
		{"missing asset", "/assets/nothing.js", 404, "application/json", "no-store", nil, "", ""},
		{"assets folder", "/assets/", 404, "application/json", "no-store", nil, "", ""},
		{"only under assets", "/index.html", 404, "text/plain", "no-store", nil, "", ""},
		{"no other pages", "/projects/1", 404, "", "no-store", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.request(nil, "GET", tt.target, nil)
			body := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, tt.cacheControl) {
				t.Errorf("Cache-Control %q, want %q", got, tt.cacheControl)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			policy := resp.Header.Get("Content-Security-Policy")
			for _, want := range tt.policyHas {
				if !strings.Contains(policy, want) {
					t.Errorf("policy %q lacks %q", policy, want)
				}
			}
			if tt.policyLacking != "" && strings.Contains(policy, tt.policyLacking) {
				t.Errorf("policy %q has %q", policy, tt.policyLacking)
			}
			if !strings.Contains(body, tt.bodyHas) {
				t.Errorf("body lacks %q: %s", tt.bodyHas, body)
			}
		})
	}
}

// TestLinkPagesLandInUI checks that once the UI is built, a successful setup or invite
// page signs the browser in and sends it to the UI.
func TestLinkPagesLandInUI(t *testing.T) {
	h := newBareHarness(t, withUI(builtUI))
	link, err := h.svc.IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	page, body := h.getPage("/setup/" + path.Base(link))
	if page != 200 || !strings.Contains(body, `href="/base.css"`) {
		t.Fatalf("setup page: %d %s", page, body)
	}
	resp := h.postFormNoRedirect("/setup/"+path.Base(link), url.Values{
		"email": {"boss@agency.test"}, "name": {"Boss"}, "password": {testPassword}})
	checkLanded(t, resp)

	owner := account{Token: findCookie(resp, "portico_staff").Value}
	var inv staffInviteView
	h.mustJSON(&owner, "POST", "/api/v1/staff",
		map[string]string{"email": "sam@agency.test", "name": "Sam"}, http.StatusCreated, &inv)
	resp = h.postFormNoRedirect(linkPath(t, inv.Link),
		url.Values{"password": {testPassword}, "confirm": {testPassword}})
	checkLanded(t, resp)
}

func checkLanded(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("status %d, Location %q; want 303 to /", resp.StatusCode,
			resp.Header.Get("Location"))
	}
	if findCookie(resp, "portico_staff") == nil {
		t.Fatal("no session cookie")
	}
}

// postFormNoRedirect submits a form as a same-origin browser would and returns the answer
// itself, not where it redirects to.
func (h *harness) postFormNoRedirect(target string, form url.Values) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest("POST", h.srv.URL+target, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	client := *h.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	readAll(h.t, resp)
	return resp
}
