package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// serverMode says how a test SMTP server offers TLS.
type serverMode int

const (
	plainServer    serverMode = iota // no TLS; AUTH allowed in clear
	startTLSServer                   // STARTTLS offered
	implicitServer                   // TLS from the first byte
)

// delivery is one message received by a test server.
type delivery struct {
	From string
	To   []string
	Data []byte
	User string
	TLS  bool
}

// testBackend is a go-smtp backend that checks one user's password and records mail.
type testBackend struct {
	user     string
	password string
	// authError, when set, is returned for a wrong password instead of ErrAuthFailed.
	authError error
	// reject lists recipients refused with a permanent 550 reply.
	reject map[string]bool

	mu         sync.Mutex
	deliveries []delivery
}

// NewSession starts a session on c.
func (b *testBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &testSession{backend: b, conn: c}, nil
}

// received returns a copy of the messages delivered so far.
func (b *testBackend) received() []delivery {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]delivery(nil), b.deliveries...)
}

// testSession is one SMTP conversation with a testBackend.
type testSession struct {
	backend *testBackend
	conn    *smtp.Conn
	user    string
	current delivery
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.backend.user || password != s.backend.password {
			if s.backend.authError != nil {
				return s.backend.authError
			}
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.backend.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.current = delivery{From: from, User: s.user, TLS: isTLS}
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.backend.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "no such user"}
	}
	s.current.To = append(s.current.To, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.current.Data = data

	s.backend.mu.Lock()
	defer s.backend.mu.Unlock()
	s.backend.deliveries = append(s.backend.deliveries, s.current)
	return nil
}

func (s *testSession) Reset()        { s.current = delivery{} }
func (s *testSession) Logout() error { return nil }

// startServer runs a go-smtp server for b on a free loopback port until the test ends.
func startServer(t *testing.T, b *testBackend, mode serverMode, cert tls.Certificate) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	serve(t, b, mode, cert, ln)
	return ln.Addr().String()
}

// serve runs a go-smtp server for b on ln until the test ends.
func serve(t *testing.T, b *testBackend, mode serverMode, cert tls.Certificate, ln net.Listener) {
	t.Helper()
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)

	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	switch mode {
	case plainServer:
		srv.AllowInsecureAuth = true
	case startTLSServer:
		srv.TLSConfig = tlsConfig
	case implicitServer:
		srv.TLSConfig = tlsConfig
		ln = tls.NewListener(ln, tlsConfig)
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = ln.Close()
		if err := <-done; err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Errorf("smtp server: %v", err)
		}
	})
}

// testCA makes a CA and a server certificate for the loopback addresses and localhost,
// and returns the certificate and a pool that trusts the CA.
func testCA(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Portico test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey,
		caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, pool
}
