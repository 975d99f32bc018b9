package staffapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTLSStatus(t *testing.T) {
	h := newHarness(t)
	notAfter := time.Date(2030, 3, 1, 12, 0, 0, 0, time.UTC)
	statuses := map[string]TLSStatus{
		"local": {Mode: TLSModeLocal, Status: "ok", CAFingerprint: "AB:CD"},
		"acme": {Mode: TLSModeACME, Domain: "portal.example.com", Status: "failing",
			LastError: "no such host", NotAfter: &notAfter, Issuer: "Let's Encrypt R11",
			CAFingerprint: "AB:CD"},
	}
	want := map[string]string{
		"local": `{"mode":"local","domain":"","status":"ok","last_error":"","not_after":null,` +
			`"issuer":"","ca_fingerprint":"AB:CD"}`,
		"acme": `{"mode":"acme","domain":"portal.example.com","status":"failing",` +
			`"last_error":"no such host","not_after":"2030-03-01T12:00:00Z",` +
			`"issuer":"Let's Encrypt R11","ca_fingerprint":"AB:CD"}`,
	}

	for name, st := range statuses {
		t.Run(name, func(t *testing.T) {
			api := New(Options{Service: h.svc, Hub: h.hub, TLS: func() TLSStatus { return st }})
			tests := []struct {
				who    string
				token  string
				status int
			}{
				{"anonymous", "", http.StatusUnauthorized},
				{"member", h.member.Token, http.StatusOK},
			}
			for _, tt := range tests {
				r := httptest.NewRequest("GET", "https://staff.test/api/v1/tls", nil)
				if tt.token != "" {
					r.Header.Set("Authorization", "Bearer "+tt.token)
				}
				w := httptest.NewRecorder()
				api.ServeHTTP(w, r)
				if w.Code != tt.status {
					t.Fatalf("%s: status %d, want %d: %s", tt.who, w.Code, tt.status, w.Body)
				}
				if tt.status == http.StatusOK && strings.TrimSpace(w.Body.String()) != want[name] {
					t.Errorf("%s: body\n%s\nwant\n%s", tt.who, w.Body, want[name])
				}
			}
		})
	}
}

func TestTLSStatusUnavailable(t *testing.T) {
	h := newHarness(t)
	status, body := h.call(&h.owner, "GET", "/api/v1/tls", nil)
	var got errorBody
	if err := json.Unmarshal([]byte(body), &got); err != nil || status != http.StatusNotFound {
		t.Errorf("got %d %s, want 404 with an error", status, body)
	}
}
