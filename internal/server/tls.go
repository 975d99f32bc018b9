package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portico/internal/staffapi"
	"portico/internal/tlsca"
)

// PublicTLS is how the portal gets a publicly trusted certificate: by ACME, for Domain.
// Without a domain the portal serves certificates of the local CA, which clients must
// trust first.
type PublicTLS struct {
	// Domain is the portal's public host name. Setting it turns ACME on, moves the portal
	// to :443 unless PortalAddr says otherwise, and adds the plain-HTTP listener.
	Domain string
	// HTTPAddr is the plain-HTTP listener's address, ":80" by default. It answers HTTP-01
	// challenges and redirects everything else to the portal over HTTPS.
	HTTPAddr string
	// ACMECA is the ACME CA's directory URL, Let's Encrypt's by default.
	ACMECA string
	// ACMEEmail is the ACME account's contact address, optional.
	ACMEEmail string
	// ACMECARoot is a PEM file of root certificates to trust for the ACME CA's own HTTPS,
	// for a private CA; the system's roots are trusted as well.
	ACMECARoot string
	// RenewCheck is how often the certificate is checked for renewal; zero means every 10
	// minutes. Tests shorten it.
	RenewCheck time.Duration
}

// publicTLS is the ACME side of a running Portico.
type publicTLS struct {
	acme *tlsca.ACME
	http *http.Server
	ln   net.Listener // the bound plain-HTTP listener, after Listen
}

// tlsDefaults normalizes the domain and fills in what a domain implies.
func (c *Config) tlsDefaults() {
	c.Domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(c.Domain)), ".")
	if c.Domain == "" {
		return
	}
	if c.PortalAddr == "" {
		c.PortalAddr = ":443"
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":80"
	}
	if c.ACMECA == "" {
		c.ACMECA = tlsca.LetsEncrypt
	}
}

// checkTLS refuses ACME settings without a domain (they would be ignored) and a public
// URL on another host than the domain (the certificate would not cover it).
func (c *Config) checkTLS() error {
	if c.Domain == "" {
		set := []struct{ flag, value string }{{"--http-addr", c.HTTPAddr},
			{"--acme-ca", c.ACMECA}, {"--acme-email", c.ACMEEmail}, {"--acme-ca-root", c.ACMECARoot}}
		for _, f := range set {
			if f.value != "" {
				return fmt.Errorf("%s needs --domain: without a domain the portal uses the "+
					"local certificate authority", f.flag)
			}
		}
		return nil
	}
	if strings.ContainsAny(c.Domain, ":/") {
		return fmt.Errorf("--domain takes a host name only, such as portal.example.com, got %q",
			c.Domain)
	}
	if c.PublicURL != "" && !strings.EqualFold(urlHost(c.PublicURL), c.Domain) {
		return fmt.Errorf("--public-url %s is not on --domain %s, which the certificate is for",
			c.PublicURL, c.Domain)
	}
	return nil
}

// domainURL is the public URL with a domain: the domain with the portal's port, which
// browsers leave out when it is 443.
func (c *Config) domainURL() (string, error) {
	_, port, err := net.SplitHostPort(c.PortalAddr)
	if err != nil {
		return "", fmt.Errorf("--portal-addr %q: %w", c.PortalAddr, err)
	}
	if port == "443" {
		return "https://" + c.Domain, nil
	}
	return "https://" + net.JoinHostPort(c.Domain, port), nil
}

// portalTLS returns the portal's TLS configuration: local as it is without a domain, or
// with one, ACME's, falling back to local. It also builds the plain-HTTP server.
func (s *Server) portalTLS(ctx context.Context, local *tls.Config) (*tls.Config, error) {
	if s.cfg.Domain == "" {
		return local, nil
	}
	roots, err := acmeRoots(s.cfg.ACMECARoot)
	if err != nil {
		return nil, err
	}
	acme, err := tlsca.NewACME(ctx, tlsca.ACMEOptions{
		Domain:     s.cfg.Domain,
		CA:         s.cfg.ACMECA,
		Email:      s.cfg.ACMEEmail,
		CARoots:    roots,
		StorageDir: s.path("certs"),
		Fallback:   local.GetCertificate,
		Logger:     s.log,
		RenewCheck: s.cfg.RenewCheck,
	})
	if err != nil {
		return nil, fmt.Errorf("--domain: %w", err)
	}
	s.public = &publicTLS{
		acme: acme,
		http: newHTTPServer(ctx, s.cfg.HTTPAddr, acme.HTTPHandler(s.PortalURL), nil, s.log),
	}
	return acme.TLSConfig(), nil
}

