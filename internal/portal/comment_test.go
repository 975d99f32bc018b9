package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/internal/service"
)

// TestCommentsRenderInert posts hostile markdown: the page shows it without a script
// link or an event handler, and the stored source is exactly what was posted.
func TestCommentsRenderInert(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	path := "/t/" + string(w.tShared)
	sources := []string{
		"[pay](JaVaScRiPt:alert(1))",
		"<img src=x onerror=alert(1)>",
		"<script>alert(1)</script>",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
	}
	for _, src := range sources {
		res := b.postForm(path+"/comments", url.Values{"body": {src}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("post %q: status %d", src, res.status)
		}
	}
	page := strings.ToLower(b.get(path).body)
	for _, bad := range []string{"javascript:", "onerror", "<script>alert", "data:text/html"} {
		if strings.Contains(page, bad) {
			t.Errorf("task page contains %q", bad)
		}
	}
	stored := w.comments(t, w.tShared)
	for i, src := range sources {
		if got := stored[len(stored)-len(sources)+i].Body; got != src {
			t.Errorf("stored comment %q, want %q", got, src)
		}
	}
}

// TestCommentRefused covers comments that must be refused with a clear reason and leave
// nothing stored.
func TestCommentRefused(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	path := "/t/" + string(w.tShared) + "/comments"
	cases := []struct {
		name   string
		body   string
		header http.Header
		want   int
		says   string
	}{
		{"empty", "", nil, http.StatusBadRequest, "The comment must not be empty."},
		{"blank", " \n\t ", nil, http.StatusBadRequest, "The comment must not be empty."},
		{"too long", strings.Repeat("x", 20_001), nil, http.StatusBadRequest, "longer than"},
		{"cross-origin Origin", "hello", http.Header{"Origin": {"https://evil.example"}},
			http.StatusForbidden, "sent from another site"},
		{"cross-site fetch", "hello", http.Header{"Sec-Fetch-Site": {"cross-site"}},
			http.StatusForbidden, "sent from another site"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.comments(t, w.tShared))
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tc.header {
				h[k] = v
			}
			body := url.Values{"body": {tc.body}}.Encode()
			res := b.send(b.request(http.MethodPost, path, strings.NewReader(body), h))
			if res.status != tc.want {
				t.Fatalf("status %d, want %d", res.status, tc.want)
			}
			if !strings.Contains(res.body, tc.says) {
				t.Errorf("answer does not say %q", tc.says)
			}
			if n := len(w.comments(t, w.tShared)); n != before {
				t.Errorf("%d comments stored", n-before)
			}
		})
	}
}

// TestCrossOriginRefused checks that every form post of the portal refuses a request
// from another site, and that the same form from the portal itself passes.
func TestCrossOriginRefused(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	paths := []string{"/signin", "/signout", "/forgot", "/account/password", "/account/sessions",
		"/t/" + string(w.tShared) + "/complete", "/t/" + string(w.tShared) + "/comments",
		"/t/" + string(w.tShared) + "/files", "/invite/x", "/reset/x"}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"},
				"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}}
			res := b.send(b.request(http.MethodPost, path, strings.NewReader("body=x"), h))
			if res.status != http.StatusForbidden {
				t.Errorf("status %d, want 403", res.status)
			}
		})
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"},
		"Sec-Fetch-Site": {"same-origin"}, "Origin": {w.srv.URL}}
	res := b.send(b.request(http.MethodPost, "/t/"+string(w.tShared)+"/comments",
		strings.NewReader("body=same+site"), h))
	if res.status != http.StatusSeeOther {
		t.Errorf("same-origin comment: status %d, want 303", res.status)
	}
}
