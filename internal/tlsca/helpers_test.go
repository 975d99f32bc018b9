package tlsca

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testNames are the names the tests create CAs and certificates for.
var testNames = Names{
	DNS: []string{"localhost", "portico-test.lan"},
	IPs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()},
}

// lockedBuffer is a log destination that goroutines outliving a test may still write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestLogger returns a logger that writes text records to the returned buffer.
func newTestLogger() (*slog.Logger, *lockedBuffer) {
	buf := &lockedBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// newTestCA creates a CA for names in a temporary folder.
func newTestCA(t *testing.T, names Names) *CA {
	t.Helper()
	logger, _ := newTestLogger()
	ca, err := LoadOrCreate(filepath.Join(t.TempDir(), "local-ca"), names, logger)
	if err != nil {
		t.Fatalf("LoadOrCreate: %v", err)
	}
	return ca
}

// serveHTTPS serves a small handler over TLS with cfg on network ("tcp4" or "tcp6")
// loopback and returns the listener's address. It skips the test when the address
// family is not available.
func serveHTTPS(t *testing.T, network string, cfg *tls.Config) string {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "tcp6" {
		addr = "[::1]:0"
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("no %s loopback: %v", network, err)
	}

	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("ok"))
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // refused handshakes are expected
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(tls.NewListener(ln, cfg)); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// newTestClient returns an HTTP client that trusts only pool and connects every request
// to addr, whatever host its URL names.
func newTestClient(pool *x509.CertPool, addr string) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	transport := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: transport, Timeout: 30 * time.Second}
}

// servedLeaf connects to addr with serverName as SNI (none when empty), verifying the
// certificate against pool for verifyName, and returns the certificate served.
func servedLeaf(pool *x509.CertPool, addr, serverName,
	verifyName string) (*x509.Certificate, error) {
	cfg := &tls.Config{
		RootCAs:            pool,
		ServerName:         serverName,
		InsecureSkipVerify: true, // verified below, for a name that may differ from the SNI
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	leaf := conn.ConnectionState().PeerCertificates[0]
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: verifyName})
	return leaf, err
}
