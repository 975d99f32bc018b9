// Package server composes Portico: it opens the data folder, builds the store, blobs,
// certificates, mail, event hub and service, and runs the portal and staff listeners
// until its context ends.
package server

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is everything `portico serve` takes from its flags and environment.
type Config struct {
	DataDir        string
	PortalAddr     string
	StaffAddr      string
	PublicURL      string
	SMTPURL        string
	SMTPFrom       string
	TrustedProxies string
	AgencyName     string
	MaxUpload      int64
	// Demo seeds a demo agency project and client into an empty data folder.
	Demo bool
	// Version is this build's version, written into backups and reported by /metrics.
	Version string
	// FoldersRoot is the folder that projects' linked folders must lie in; empty turns
	// folder linking off unless FoldersAnywhere.
	FoldersRoot string
	// FoldersAnywhere lets staff link any folder: the desktop app, whose user picks it.
	FoldersAnywhere bool
	// BodyTimeout and UploadStall bound how slowly clients may send request bodies (see
	// web.BodyDeadlines); zero means web's defaults. Tests set them short.
	BodyTimeout time.Duration
	UploadStall time.Duration
	// PublicTLS gets the portal a publicly trusted certificate for a domain.
	PublicTLS
}

// Defaults fills in what was left empty.
func (c *Config) Defaults() {
	c.tlsDefaults()
	if c.PortalAddr == "" {
		c.PortalAddr = ":8443"
	}
	if c.StaffAddr == "" {
		c.StaffAddr = "127.0.0.1:8444"
	}
	if c.MaxUpload == 0 {
		c.MaxUpload = 2 << 30
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.SMTPURL == "" {
		c.SMTPURL = os.Getenv("PORTICO_SMTP_URL")
	}
}

// hostName returns the machine's name, or localhost when it has none.
func hostName() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "localhost"
	}
	return strings.ToLower(h)
}

// baseURL derives the https address people use for a listener: the host of addr when it
// names one, otherwise fallbackHost.
func baseURL(addr, fallbackHost string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = fallbackHost
	}
	if port == "443" {
		return "https://" + bracket(host), nil
	}
	return "https://" + net.JoinHostPort(host, port), nil
}

func bracket(host string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

// check refuses settings that cannot work.
func (c *Config) check() error {
	if c.MaxUpload <= 0 {
		return fmt.Errorf("--max-upload must be a positive number of bytes, got %d", c.MaxUpload)
	}
	return c.checkTLS()
}

// publicURL checks --public-url, or derives it from the portal address and host name.
func (c *Config) publicURL() (string, error) {
	if c.PublicURL == "" && c.Domain != "" {
		return c.domainURL()
	}
	if c.PublicURL == "" && c.Demo {
		// A demo runs on one machine, where localhost always resolves.
		return baseURL(c.PortalAddr, "localhost")
	}
	if c.PublicURL == "" {
		return baseURL(c.PortalAddr, hostName())
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("--public-url must look like https://portal.example.com[:port], got %q", c.PublicURL)
	}
	return "https://" + u.Host, nil
}
