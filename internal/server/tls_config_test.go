package server

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"portico/internal/tlsca"
)

func TestPublicTLSConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		portal  string // PortalAddr after Defaults
		url     string // the derived public URL
		wantErr string
	}{
		{name: "no domain", cfg: Config{}, portal: ":8443"},
		{name: "domain takes 443", cfg: Config{PublicTLS: PublicTLS{Domain: "Portal.Example.com."}},
			portal: ":443", url: "https://portal.example.com"},
		{name: "domain on another port",
			cfg:    Config{PortalAddr: "127.0.0.1:8443", PublicTLS: PublicTLS{Domain: "portal.example.com"}},
			portal: "127.0.0.1:8443", url: "https://portal.example.com:8443"},
		{name: "public url on the domain",
			cfg: Config{PortalAddr: ":8443", PublicURL: "https://portal.example.com",
				PublicTLS: PublicTLS{Domain: "portal.example.com"}},
			portal: ":8443", url: "https://portal.example.com"},
		{name: "public url elsewhere",
			cfg: Config{PublicURL: "https://other.example.com",
				PublicTLS: PublicTLS{Domain: "portal.example.com"}},
			wantErr: "--public-url https://other.example.com is not on --domain"},
		{name: "domain as url", cfg: Config{PublicTLS: PublicTLS{Domain: "https://portal.example.com"}},
			wantErr: "--domain takes a host name only"},
		{name: "acme ca without domain", cfg: Config{PublicTLS: PublicTLS{ACMECA: "https://ca.test/dir"}},
			wantErr: "--acme-ca needs --domain"},
		{name: "http addr without domain", cfg: Config{PublicTLS: PublicTLS{HTTPAddr: ":80"}},
			wantErr: "--http-addr needs --domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Defaults()
			err := cfg.check()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("check: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if cfg.PortalAddr != tt.portal {
				t.Errorf("portal address %q, want %q", cfg.PortalAddr, tt.portal)
			}
			if cfg.Domain == "" {
				return
			}
			if cfg.HTTPAddr != ":80" || cfg.ACMECA != tlsca.LetsEncrypt {
				t.Errorf("defaults: http %q, ca %q", cfg.HTTPAddr, cfg.ACMECA)
			}
			if url, err := cfg.publicURL(); err != nil || url != tt.url {
				t.Errorf("public url %q (%v), want %q", url, err, tt.url)
			}
		})
	}
}

func TestExplainListen(t *testing.T) {
	denied := fmt.Errorf("listen tcp: %w", syscall.EACCES)
	tests := []struct {
		name, addr string
		err        error
		want       []string
		not        string
	}{
		{"https port", ":443", denied,
			[]string{"--portal-addr :443", "port 443", "setcap cap_net_bind_service=+ep",
				"--portal-addr :8443", "reverse proxy"}, ""},
		{"other low port", "0.0.0.0:25", denied, []string{"port 25", "--portal-addr :8025"}, ""},
		{"high port", ":8443", denied, []string{"--portal-addr :8443", "permission denied"},
			"setcap"},
		{"in use", ":443", errors.New("address already in use"),
			[]string{"address already in use"}, "setcap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := explainListen(tt.err, tt.addr, "--portal-addr")
			if !errors.Is(err, tt.err) {
				t.Errorf("%v does not wrap %v", err, tt.err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %q", err, w)
				}
			}
			if tt.not != "" && strings.Contains(err.Error(), tt.not) {
				t.Errorf("%q mentions %q", err, tt.not)
			}
		})
	}
}
