package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/internal/auth"
	"portico/internal/metrics"
	"portico/internal/server"
)

// TestMetrics scrapes GET /metrics on the staff listener after requests on both, with a
// trusted proxy in front, and checks the format, the counts, and the request log.
func TestMetrics(t *testing.T) {
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, client := startAt(t, server.Config{TrustedProxies: "127.0.0.1", Version: "v1.2.3"}, log)

	fetch := func(url string, want int, header ...string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("GET %s: status %d, want %d", url, resp.StatusCode, want)
		}
		return string(body)
	}
	fetch(srv.PortalURL+"/healthz", 200, "X-Forwarded-For", "203.0.113.7")
	fetch(srv.PortalURL+"/invite/secret-link-token-123", 410)
	fetch(srv.PortalURL+"/metrics", 404) // never on the public portal

	// An open staff event stream shows in the gauge, and streams through the wrapper.
	secret := ownerSession(t, srv)
	streamReq, _ := http.NewRequest("GET", srv.StaffURL+"/api/v1/events", nil)
	streamReq.Header.Set("Authorization", "Bearer "+secret)
	ctx, closeStream := context.WithCancel(context.Background())
	defer closeStream()
	sse(t, client, streamReq.WithContext(ctx))

	text := fetch(srv.StaffURL+"/metrics", 200)
	if err := metrics.CheckText(text); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	for _, want := range []string{
		`portico_http_requests_total{listener="portal",route="GET /healthz",code="200"} 1`,
		`portico_http_requests_total{listener="portal",route="GET /invite/{token}",code="410"} 1`,
		`portico_http_request_duration_seconds_count{listener="portal",route="GET /healthz"} 1`,
		`portico_http_request_duration_seconds_bucket{listener="portal",route="GET /healthz",le="+Inf"} 1`,
		`portico_mail_outbox_messages 0`,
		`portico_search_index_lag `, // its value depends on how far indexing got
		`portico_build_info{version="v1.2.3",go_version="go`,
	} {
		if !strings.Contains(text, "\n"+want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if !regexp.MustCompile(`\nportico_event_streams_open [1-9]`).MatchString(text) {
		t.Errorf("the open event stream is not counted:\n%s", text)
	}

	// The first scrape is counted by the second.
	text = fetch(srv.StaffURL+"/metrics", 200)
	if !strings.Contains(text, `portico_http_requests_total{listener="staff",route="GET /metrics",code="200"} 1`) {
		t.Errorf("the first scrape was not counted:\n%s", text)
	}

	// Request log lines carry the route pattern and the address behind the proxy, and
	// never a one-time link's path.
	logged := logs.String()
	if !regexp.MustCompile(`msg=request listener=portal method=GET route="GET /healthz" ` +
		`status=200 duration_ms=\d+ remote_addr=203.0.113.7`).MatchString(logged) {
		t.Errorf("no request log line for /healthz with the client address:\n%s", logged)
	}
	if strings.Contains(logged, "secret-link-token-123") {
		t.Errorf("a link's secret reached the log:\n%s", logged)
	}
}

// startAt runs a server over cfg (with free loopback ports, and a fresh data folder
// unless cfg names one) until the test ends. It returns an HTTPS client trusting its CA.
func startAt(t *testing.T, cfg server.Config, log *slog.Logger) (*server.Server, *http.Client) {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.PortalAddr, cfg.StaffAddr = freeAddr(t), freeAddr(t)
	_, port, _ := net.SplitHostPort(cfg.PortalAddr)
	cfg.PublicURL = "https://localhost:" + port
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.Open(ctx, cfg, log, io.Discard)
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
	client := &http.Client{Timeout: time.Minute,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.CA().Pool()}}}
	t.Cleanup(client.CloseIdleConnections)
	return srv, client
}

// ownerSession creates the owner through the service and returns a session secret.
func ownerSession(t *testing.T, srv *server.Server) string {
	t.Helper()
	link, err := srv.Service().IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := srv.Service().SetupOwner(path.Base(link), "owner@agency.example", "Olivia",
		"owner password 1")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// logBuffer is a bytes.Buffer that server goroutines may write to concurrently.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
