package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"portico/internal/auth"
	"portico/internal/server"
	"portico/internal/store"
)

// openDesktop opens a server the way the desktop app does, without listening.
func openDesktop(t *testing.T, dir string, demo bool) *server.Server {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	cfg := server.Config{DataDir: dir, PortalAddr: "127.0.0.1:0", StaffAddr: "127.0.0.1:0",
		Demo: demo}
	log := slog.New(slog.DiscardHandler)
	srv, err := server.Open(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if demo {
		if err := srv.SeedDemo(); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// me asks the staff handler, in-process, who holds the session.
func me(t *testing.T, srv *server.Server, secret string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	rec := httptest.NewRecorder()
	srv.StaffHandler().ServeHTTP(rec, req)
	out := map[string]any{}
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func TestLocalOwnerSession(t *testing.T) {
	for _, tc := range []struct {
		name  string
		demo  bool
		email string
	}{
		{"empty folder creates the local owner", false, server.LocalOwnerEmail},
		{"demo folder uses the demo owner", true, server.DemoOwnerEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			srv := openDesktop(t, dir, tc.demo)
			defer srv.Close()

			secret, owner, err := srv.LocalOwnerSession()
			if err != nil {
				t.Fatal(err)
			}
			if owner.Email != tc.email || owner.Role != "owner" {
				t.Fatalf("owner = %s (%s), want %s as owner", owner.Email, owner.Role, tc.email)
			}
			code, body := me(t, srv, secret)
			if code != http.StatusOK || body["email"] != tc.email {
				t.Fatalf("GET /api/v1/me = %d %v", code, body)
			}

			again, sameOwner, err := srv.LocalOwnerSession()
			if err != nil {
				t.Fatal(err)
			}
			if sameOwner.ID != owner.ID || again == secret {
				t.Fatalf("second session: owner %s (want %s), secret reused: %v",
					sameOwner.ID, owner.ID, again == secret)
			}
			if err := srv.Service().SignOut(secret); err != nil {
				t.Fatal(err)
			}
			if code, _ := me(t, srv, secret); code != http.StatusUnauthorized {
				t.Fatalf("signed-out session answers %d, want 401", code)
			}
		})
	}
}

func TestLocalOwnerHasNoUsablePassword(t *testing.T) {
	srv := openDesktop(t, t.TempDir(), false)
	defer srv.Close()
	if _, _, err := srv.LocalOwnerSession(); err != nil {
		t.Fatal(err)
	}
	for _, password := range []string{"", "portico-demo", server.LocalOwnerName} {
		raw, _ := json.Marshal(map[string]string{"email": server.LocalOwnerEmail,
			"password": password})
		req := httptest.NewRequest("POST", "/api/v1/session", bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.StaffHandler().ServeHTTP(rec, req)
		if rec.Code == http.StatusOK || rec.Code == http.StatusCreated {
			t.Fatalf("signed in as the local owner with %q", password)
		}
	}
}

func TestServePortalStopsAndClosesDatabase(t *testing.T) {
	dir := t.TempDir()
	srv := openDesktop(t, dir, false)
	ln, err := srv.ListenPortal()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ServePortal(ctx, ln) }()

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: srv.CA().Pool(), ServerName: "localhost"}}}
	resp, err := client.Get("https://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("portal over HTTPS: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("portal /healthz = %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ServePortal: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("ServePortal did not return within 15 s of its context ending")
	}
	st, err := store.Open(filepath.Join(dir, "portico.db"),
		store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("database still held after ServePortal returned: %v", err)
	}
	st.Close()
}
