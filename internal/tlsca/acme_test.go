package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testDomain is the public name the ACME tests manage.
const testDomain = "portal.example.com"

// newTestACME returns an ACME manager for testDomain that falls back to a local CA
// covering that name; nothing contacts the CA, which is never started.
func newTestACME(t *testing.T) (*ACME, *CA) {
	t.Helper()
	names := Names{DNS: []string{"localhost", testDomain}}
	ca := newTestCA(t, names)
	logger, _ := newTestLogger()
	storage := filepath.Join(t.TempDir(), "certs")
	local, err := TLSConfig(t.Context(), ca, storage, names, logger)
	if err != nil {
		t.Fatalf("TLSConfig: %v", err)
	}
	a, err := NewACME(t.Context(), ACMEOptions{Domain: "Portal.Example.com.",
		CA: "https://127.0.0.1:1/directory", StorageDir: storage,
		Fallback: local.GetCertificate, Logger: logger})
	if err != nil {
		t.Fatalf("NewACME: %v", err)
	}
	t.Cleanup(a.Stop)
	return a, ca
}

func TestNewACMERefusesBadOptions(t *testing.T) {
	logger, _ := newTestLogger()
	fallback := func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, nil }
	good := ACMEOptions{Domain: testDomain, CA: "https://127.0.0.1:1/dir", StorageDir: "certs",
		Fallback: fallback, Logger: logger}

	tests := []struct {
		name   string
		change func(*ACMEOptions)
		want   string
	}{
		{"no domain", func(o *ACMEOptions) { o.Domain = "" }, "public host name"},
		{"single label", func(o *ACMEOptions) { o.Domain = "portal" }, "public host name"},
		{"ip address", func(o *ACMEOptions) { o.Domain = "192.0.2.10" }, "public host name"},
		{"localhost", func(o *ACMEOptions) { o.Domain = "app.localhost" }, "public host name"},
		{"url", func(o *ACMEOptions) { o.Domain = "https://" + testDomain }, "public host name"},
		{"no ca", func(o *ACMEOptions) { o.CA = "" }, "directory URL is required"},
		{"plain http ca", func(o *ACMEOptions) { o.CA = "http://127.0.0.1:1/dir" }, "https://"},
		{"no fallback", func(o *ACMEOptions) { o.Fallback = nil }, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := good
			tt.change(&opts)
			a, err := NewACME(t.Context(), opts)
			if err == nil {
				a.Stop()
				t.Fatal("NewACME accepted the options")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestACMEHTTPHandlerRedirectsToHTTPS(t *testing.T) {
	a, _ := newTestACME(t)
	h := a.HTTPHandler("https://" + testDomain + ":8443/")

	tests := []struct {
		method, target string
		status         int
		location       string
	}{
		{"GET", "/t/abc?tab=files", 301, "https://portal.example.com:8443/t/abc?tab=files"},
		{"HEAD", "/", 301, "https://portal.example.com:8443/"},
		{"POST", "/signin", 308, "https://portal.example.com:8443/signin"},
		{"OPTIONS", "*", 308, "https://portal.example.com:8443/"},
		{"GET", "//evil.example/x", 301, "https://portal.example.com:8443//evil.example/x"},
		{"GET", "/.well-known/acme-challenge/unknown-token", 301,
			"https://portal.example.com:8443/.well-known/acme-challenge/unknown-token"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "http://"+testDomain+"/", nil)
			r.RequestURI = tt.target
			r.URL.Path, r.URL.RawQuery, _ = strings.Cut(tt.target, "?")
			if tt.target == "*" {
				r.URL.Path = "*"
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if w.Code != tt.status || w.Header().Get("Location") != tt.location {
				t.Errorf("got %d to %q, want %d to %q", w.Code, w.Header().Get("Location"),
					tt.status, tt.location)
			}
		})
	}
}

func TestACMEServesFallbackUntilCertificateArrives(t *testing.T) {
	a, ca := newTestACME(t)
	if a.Domain() != testDomain {
		t.Fatalf("domain %q, want %q", a.Domain(), testDomain)
	}
	addr := serveHTTPS(t, "tcp4", a.TLSConfig())

	// No ACME certificate yet: the local CA's certificate for the domain serves.
	local, err := servedLeaf(ca.Pool(), addr, testDomain, testDomain)
	if err != nil {
		t.Fatalf("fallback certificate: %v", err)
	}
	if st := a.Status(); st.State != ACMEObtaining || !st.NotAfter.IsZero() {
		t.Errorf("status %+v, want obtaining without a certificate", st)
	}

	// An expired certificate in the cache is not served.
	expired := issueLeaf(t, ca, -time.Hour)
	if _, err := a.magic.CacheUnmanagedTLSCertificate(t.Context(), expired, nil); err != nil {
		t.Fatal(err)
	}
	if leaf, _ := servedLeaf(ca.Pool(), addr, testDomain, testDomain); leaf.SerialNumber.Cmp(
		expired.Leaf.SerialNumber) == 0 {
		t.Error("expired certificate served")
	}

	// A valid one is, for the domain only, and the status reports it.
	valid := issueLeaf(t, ca, 24*time.Hour)
	if _, err := a.magic.CacheUnmanagedTLSCertificate(t.Context(), valid, nil); err != nil {
		t.Fatal(err)
	}
	leaf, err := servedLeaf(ca.Pool(), addr, testDomain, testDomain)
	if err != nil || leaf.SerialNumber.Cmp(valid.Leaf.SerialNumber) != 0 {
		t.Errorf("served serial %v (%v), want the cached certificate's %v", leaf.SerialNumber,
			err, valid.Leaf.SerialNumber)
	}
	if other, _ := servedLeaf(ca.Pool(), addr, "localhost", "localhost"); other.SerialNumber.Cmp(
		valid.Leaf.SerialNumber) == 0 || other.SerialNumber.Cmp(local.SerialNumber) == 0 {
		t.Error("localhost was not served its own local certificate")
	}
	st := a.Status()
	if st.State != ACMEOK || !st.NotAfter.Equal(valid.Leaf.NotAfter) ||
		!strings.HasPrefix(st.Issuer, "Portico local CA") {
		t.Errorf("status %+v, want ok with the cached certificate", st)
	}
}

func TestACMEStatusFollowsAttempts(t *testing.T) {
	a, _ := newTestACME(t)
	ctx := t.Context()

	_ = a.status.onEvent(ctx, "cert_failed", map[string]any{"renewal": false,
		"error": errors.New("no such host: " + testDomain)})
	st := a.Status()
	if st.State != ACMEFailing || !strings.Contains(st.LastError, "no such host") {
		t.Errorf("after a failure: %+v", st)
	}

	_ = a.status.onEvent(ctx, "cert_failed", map[string]any{"error": strings.Repeat("é", 900)})
	got := a.Status().LastError
	if len(got) > maxErrorLength+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long error not cut: %d bytes", len(got))
	}

	_ = a.status.onEvent(ctx, "cert_obtained", map[string]any{"renewal": true})
	if st := a.Status(); st.State != ACMEObtaining || st.LastError != "" {
		t.Errorf("after success, with nothing cached: %+v", st)
	}
}

func TestIsChallenge(t *testing.T) {
	tests := []struct {
		name  string
		hello tls.ClientHelloInfo
		want  bool
	}{
		{"tls-alpn-01", tls.ClientHelloInfo{ServerName: testDomain,
			SupportedProtos: []string{"acme-tls/1"}}, true},
		{"browser", tls.ClientHelloInfo{ServerName: testDomain,
			SupportedProtos: []string{"h2", "http/1.1"}}, false},
		{"also offers http", tls.ClientHelloInfo{ServerName: testDomain,
			SupportedProtos: []string{"acme-tls/1", "http/1.1"}}, false},
		{"no name", tls.ClientHelloInfo{SupportedProtos: []string{"acme-tls/1"}}, false},
	}
	for _, tt := range tests {
		if got := isChallenge(&tt.hello); got != tt.want {
			t.Errorf("%s: isChallenge = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIssuerName(t *testing.T) {
	tests := []struct {
		cn   string
		org  []string
		want string
	}{
		{"R11", []string{"Let's Encrypt"}, "Let's Encrypt R11"},
		{"Pebble Intermediate CA 1a2b3c", nil, "Pebble Intermediate CA 1a2b3c"},
		{"", []string{"Example CA"}, "Example CA"},
		{"Example CA Root", []string{"Example CA"}, "Example CA Root"},
	}
	for _, tt := range tests {
		leaf := &x509.Certificate{Issuer: pkix.Name{CommonName: tt.cn, Organization: tt.org}}
		if got := issuerName(leaf); got != tt.want {
			t.Errorf("issuerName(%q, %q) = %q, want %q", tt.cn, tt.org, got, tt.want)
		}
	}
}

// issueLeaf signs a certificate for testDomain that expires validFor from now (in the
// past when negative).
func issueLeaf(t *testing.T, ca *CA, validFor time.Duration) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: mustSerial(t),
		Subject:      pkix.Name{CommonName: testDomain},
		DNSNames:     []string{testDomain},
		NotBefore:    time.Now().Add(-2 * time.Hour),
		NotAfter:     time.Now().Add(validFor),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func mustSerial(t *testing.T) *big.Int {
	t.Helper()
	serial, err := randomSerial()
	if err != nil {
		t.Fatal(err)
	}
	return serial
}
