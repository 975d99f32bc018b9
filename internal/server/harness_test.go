package server_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/internal/auth"
	"portico/internal/mail/mailtest"
	"portico/internal/server"
)

// harness is a real Portico on loopback: both HTTPS listeners, the local CA, and a real
// SMTP server receiving its mail.
type harness struct {
	t      testing.TB
	srv    *server.Server
	portal string
	staff  string
	smtp   *mailtest.Server
	tls    *tls.Config
	out    bytes.Buffer
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func start(t testing.TB) *harness {
	t.Helper()
	return startWith(t, nil)
}

// startWith is start with the configuration changed by configure first.
func startWith(t testing.TB, configure func(*server.Config)) *harness {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	h := &harness{t: t, smtp: mailtest.Start(t)}
	portalAddr, staffAddr := freeAddr(t), freeAddr(t)
	_, port, _ := net.SplitHostPort(portalAddr)
	cfg := server.Config{DataDir: t.TempDir(), PortalAddr: portalAddr, StaffAddr: staffAddr,
		PublicURL: "https://localhost:" + port, SMTPURL: h.smtp.URL(),
		SMTPFrom: "portal@agency.example", AgencyName: "Test Agency"}
	if configure != nil {
		configure(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.Open(ctx, cfg, log, &h.out)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	portalLn, staffLn, err := srv.Listen()
	if err != nil {
		cancel()
		srv.Close()
		t.Fatal(err)
	}
	if err := srv.Announce(portalLn, staffLn); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, portalLn, staffLn) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("server did not stop within 30 s")
		}
	})
	h.srv, h.portal, h.staff = srv, srv.PortalURL, srv.StaffURL
	h.tls = &tls.Config{RootCAs: srv.CA().Pool()}
	return h
}

// browser returns an HTTPS client that trusts only the local CA, keeps cookies and does
// not follow redirects, so tests see each 303.
func (h *harness) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:       jar,
		Transport: &http.Transport{TLSClientConfig: h.tls.Clone()},
		Timeout:   2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

var setupLink = regexp.MustCompile(`https://\S+/setup/[A-Za-z0-9_-]+`)

// setupOwner creates the owner through the printed setup link and returns a bearer token.
func (h *harness) setupOwner() string {
	link := setupLink.FindString(h.out.String())
	if link == "" {
		h.t.Fatalf("no setup link printed:\n%s", h.out.String())
	}
	token := link[strings.LastIndex(link, "/")+1:]
	out := h.api("POST", "/api/v1/setup", "", map[string]string{"token": token,
		"email": "owner@agency.example", "name": "Olivia", "password": "owner password 1"}, 201)
	return out["token"].(string)
}

// api calls the staff JSON API and checks the status.
func (h *harness) api(method, path, token string, body any, want int) map[string]any {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, h.staff+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.browser().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	out := map[string]any{}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			h.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return out
}

// apiList calls a staff route that answers a JSON array.
func (h *harness) apiList(path, token string) []map[string]any {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.staff+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := h.browser().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
	return out
}

// sse reads a server-sent event stream in the background: each data line arrives on the
// returned channel, which closes when the stream ends.
func sse(t testing.TB, client *http.Client, req *http.Request) <-chan string {
	t.Helper()
	req.Header.Set("Accept", "text/event-stream")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("event stream %s: status %d", req.URL.Path, resp.StatusCode)
	}
	lines := make(chan string, 256)
	go func() {
		defer close(lines)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
				lines <- strings.TrimSpace(data)
			}
		}
	}()
	return lines
}
