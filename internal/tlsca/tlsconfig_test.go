package tlsca

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTLSConfigServesTrustedCertificates(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, _ := newTestLogger()
	cfg, err := TLSConfig(t.Context(), ca, filepath.Join(t.TempDir(), "certs"), testNames, logger)
	if err != nil {
		t.Fatalf("TLSConfig: %v", err)
	}

	addr := serveHTTPS(t, "tcp4", cfg)
	_, port, _ := net.SplitHostPort(addr)
	client := newTestClient(ca.Pool(), addr)

	tests := []struct {
		name    string
		host    string
		wantSNI bool
	}{
		{"localhost", "localhost", true},
		{"host name", "portico-test.lan", true},
		{"ip without sni", "127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "https://" + net.JoinHostPort(tt.host, port) + "/"
			resp, err := client.Get(url)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)

			if resp.StatusCode != http.StatusOK || string(body) != "ok" {
				t.Errorf("got %d %q", resp.StatusCode, body)
			}
			if resp.TLS.NegotiatedProtocol != "h2" {
				t.Errorf("protocol %q, want h2", resp.TLS.NegotiatedProtocol)
			}
			if got := resp.TLS.ServerName != ""; got != tt.wantSNI {
				t.Errorf("client sent SNI %q", resp.TLS.ServerName)
			}
		})
	}
}

func TestTLSConfigWithoutSNIOnIPv6(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, _ := newTestLogger()
	cfg, err := TLSConfig(t.Context(), ca, filepath.Join(t.TempDir(), "certs"), testNames, logger)
	if err != nil {
		t.Fatalf("TLSConfig: %v", err)
	}

	addr := serveHTTPS(t, "tcp6", cfg)
	leaf, err := servedLeaf(ca.Pool(), addr, "", "::1")
	if err != nil {
		t.Fatalf("certificate for ::1: %v", err)
	}
	if len(leaf.IPAddresses) != 1 || !leaf.IPAddresses[0].Equal(net.IPv6loopback) {
		t.Errorf("served certificate for %v, want ::1", leaf.IPAddresses)
	}
}

func TestTLSConfigSettings(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, _ := newTestLogger()
	cfg, err := TLSConfig(t.Context(), ca, filepath.Join(t.TempDir(), "certs"), testNames, logger)
	if err != nil {
		t.Fatalf("TLSConfig: %v", err)
	}

	if cfg.MinVersion != tls.VersionTLS12 {
		t.Errorf("min version %x, want TLS 1.2", cfg.MinVersion)
	}
	for _, proto := range []string{"h2", "http/1.1"} {
		if !slices.Contains(cfg.NextProtos, proto) {
			t.Errorf("next protos %v lack %s", cfg.NextProtos, proto)
		}
	}

	addr := serveHTTPS(t, "tcp4", cfg)
	old := &tls.Config{RootCAs: ca.Pool(), ServerName: "localhost", MaxVersion: tls.VersionTLS11}
	if conn, err := tls.Dial("tcp", addr, old); err == nil {
		conn.Close()
		t.Error("TLS 1.1 handshake succeeded")
	}
}

func TestTLSConfigLeavesOutNamesOutsideConstraints(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, logs := newTestLogger()
	names := testNames
	names.DNS = append(slices.Clone(names.DNS), "example.com")
	names.IPs = append(slices.Clone(names.IPs), netip.MustParseAddr("8.8.8.8"))

	cfg, err := TLSConfig(t.Context(), ca, filepath.Join(t.TempDir(), "certs"), names, logger)
	if err != nil {
		t.Fatalf("TLSConfig: %v", err)
	}

	for _, name := range []string{"example.com", "8.8.8.8"} {
		if !strings.Contains(logs.String(), "level=WARN msg=\"name not permitted by local ca") ||
			!strings.Contains(logs.String(), "name="+name) {
			t.Errorf("no warning for %s in log:\n%s", name, logs.String())
		}
	}
	addr := serveHTTPS(t, "tcp4", cfg)
	if _, err := servedLeaf(ca.Pool(), addr, "localhost", "localhost"); err != nil {
		t.Errorf("localhost: %v", err)
	}
	if _, err := servedLeaf(ca.Pool(), addr, "example.com", "example.com"); err == nil {
		t.Error("served a trusted certificate for example.com")
	}
}

func TestTLSConfigReusesStoredCertificates(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, _ := newTestLogger()
	storage := filepath.Join(t.TempDir(), "certs")

	serials := make([]string, 2)
	for i := range serials {
		m, err := startManager(t.Context(), ca, storage, testNames, logger, defaultPolicy)
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		addr := serveHTTPS(t, "tcp4", m.tlsConfig())
		leaf, err := servedLeaf(ca.Pool(), addr, "localhost", "localhost")
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		serials[i] = leaf.SerialNumber.String()
		m.stop()
	}
	if serials[0] != serials[1] {
		t.Errorf("certificate was issued again instead of loaded: serials %v", serials)
	}
}

func TestTLSConfigNeedsAPermittedName(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, _ := newTestLogger()
	names := Names{DNS: []string{"example.com"}}

	if _, err := TLSConfig(t.Context(), ca, t.TempDir(), names, logger); err == nil {
		t.Fatal("TLSConfig succeeded without a permitted name")
	}
}
