package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/internal/auth"
	"portico/internal/server"
)

// certValidity is how long Pebble's certificates last in these tests: short, so that
// certmagic renews them while the test watches.
const certValidity = 20 * time.Second

// acmePortico is a Portico with --domain, getting its portal certificate from Pebble.
type acmePortico struct {
	*harness
	logs       *syncBuffer
	portalAddr string
	httpAddr   string
	domain     string
	token      string // the owner's
	stop       func() // stops Portico, once; also done when the test ends
}

// startACMEPortico runs Portico on dataDir for domain, its portal on portalAddr and its
// plain-HTTP listener on httpAddr, with ca as its ACME CA. It stops when the test ends.
// token is the owner's session from an earlier start on dataDir; empty sets the owner up.
func startACMEPortico(t *testing.T, ca *pebble, dataDir, domain, portalAddr, httpAddr,
	token string) *acmePortico {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	cfg := server.Config{DataDir: dataDir, PortalAddr: portalAddr, StaffAddr: freeAddr(t),
		AgencyName: "Test Agency"}
	cfg.Domain, cfg.HTTPAddr = domain, httpAddr
	cfg.ACMECA, cfg.ACMECARoot, cfg.ACMEEmail = ca.directory, ca.minicaPEM, "ops@agency.example"
	cfg.RenewCheck = time.Second

	p := &acmePortico{harness: &harness{t: t}, logs: &syncBuffer{}, portalAddr: portalAddr,
		httpAddr: httpAddr, domain: domain}
	logger := slog.New(slog.NewTextHandler(p.logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.Open(ctx, cfg, logger, &p.out)
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
	p.stop = sync.OnceFunc(func() {
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
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("portico log:\n%s", p.logs.String())
		}
	})

	p.srv, p.portal, p.staff = srv, srv.PortalURL, srv.StaffURL
	p.tls = &tls.Config{RootCAs: srv.CA().Pool()}
	p.token = token
	if token == "" {
		p.token = p.setupOwner()
	}
	return p
}

// waitStatus polls GET /api/v1/tls until its status is want, for at most within.
func (p *acmePortico) waitStatus(want string, within time.Duration) map[string]any {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		st := p.api("GET", "/api/v1/tls", p.token, nil, http.StatusOK)
		if st["status"] == want {
			return st
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("tls status still %v after %v, want %q", st, within, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// served connects to the portal with serverName as SNI and returns the chain it serves.
func (p *acmePortico) served(serverName string) []*x509.Certificate {
	p.t.Helper()
	cfg := &tls.Config{ServerName: serverName, InsecureSkipVerify: true} // verified by callers
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp",
		p.portalAddr, cfg)
	if err != nil {
		p.t.Fatalf("handshake with %s: %v", serverName, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates
}

// verify checks chain against roots for name.
func verify(chain []*x509.Certificate, roots *x509.CertPool, name string) error {
	intermediates := x509.NewCertPool()
	for _, cert := range chain[1:] {
		intermediates.AddCert(cert)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: intermediates,
		DNSName: name})
	return err
}

// portalClient is a browser for the portal that trusts roots and reaches the domain at
// the portal's loopback address, as DNS would send it there.
func (p *acmePortico) portalClient(roots *x509.CertPool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2: true,
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, p.portalAddr)
			},
		},
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// checkPortalAnswers loads the portal's front page over HTTPS, trusting only roots.
func (p *acmePortico) checkPortalAnswers(roots *x509.CertPool) {
	p.t.Helper()
	resp, err := p.portalClient(roots).Get(p.portal + "/")
	if err != nil {
		p.t.Fatalf("GET %s/: %v", p.portal, err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		p.t.Errorf("GET %s/: status %d", p.portal, resp.StatusCode)
	}
}

func TestACMEObtainsAndRenewsFromPebble(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real ACME CA")
	}
	httpAddr, portalAddr := freeAddr(t), freeAddr(t)
	ca := startPebble(t, portOf(httpAddr), portOf(portalAddr), certValidity)

	// A lock like the one a killed Portico leaves in the middle of obtaining: cut off
	// mid-write, which certmagic alone would never take again.
	dataDir := t.TempDir()
	locks := filepath.Join(dataDir, "certs", "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		t.Fatal(err)
	}
	lock := fmt.Sprintf(`{"created":"%s","upd`, time.Now().UTC().Format(time.RFC3339))
	err := os.WriteFile(filepath.Join(locks, "issue_cert_portal.test.lock"), []byte(lock), 0o600)
	if err != nil {
		t.Fatal(err)
	}

	p := startACMEPortico(t, ca, dataDir, "portal.test", portalAddr, httpAddr, "")
	if !strings.Contains(p.out.String(), "HTTPS certificate for portal.test") {
		t.Errorf("start-up lines do not mention the certificate:\n%s", p.out.String())
	}
	st := p.waitStatus("ok", 60*time.Second)
	if st["mode"] != "acme" || st["domain"] != "portal.test" || st["last_error"] != "" ||
		!strings.Contains(fmt.Sprint(st["issuer"]), "Pebble") || st["not_after"] == nil {
		t.Errorf("tls status %v", st)
	}
	if !strings.Contains(p.logs.String(), "removed certificate lock") {
		t.Error("the stale lock was not reported as removed")
	}

	roots := ca.issuingRoots()
	first := p.served("portal.test")
	if err := verify(first, roots, "portal.test"); err != nil {
		t.Fatalf("served certificate does not verify against Pebble's root: %v", err)
	}
	p.checkPortalAnswers(roots)

	// Renewal: a new certificate is served before the first one expires.
	renewed := p.waitForNewSerial(first[0].SerialNumber, roots, 6*certValidity)
	if err := verify(renewed, roots, "portal.test"); err != nil {
		t.Errorf("renewed certificate does not verify: %v", err)
	}
	if !renewed[0].NotAfter.After(first[0].NotAfter) {
		t.Errorf("renewed certificate expires %v, not after the first's %v",
			renewed[0].NotAfter, first[0].NotAfter)
	}
	if st := p.waitStatus("ok", 10*time.Second); st["last_error"] != "" {
		t.Errorf("tls status after renewal %v", st)
	}

	// A restart while the CA is down serves the stored certificate, reports the failing
	// renewal, and falls back to the local CA's certificate once the stored one expires.
	p.stop()
	ca.stop()
	p = startACMEPortico(t, ca, dataDir, "portal.test", portalAddr, httpAddr, p.token)
	stored := p.served("portal.test")
	if err := verify(stored, roots, "portal.test"); err != nil {
		t.Fatalf("after a restart with the CA down, the stored certificate is not served: %v", err)
	}
	st = p.waitStatus("failing", 2*certValidity)
	if st["not_after"] != stored[0].NotAfter.UTC().Format(time.RFC3339) || st["last_error"] == "" {
		t.Errorf("tls status with the CA down %v, want the stored certificate's expiry", st)
	}
	p.waitForLocal(time.Until(stored[0].NotAfter) + 10*time.Second)
}

// waitForLocal polls the portal's certificate until the local CA's serves, for at most
// within.
func (p *acmePortico) waitForLocal(within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for verify(p.served(p.domain), p.srv.CA().Pool(), p.domain) != nil {
		if time.Now().After(deadline) {
			p.t.Fatalf("the local certificate was not served within %v", within)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// waitForNewSerial polls the portal's certificate until its serial is no longer old, for
// at most within, and returns the new chain.
// waitForNewSerial waits for a certificate from the ACME CA (one that verifies against
// roots) with another serial. The local CA's fallback, served if the first certificate
// expires before a slow renewal completes on a loaded machine, does not count.
func (p *acmePortico) waitForNewSerial(old *big.Int, roots *x509.CertPool,
	within time.Duration) []*x509.Certificate {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for {
		chain := p.served(p.domain)
		if chain[0].SerialNumber.Cmp(old) != 0 && verify(chain, roots, p.domain) == nil {
			return chain
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("certificate %x not renewed within %v", old, within)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func TestACMEFailingKeepsPortalUpOnLocalCertificate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real ACME CA")
	}
	httpAddr, portalAddr := freeAddr(t), freeAddr(t)
	ca := startPebble(t, portOf(httpAddr), portOf(portalAddr), certValidity)
	// The domain's DNS does not point at this machine yet: nothing answers Pebble there.
	ca.pointDNS("late.test", "127.0.0.2")

	p := startACMEPortico(t, ca, t.TempDir(), "late.test", portalAddr, httpAddr, "")
	st := p.waitStatus("failing", 60*time.Second)
	if st["mode"] != "acme" || st["domain"] != "late.test" || st["last_error"] == "" ||
		st["not_after"] != nil || st["ca_fingerprint"] != p.srv.CA().Fingerprint() {
		t.Errorf("tls status %v", st)
	}

	// Meanwhile the portal serves the local CA's certificate for the domain.
	if err := verify(p.served("late.test"), p.srv.CA().Pool(), "late.test"); err != nil {
		t.Errorf("fallback certificate: %v", err)
	}
	p.checkPortalAnswers(p.srv.CA().Pool())

	// Plain HTTP redirects to the portal.
	p.checkRedirect("/t/abc?tab=files", "https://late.test:"+portOf(portalAddr)+"/t/abc?tab=files")

	// Repeated failures do not flood the log: TLS-ALPN probes without a challenge each
	// fail, and only the first is logged.
	for range 20 {
		conn, err := tls.Dial("tcp", portalAddr, &tls.Config{ServerName: "late.test",
			NextProtos: []string{"acme-tls/1"}, InsecureSkipVerify: true})
		if err == nil {
			conn.Close()
		}
	}
	logs := p.logs.String()
	if n := strings.Count(logs, `msg="tls-alpn challenge"`); n != 1 {
		t.Errorf("tls-alpn failure logged %d times, want 1", n)
	}
	if n := strings.Count(logs, "https certificate not obtained"); n != 1 {
		t.Errorf("failed attempt logged %d times, want 1", n)
	}
}

// checkRedirect requests target over plain HTTP and expects a permanent redirect to want.
func (p *acmePortico) checkRedirect(target, want string) {
	p.t.Helper()
	req, _ := http.NewRequest("GET", "http://"+p.httpAddr+target, nil)
	req.Host = p.domain
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
		p.t.Errorf("GET http://%s%s: %d to %q, want 301 to %q", p.domain, target,
			resp.StatusCode, resp.Header.Get("Location"), want)
	}
}

func TestACMEEachChallengeType(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real ACME CA")
	}
	// Pebble validates one challenge type at a port where nothing listens; certmagic then
	// has to succeed with the other one.
	tests := []struct {
		name       string
		closedPort string // "http" or "tls"
	}{
		{"http-01", "tls"},
		{"tls-alpn-01", "http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			httpAddr, portalAddr := freeAddr(t), freeAddr(t)
			httpPort, tlsPort := portOf(httpAddr), portOf(portalAddr)
			closed := portOf(freeAddr(t))
			if tt.closedPort == "http" {
				httpPort = closed
			} else {
				tlsPort = closed
			}
			ca := startPebble(t, httpPort, tlsPort, certValidity)

			p := startACMEPortico(t, ca, t.TempDir(), "portal.test", portalAddr, httpAddr, "")
			p.waitStatus("ok", 60*time.Second)
			if err := verify(p.served("portal.test"), ca.issuingRoots(), "portal.test"); err != nil {
				t.Errorf("served certificate: %v", err)
			}
		})
	}
}

// portOf returns the port of a host:port address.
func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
