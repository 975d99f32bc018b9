//go:build desktop

package app

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/server"
)

func TestRequest(t *testing.T) {
	ta := newTestApp(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"read as the local owner", "GET", "/api/v1/me", "", 200, server.LocalOwnerEmail},
		{"lower-case method", "get", "/api/v1/me", "", 200, server.LocalOwnerEmail},
		{"write with a body", "POST", "/api/v1/workspaces", `{"name":"Studio"}`, 201, "Studio"},
		{"bad input is the API's answer", "POST", "/api/v1/workspaces", `{"nope":1}`, 400, "error"},
		{"unknown route", "GET", "/api/v1/nowhere", "", 404, "error"},
		{"sign-out is refused", "DELETE", "/api/v1/session", "", 403, "local owner"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := ta.Request(tc.method, tc.path, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tc.status || !strings.Contains(resp.Body, tc.contains) {
				t.Fatalf("%s %s = %d %s, want %d containing %q",
					tc.method, tc.path, resp.Status, resp.Body, tc.status, tc.contains)
			}
		})
	}
	// The refused sign-out left the session working.
	me := ta.call("GET", "/api/v1/me", nil, 200)
	if info := ta.Info(); info.StaffID != me["id"] || info.DataDir == "" {
		t.Fatalf("Info() = %+v, want the signed-in owner %v", info, me["id"])
	}
}

func TestRequestRefusesWhatItCannotCarry(t *testing.T) {
	ta := newTestApp(t)
	for _, tc := range []struct{ method, path string }{
		{"TRACE", "/api/v1/me"},
		{"GET", "/setup/abc"},
		{"GET", "https://example.invalid/api/v1/me"},
		{"GET", "/api/v1/events"},
		{"GET", "/api/v1/events?since=4"},
		{"GET", "/api/v1/files/01JMX0Q6Y4W7ZK3E2N8VBRT5HD/content"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			if _, err := ta.Request(tc.method, tc.path, ""); !errors.Is(err, errBadRequest) {
				t.Fatalf("error = %v, want errBadRequest", err)
			}
		})
	}
}

func TestOwnerHandlerReplacesAuthorization(t *testing.T) {
	ta := newTestApp(t)
	for _, header := range []string{"", "Bearer forged", "Basic Zm9vOmJhcg=="} {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		rec := httptest.NewRecorder()
		ta.staff.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), server.LocalOwnerEmail) {
			t.Fatalf("Authorization %q: %d %s", header, rec.Code, rec.Body)
		}
	}
}

func TestDrainEndsEventStreams(t *testing.T) {
	ta := newTestApp(t)
	req := httptest.NewRequest("GET", "/api/v1/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	rec := httptest.NewRecorder()
	ended := make(chan struct{})
	go func() {
		ta.staff.ServeHTTP(rec, req)
		close(ended)
	}()

	time.Sleep(200 * time.Millisecond)
	select {
	case <-ended:
		t.Fatalf("event stream ended by itself: %d %s", rec.Code, rec.Body)
	default:
	}
	if !ta.staff.drain(5 * time.Second) {
		t.Fatal("drain timed out with the event stream open")
	}
	<-ended

	late := httptest.NewRecorder()
	ta.staff.ServeHTTP(late, httptest.NewRequest("GET", "/api/v1/me", nil))
	if late.Code != http.StatusServiceUnavailable {
		t.Fatalf("request after drain = %d, want 503", late.Code)
	}
}

// pipeWriter is a response writer like the Wails asset server's: every write goes
// straight to the reader, and it has no Flush.
type pipeWriter struct {
	header http.Header
	w      *io.PipeWriter
}

func (p *pipeWriter) Header() http.Header         { return p.header }
func (p *pipeWriter) WriteHeader(int)             {}
func (p *pipeWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

func TestEventStreamThroughAWriterWithoutFlush(t *testing.T) {
	ta := newTestApp(t)
	pr, pw := io.Pipe()
	req := httptest.NewRequest("GET", "/api/v1/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	ended := make(chan struct{})
	go func() {
		ta.staff.ServeHTTP(&pipeWriter{header: http.Header{}, w: pw}, req)
		pw.Close()
		close(ended)
	}()

	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	ta.call("POST", "/api/v1/workspaces", map[string]string{"name": "Live check"}, 201)

	deadline := time.After(10 * time.Second)
	for seen := false; !seen; {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the event stream ended before the new workspace arrived")
			}
			seen = strings.HasPrefix(line, "data:") && strings.Contains(line, "workspace.created")
		case <-deadline:
			t.Fatal("no workspace.created event within 10 s")
		}
	}
	ta.staff.drain(5 * time.Second)
	pr.Close()
	<-ended
}

func TestSetOwnerPassword(t *testing.T) {
	ta := newTestApp(t)
	if err := ta.SetOwnerPassword("short"); err == nil {
		t.Fatal("a short password was accepted")
	}
	if err := ta.SetOwnerPassword("the owner's own password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ta.srv.Service().SignIn(domain.ActorStaff, server.LocalOwnerEmail,
		"the owner's own password"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	ta.call("GET", "/api/v1/me", nil, http.StatusOK) // the window stays signed in
}
