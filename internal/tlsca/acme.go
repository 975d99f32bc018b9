package tlsca

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caddyserver/certmagic"
	"go.uber.org/zap"
)

// LetsEncrypt is the directory of Let's Encrypt's production ACME CA, the CA Portico uses
// when it is given a domain but no ACME CA.
const LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"

// acmeTLSProtocol is the ALPN protocol of TLS-ALPN-01 challenges (RFC 8737).
const acmeTLSProtocol = "acme-tls/1"

// defaultRenewCheck is how often certmagic looks for ACME certificates to renew.
const defaultRenewCheck = 10 * time.Minute

// ACMEOptions says which certificate an ACME manager keeps and where it comes from.
type ACMEOptions struct {
	// Domain is the public host name the certificate is for.
	Domain string
	// CA is the URL of the ACME CA's directory. It is required: the manager never picks a
	// CA by itself.
	CA string
	// Email is the ACME account's contact address; empty registers an account without one.
	Email string
	// CARoots are the roots trusted for the CA's own HTTPS; nil means the system's roots.
	CARoots *x509.CertPool
	// StorageDir keeps the ACME account, the certificates and certmagic's locks. It may be
	// the folder the local CA's certificates live in.
	StorageDir string
	// Fallback serves every handshake the manager has no certificate for: other names, and
	// the domain itself until its first certificate arrives or once it has expired.
	Fallback func(*tls.ClientHelloInfo) (*tls.Certificate, error)
	// Logger receives certificate events. Repeated warnings are held back for a while
	// and counted, so that a CA that keeps failing does not flood the log.
	Logger *slog.Logger
	// RenewCheck is how often the certificate is checked for renewal; zero means every
	// 10 minutes. Tests shorten it.
	RenewCheck time.Duration
}

// ACME keeps a publicly trusted certificate for one domain, obtained and renewed from an
// ACME CA by certmagic, answering the CA's HTTP-01 and TLS-ALPN-01 challenges on the
// portal's own listeners. Until it has a valid certificate, handshakes are served by the
// fallback (the local CA), so the portal stays up while the CA cannot be reached or the
// domain does not point here yet. An ACME is safe for concurrent use.
type ACME struct {
	domain   string
	magic    *certmagic.Config
	cache    *certmagic.Cache
	issuer   *certmagic.ACMEIssuer
	storage  *closingStorage
	fallback func(*tls.ClientHelloInfo) (*tls.Certificate, error)
	status   *acmeStatus

	ctx     context.Context // ends certificate management
	cancel  context.CancelFunc
	started atomic.Bool
	once    sync.Once
	done    chan struct{} // closed when maintenance has stopped and storage is closed
}

// NewACME prepares certificate management for opts.Domain without contacting the CA:
// Start begins it once the listeners are bound. Management ends with ctx, or with Stop.
func NewACME(ctx context.Context, opts ACMEOptions) (*ACME, error) {
	domain, err := publicDomain(opts.Domain)
	if err != nil {
		return nil, err
	}
	if err := checkDirectoryURL(opts.CA); err != nil {
		return nil, err
	}
	if opts.Fallback == nil || opts.Logger == nil || opts.StorageDir == "" {
		return nil, errors.New("acme: fallback, logger and storage folder are required")
	}

	ctx, cancel := context.WithCancel(ctx)
	logger := slog.New(newQuietHandler(opts.Logger.Handler(), quietWindow, ctx.Done()))
	a := &ACME{
		domain:   domain,
		storage:  newClosingStorage(&certmagic.FileStorage{Path: opts.StorageDir}),
		fallback: opts.Fallback,
		status:   &acmeStatus{domain: domain, log: logger},
		ctx:      ctx,
		cancel:   cancel,
		done:     make(chan struct{}),
	}
	a.configure(opts, newZapLogger(logger))

	go func() {
		<-a.ctx.Done()
		a.stop()
	}()
	return a, nil
}

// configure sets up the certmagic cache, configuration and ACME issuer.
func (a *ACME) configure(opts ACMEOptions, zapLogger *zap.Logger) {
	renewCheck := opts.RenewCheck
	if renewCheck <= 0 {
		renewCheck = defaultRenewCheck
	}
	var current atomic.Pointer[certmagic.Config]
	a.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) {
			return current.Load(), nil
		},
		RenewCheckInterval: renewCheck,
		Logger:             zapLogger,
	})

	a.magic = certmagic.New(a.cache, certmagic.Config{
		OnEvent:        a.status.onEvent,
		ShouldEmitFunc: func(event string) bool { return acmeEvents[event] },
		KeySource:      certmagic.StandardKeyGenerator{KeyType: certmagic.P256},
		OCSP:           certmagic.OCSPConfig{DisableStapling: true},
		Storage:        a.storage,
		Logger:         zapLogger,
	})
	// certmagic.New filled in a default issuer; it is replaced before anything can use it.
	a.issuer = certmagic.NewACMEIssuer(a.magic, certmagic.ACMEIssuer{
		CA:           opts.CA,
		Email:        opts.Email,
		Agreed:       true,
		TrustedRoots: opts.CARoots,
		Logger:       zapLogger,
	})
	a.magic.Issuers = []certmagic.Issuer{a.issuer}
	current.Store(a.magic)
}

