package blob

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestServeFileHeaders(t *testing.T) {
	tests := []struct {
		name            string
		fileName        string
		contentType     string
		wantType        string
		wantDisposition string
	}{
		{
			name: "ascii pdf", fileName: "report.pdf", contentType: "application/pdf",
			wantType:        "application/pdf",
			wantDisposition: `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
		},
		{
			name: "non-ascii name", fileName: "Résumé 履歴書.pdf",
			contentType: "application/pdf", wantType: "application/pdf",
			wantDisposition: `attachment; filename="Resume ___.pdf"; ` +
				`filename*=UTF-8''R%C3%A9sum%C3%A9%20%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf`,
		},
		{
			name: "quote and backslash", fileName: `say "hi"\x.txt`,
			contentType: "text/plain; charset=utf-8",
			wantType:    "text/plain; charset=utf-8",
			// The backslash is a path separator, so only the part after it remains.
			wantDisposition: `attachment; filename="x.txt"; filename*=UTF-8''x.txt`,
		},
		{
			name: "quote kept in the name", fileName: `say "hi" 100%.txt`,
			contentType: "text/plain",
			wantType:    "text/plain",
			wantDisposition: `attachment; filename="say _hi_ 100_.txt"; ` +
				`filename*=UTF-8''say%20%22hi%22%20100%25.txt`,
		},
		{
			name: "svg is never inline", fileName: "logo.svg", contentType: "image/svg+xml",
			wantType:        "application/octet-stream",
			wantDisposition: `attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`,
		},
		{
			name: "html is opaque", fileName: "page.html", contentType: "text/html; charset=utf-8",
			wantType:        "application/octet-stream",
			wantDisposition: `attachment; filename="page.html"; filename*=UTF-8''page.html`,
		},
		{
			name: "png is inline", fileName: "shot.png", contentType: "image/png",
			wantType:        "image/png",
			wantDisposition: `inline; filename="shot.png"; filename*=UTF-8''shot.png`,
		},
		{
			name: "unknown type", fileName: "x", contentType: "",
			wantType:        "application/octet-stream",
			wantDisposition: `attachment; filename="x"; filename*=UTF-8''x`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "some bytes"
			rec := serve(t, httptest.NewRequest(http.MethodGet, "/f", nil), body, Download{
				Name: tt.fileName, ContentType: tt.contentType, SHA256: "abc",
				ModTime: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
			})

			want := map[string]string{
				"Content-Type":            tt.wantType,
				"Content-Disposition":     tt.wantDisposition,
				"X-Content-Type-Options":  "nosniff",
				"Cache-Control":           "no-store",
				"Content-Security-Policy": "sandbox",
				"Content-Length":          "10",
				"Etag":                    `"abc"`,
				"Last-Modified":           "Wed, 01 May 2024 12:00:00 GMT",
			}
			for k, v := range want {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if rec.Code != http.StatusOK || rec.Body.String() != body {
				t.Errorf("got %d %q, want 200 %q", rec.Code, rec.Body.String(), body)
			}
		})
	}
}

func TestServeFileRange(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/f", nil)
	req.Header.Set("Range", "bytes=2-5")
	rec := serve(t, req, "0123456789", Download{Name: "n.bin"})

	if rec.Code != http.StatusPartialContent {
		t.Fatalf("status = %d, want 206", rec.Code)
	}
	if got := rec.Body.String(); got != "2345" {
		t.Errorf("body = %q, want %q", got, "2345")
	}
	if got := rec.Header().Get("Content-Range"); got != "bytes 2-5/10" {
		t.Errorf("Content-Range = %q", got)
	}
}

func TestServeFileFromStore(t *testing.T) {
	s, _ := openStore(t)
	b, err := s.Put(strings.NewReader("stored content"), 100)
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Open(b.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	rec := httptest.NewRecorder()
	ServeFile(rec, httptest.NewRequest(http.MethodGet, "/f", nil), f,
		Download{Name: "a.txt", ContentType: b.ContentType, SHA256: b.SHA256})
	got, _ := io.ReadAll(rec.Body)
	if string(got) != "stored content" {
		t.Errorf("body = %q", got)
	}
}

func serve(t *testing.T, r *http.Request, body string, d Download) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	ServeFile(rec, r, strings.NewReader(body), d)
	return rec
}
