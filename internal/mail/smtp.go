package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultTimeout bounds one SMTP delivery when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// ErrInvalidConfig is wrapped by every error NewSMTP returns for a bad URL or from address.
var ErrInvalidConfig = errors.New("invalid mail configuration")

// Options tunes an SMTP sender.
type Options struct {
	// RootCAs verifies the server's certificate; nil means the system's roots.
	RootCAs *x509.CertPool
	// Timeout bounds one delivery: connecting, TLS, authentication and sending.
	// Zero means DefaultTimeout.
	Timeout time.Duration
}

// SMTP is a Sender that delivers each message over its own connection to one mail server.
// It is safe for concurrent use.
type SMTP struct {
	server  serverConfig
	from    string
	domain  string
	rootCAs *x509.CertPool
	timeout time.Duration
}

// NewSMTP returns a Sender for the mail server at rawURL, sending as from (an address such
// as "Agency <noreply@agency.example>").
//
// The URL is smtp://user:pass@host:port or smtps://user:pass@host:port; user and password
// are percent-decoded, and a URL without a user means no authentication.
//
//   - smtps uses implicit TLS (default port 465).
//   - smtp (default port 587) requires STARTTLS, so a password never crosses the network in
//     clear and a downgrade by an attacker fails instead of leaking it. The one exception is
//     a loopback host (localhost, 127.0.0.0/8, ::1): there STARTTLS is used when offered and
//     the connection may stay unencrypted otherwise, since the traffic never leaves the
//     machine. A local relay is typical for self-hosting.
//
// Certificates are always verified against opts.RootCAs (or the system's roots), loopback
// included; a local relay with a self-signed certificate needs its CA in opts.RootCAs.
// Authentication uses PLAIN, or LOGIN when the server offers only that.
//
// Errors wrap ErrInvalidConfig and never contain the password.
func NewSMTP(rawURL, from string, opts Options) (*SMTP, error) {
	server, err := parseServerURL(rawURL)
	if err != nil {
		return nil, err
	}

	addr, err := parseFrom(from)
	if err != nil {
		return nil, err
	}

	if opts.Timeout < 0 {
		return nil, fmt.Errorf("%w: negative timeout", ErrInvalidConfig)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}

	s := &SMTP{
		server:  server,
		from:    addr.String(),
		domain:  recipientDomain(addr.Address),
		rootCAs: opts.RootCAs,
		timeout: timeout,
	}
	return s, nil
}

// String describes the server with the password redacted, for logs and settings pages.
func (s *SMTP) String() string {
	return s.server.String()
}

// Send delivers m over a new connection, honouring ctx and the configured timeout.
// See Sender for the meaning of its errors.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.buildMsg(m)
	if err != nil {
		return s.redact(fmt.Errorf("%w: %w", ErrPermanent, err), m.To)
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	stops := make([]func() bool, 0, 1)
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()

	client, err := s.newClient(ctx, &stops)
	if err != nil {
		return s.redact(fmt.Errorf("send mail: %w", err), m.To)
	}

	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}

	if ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	if isPermanentSMTP(err) {
		err = fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return s.redact(fmt.Errorf("send mail to %s: %w", s.server.hostPort(), err), m.To)
}

// newClient prepares a go-mail client for one delivery. Its connection is closed as soon
// as ctx is done; the functions that arrange that are appended to stops.
func (s *SMTP) newClient(ctx context.Context, stops *[]func() bool) (*gomail.Client, error) {
	tlsConfig := &tls.Config{
		ServerName: s.server.host,
		RootCAs:    s.rootCAs,
		MinVersion: tls.VersionTLS12,
	}

	dial := func(dialCtx context.Context, network, _ string) (net.Conn, error) {
		conn, err := s.dial(dialCtx, network, tlsConfig)
		if err != nil {
			return nil, err
		}
		*stops = append(*stops, context.AfterFunc(ctx, func() { _ = conn.Close() }))
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.server.port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(tlsConfig),
		gomail.WithDialContextFunc(dial),
	}
	if s.server.implicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.server.startTLSPolicy()))
	}
	if s.server.user != "" {
		auth := &passwordAuth{
			user:      s.server.user,
			password:  s.server.password,
			host:      s.server.host,
			plaintext: s.server.loopback(),
		}
		opts = append(opts, gomail.WithSMTPAuthCustom(auth))
	}
	return gomail.NewClient(s.server.host, opts...)
}

// dial connects to the server itself rather than leaving it to go-mail, so that IPv6
// literals work and implicit TLS is verified with tlsConfig.
func (s *SMTP) dial(ctx context.Context, network string, tlsConfig *tls.Config) (net.Conn, error) {
	addr := s.server.hostPort()
	if s.server.implicitTLS {
		d := tls.Dialer{Config: tlsConfig}
		return d.DialContext(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// isPermanentSMTP reports whether the server refused the recipient for good (a 5xx reply
// to RCPT TO). Other failures, including authentication, may be fixed by the operator
// before the next try.
func isPermanentSMTP(err error) bool {
	var sendErr *gomail.SendError
	if !errors.As(err, &sendErr) {
		return false
	}
	return sendErr.Reason == gomail.ErrSMTPRcptTo && !sendErr.IsTemp()
}

// redact hides the password and the full recipient address in err's text; errors.Is still
// sees the original chain.
func (s *SMTP) redact(err error, to string) error {
	secrets := []string{s.server.password, to}
	if addr, parseErr := parseAddress(to); parseErr == nil {
		secrets = append(secrets, addr.Address)
	}
	return newRedactedError(err, secrets...)
}

// hostPort joins host and port, bracketing IPv6 literals.
func (c serverConfig) hostPort() string {
	return net.JoinHostPort(c.host, strconv.Itoa(c.port))
}

// String returns the server URL with the password replaced by "xxxxx".
func (c serverConfig) String() string {
	u := url.URL{Scheme: c.scheme(), Host: c.hostPort()}
	switch {
	case c.password != "":
		u.User = url.UserPassword(c.user, c.password)
	case c.user != "":
		u.User = url.User(c.user)
	}
	return u.Redacted()
}