// Domain returns the name the certificate is for, normalized.
func (a *ACME) Domain() string { return a.domain }

// Start obtains the certificate, or loads it from storage and renews it when due, in the
// background, and keeps it renewed until management ends. httpAddr and tlsAddr are the bound
// addresses of the listeners that answer the CA's challenges: the plain-HTTP one, whose
// handler comes from HTTPHandler, and the portal, whose TLS configuration comes from
// TLSConfig. Both must be listening before Start, so that certmagic never binds their
// ports itself. Call Start once.
func (a *ACME) Start(httpAddr, tlsAddr net.Addr) error {
	host, httpPort, err := hostPort(httpAddr)
	if err != nil {
		return err
	}
	_, tlsPort, err := hostPort(tlsAddr)
	if err != nil {
		return err
	}
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("acme: already started")
	}

	// certmagic tries to bind these addresses for its own challenge servers; they are
	// taken by Portico's listeners, so it finds them in use and leaves the challenges to
	// them.
	a.issuer.ListenHost = host
	a.issuer.AltHTTPPort = httpPort
	a.issuer.AltTLSALPNPort = tlsPort

	// A stored certificate is loaded now, so that it serves from the first handshake
	// (certmagic would load it in the background), and renewed at once if due.
	_, err = a.magic.CacheManagedCertificate(a.ctx, a.domain)
	if err == nil {
		go func() { _ = a.cache.RenewManagedCertificates(a.ctx) }()
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		// certmagic will not replace a certificate it cannot load; say so.
		a.status.failed(false, "load the stored certificate: "+err.Error())
	}
	if err := a.magic.ManageAsync(a.ctx, []string{a.domain}); err != nil {
		return fmt.Errorf("acme certificate for %s: %w", a.domain, err)
	}
	return nil
}

// Stop ends certificate management, aborting an attempt under way, and returns once
// nothing more is written to storage.
func (a *ACME) Stop() {
	a.cancel()
	<-a.done
}

// stop ends certificate maintenance and closes storage, once. Attempts under way end
// with a.ctx, releasing their locks, which close waits for.
func (a *ACME) stop() {
	a.once.Do(func() {
		a.cache.Stop()
		a.storage.close()
		close(a.done)
	})
}

// TLSConfig returns the portal's TLS server configuration: the ACME certificate for the
// domain while a valid one is at hand, certmagic's answers to TLS-ALPN-01 challenges, and
// the fallback for everything else.
func (a *ACME) TLSConfig() *tls.Config {
	return &tls.Config{
		GetCertificate: a.getCertificate,
		MinVersion:     tls.VersionTLS12,
		NextProtos:     []string{"h2", "http/1.1", acmeTLSProtocol},
	}
}

func (a *ACME) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if isChallenge(hello) {
		return a.magic.GetCertificate(hello)
	}
	if strings.EqualFold(strings.TrimSuffix(hello.ServerName, "."), a.domain) {
		if cert := a.current(time.Now()); cert != nil {
			return &cert.Certificate, nil
		}
	}
	return a.fallback(hello)
}

// current returns the valid ACME certificate for the domain that lasts longest, or nil.
func (a *ACME) current(now time.Time) *certmagic.Certificate {
	var best *certmagic.Certificate
	for _, cert := range a.cache.AllMatchingCertificates(a.domain) {
		leaf := cert.Leaf
		if leaf == nil || now.Before(leaf.NotBefore) || !now.Before(leaf.NotAfter) {
			continue
		}
		if best == nil || leaf.NotAfter.After(best.Leaf.NotAfter) {
			best = &cert
		}
	}
	return best
}

// isChallenge reports whether hello comes from an ACME CA validating TLS-ALPN-01: it
// offers that one protocol only, for a name.
func isChallenge(hello *tls.ClientHelloInfo) bool {
	return hello.ServerName != "" && len(hello.SupportedProtos) == 1 &&
		hello.SupportedProtos[0] == acmeTLSProtocol
}

// publicDomain normalizes domain and checks that an ACME CA could issue for it: a host
// name with at least two labels, not an IP address and not localhost.
func publicDomain(domain string) (string, error) {
	clean, ok := cleanDNSName(domain)
	if !ok || !strings.Contains(clean, ".") || strings.HasSuffix(clean, ".localhost") ||
		net.ParseIP(clean) != nil {
		return "", fmt.Errorf("domain must be a public host name such as portal.example.com, "+
			"got %q", domain)
	}
	return clean, nil
}

// checkDirectoryURL refuses an ACME directory URL that is missing or not HTTPS.
func checkDirectoryURL(raw string) error {
	if raw == "" {
		return errors.New("acme: the CA's directory URL is required")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("acme CA must be an https:// directory URL, got %q", raw)
	}
	return nil
}

// hostPort splits a bound TCP address into its host and port.
func hostPort(addr net.Addr) (string, int, error) {
	host, portText, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "", 0, fmt.Errorf("acme: listener address %s: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return "", 0, fmt.Errorf("acme: listener address %s: %w", addr, err)
	}
	return host, port, nil
}