// acmeRoots reads --acme-ca-root: the system's roots plus those in the file, or nil
// (the system's alone) without a file.
func acmeRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--acme-ca-root: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("--acme-ca-root %s holds no PEM certificate", file)
	}
	return pool, nil
}

// clearCertLocks removes certificate locks left by a killed process; the data folder is
// held, so no other process can own them.
func (s *Server) clearCertLocks() error {
	return tlsca.ClearLocks(s.path("certs"), s.log)
}

// listenHTTP binds the plain-HTTP listener, when there is a domain.
func (s *Server) listenHTTP() error {
	if s.public == nil {
		return nil
	}
	ln, err := listen(s.public.http.Addr, "--http-addr")
	if err != nil {
		return err
	}
	s.public.ln = ln
	return nil
}

// closeHTTPListener releases the plain-HTTP listener when serving never starts.
func (s *Server) closeHTTPListener() {
	if s.public != nil && s.public.ln != nil {
		s.public.ln.Close()
	}
}

// servePublic starts ACME, now that the listeners answering its challenges are bound, and
// adds the plain-HTTP server to pairs. Without a domain it returns pairs as they are.
func (s *Server) servePublic(pairs []served) []served {
	if s.public == nil || s.public.ln == nil {
		return pairs
	}
	for _, pair := range pairs {
		if pair.srv != s.portal {
			continue
		}
		if err := s.public.acme.Start(s.public.ln.Addr(), pair.ln.Addr()); err != nil {
			// The portal still serves the local certificate; the status shows the failure.
			s.log.Error("https certificate management did not start", "error", err)
		}
	}
	return append(pairs, served{s.public.http, s.public.ln})
}

// serveOne serves one listener: over TLS when its server has a TLS configuration.
func serveOne(pair served) error {
	if pair.srv.TLSConfig == nil {
		return pair.srv.Serve(pair.ln)
	}
	return pair.srv.Serve(tls.NewListener(pair.ln, pair.srv.TLSConfig))
}

// shutdownPublic stops the plain-HTTP server and certificate management, and returns
// once nothing more is written to the data folder.
func (s *Server) shutdownPublic(ctx context.Context) {
	if s.public == nil {
		return
	}
	s.public.http.Shutdown(ctx)
	s.public.acme.Stop()
}

// tlsStatus is what the staff API reports about the portal's certificate.
func (s *Server) tlsStatus() staffapi.TLSStatus {
	st := staffapi.TLSStatus{Mode: staffapi.TLSModeLocal, Status: tlsca.ACMEOK,
		CAFingerprint: s.ca.Fingerprint()}
	if s.public == nil {
		return st
	}
	acme := s.public.acme.Status()
	st.Mode = staffapi.TLSModeACME
	st.Domain = acme.Domain
	st.Status = acme.State
	st.LastError = acme.LastError
	st.Issuer = acme.Issuer
	if !acme.NotAfter.IsZero() {
		st.NotAfter = &acme.NotAfter
	}
	return st
}

// announceTLS prints how the portal gets its certificate.
func (s *Server) announceTLS() {
	if s.public == nil {
		return
	}
	httpAddr := s.cfg.HTTPAddr
	if s.public.ln != nil {
		httpAddr = s.public.ln.Addr().String()
	}
	fmt.Fprintf(s.out, "  HTTPS certificate for %s from %s (HTTP on %s answers the CA and "+
		"redirects to HTTPS)\n", s.cfg.Domain, s.cfg.ACMECA, httpAddr)
}

// explainListen wraps a failure to listen on addr. When the port is privileged and this
// user may not bind it, it says how to fix that.
func explainListen(err error, addr, flag string) error {
	_, portText, splitErr := net.SplitHostPort(addr)
	port, atoiErr := strconv.Atoi(portText)
	if !errors.Is(err, syscall.EACCES) || splitErr != nil || atoiErr != nil || port >= 1024 {
		return fmt.Errorf("%s %s: %w", flag, addr, err)
	}

	binary, exeErr := os.Executable()
	if exeErr != nil {
		binary = "/path/to/portico"
	}
	instead := map[int]string{443: ":8443", 80: ":8080"}[port]
	if instead == "" {
		instead = ":" + strconv.Itoa(port+8000)
	}
	return fmt.Errorf("%s %s: %w\n"+
		"Only privileged users may listen on port %d. To fix this, either:\n"+
		"  - let this binary do so: sudo setcap cap_net_bind_service=+ep %s\n"+
		"  - listen on a port above 1023, such as %s %s, and forward port %d to it\n"+
		"  - or run Portico behind a reverse proxy that listens on port %d",
		flag, addr, err, port, binary, flag, instead, port, port)
}
