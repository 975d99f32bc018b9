package mail

import (
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Default ports for the two URL schemes.
const (
	DefaultPortSMTP  = 587
	DefaultPortSMTPS = 465
)

// serverConfig is a parsed SMTP URL.
type serverConfig struct {
	host        string
	port        int
	implicitTLS bool
	user        string
	password    string
}

// parseServerURL checks rawURL and splits it into a serverConfig. Its errors never quote
// rawURL, since that holds the password.
func parseServerURL(rawURL string) (serverConfig, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return serverConfig{}, fmt.Errorf("%w: SMTP URL cannot be parsed "+
			"(percent-encode special characters in the user and password)", ErrInvalidConfig)
	}

	var c serverConfig
	switch {
	case u.Scheme == "smtp" && u.Opaque == "":
		c.port = DefaultPortSMTP
	case u.Scheme == "smtps" && u.Opaque == "":
		c.port, c.implicitTLS = DefaultPortSMTPS, true
	default:
		return serverConfig{}, fmt.Errorf("%w: SMTP URL must start with smtp:// or smtps://",
			ErrInvalidConfig)
	}

	if err := c.setHostPort(u); err != nil {
		return serverConfig{}, err
	}
	if err := c.setUser(u); err != nil {
		return serverConfig{}, err
	}

	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return serverConfig{}, fmt.Errorf("%w: SMTP URL must not have a path, query or fragment",
			ErrInvalidConfig)
	}
	return c, nil
}

// setHostPort takes the host and the optional port from u.
func (c *serverConfig) setHostPort(u *url.URL) error {
	c.host = u.Hostname()
	if c.host == "" {
		return fmt.Errorf("%w: SMTP URL has no host", ErrInvalidConfig)
	}

	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return fmt.Errorf("%w: SMTP URL port must be a number from 1 to 65535",
				ErrInvalidConfig)
		}
		c.port = port
	}
	return nil
}

// setUser takes the optional, already percent-decoded user and password from u.
func (c *serverConfig) setUser(u *url.URL) error {
	if u.User == nil {
		return nil
	}

	c.user = u.User.Username()
	c.password, _ = u.User.Password()
	if c.user == "" && c.password != "" {
		return fmt.Errorf("%w: SMTP URL has a password but no user", ErrInvalidConfig)
	}
	return nil
}

// scheme returns the URL scheme the config came from.
func (c serverConfig) scheme() string {
	if c.implicitTLS {
		return "smtps"
	}
	return "smtp"
}

// loopback reports whether the server is on this machine.
func (c serverConfig) loopback() bool {
	if strings.EqualFold(c.host, "localhost") {
		return true
	}
	ip := net.ParseIP(c.host)
	return ip != nil && ip.IsLoopback()
}

// startTLSPolicy returns the STARTTLS policy for smtp:// URLs; see NewSMTP.
func (c serverConfig) startTLSPolicy() gomail.TLSPolicy {
	if c.loopback() {
		return gomail.TLSOpportunistic
	}
	return gomail.TLSMandatory
}

// parseFrom checks the configured sender address.
func parseFrom(from string) (*netmail.Address, error) {
	if strings.TrimSpace(from) == "" {
		return nil, fmt.Errorf("%w: from address is missing", ErrInvalidConfig)
	}

	addr, err := parseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("%w: from address %q: %w", ErrInvalidConfig, from, err)
	}
	return addr, nil
}

// parseAddress parses one RFC 5322 address such as "Ann <ann@example.com>".
func parseAddress(s string) (*netmail.Address, error) {
	addr, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("invalid email address: %w", err)
	}
	return addr, nil
}
