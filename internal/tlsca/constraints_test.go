package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// oidNameConstraints identifies the NameConstraints extension (RFC 5280, 4.2.1.10).
var oidNameConstraints = asn1.ObjectIdentifier{2, 5, 29, 30}

// nameConstraintsCritical reports whether exts hold a critical NameConstraints extension.
func nameConstraintsCritical(exts []pkix.Extension) bool {
	for _, ext := range exts {
		if ext.Id.Equal(oidNameConstraints) {
			return ext.Critical
		}
	}
	return false
}

// forgeLeaf signs a server certificate for names with the CA's key directly, skipping
// the checks Issue makes, as someone holding a stolen CA key could.
func forgeLeaf(t *testing.T, ca *CA, names Names) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := randomSerial()
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     names.DNS,
		IPAddresses:  names.netIPs(),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

// verifyLeaf verifies leaf against pool for name, a host name or an IP address.
func verifyLeaf(leaf *x509.Certificate, pool *x509.CertPool, name string) error {
	_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name})
	return err
}

func TestForgedLeafOutsideConstraintsFails(t *testing.T) {
	ca := newTestCA(t, Names{
		DNS: []string{"portico-test.lan"},
		IPs: []netip.Addr{netip.MustParseAddr("203.0.113.7")},
	})

	tests := []struct {
		name  string
		names Names
		ok    bool
	}{
		{"localhost", Names{DNS: []string{"localhost"}}, true},
		{"sub.localhost", Names{DNS: []string{"sub.localhost"}}, true},
		{"portico-test.lan", Names{DNS: []string{"portico-test.lan"}}, true},
		{"127.0.0.1", Names{IPs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}, true},
		{"192.168.1.20", Names{IPs: []netip.Addr{netip.MustParseAddr("192.168.1.20")}}, true},
		{"fd00::1", Names{IPs: []netip.Addr{netip.MustParseAddr("fd00::1")}}, true},
		{"203.0.113.7", Names{IPs: []netip.Addr{netip.MustParseAddr("203.0.113.7")}}, true},
		{"example.com", Names{DNS: []string{"example.com"}}, false},
		{"lan", Names{DNS: []string{"lan"}}, false},
		{"8.8.8.8", Names{IPs: []netip.Addr{netip.MustParseAddr("8.8.8.8")}}, false},
		{"203.0.113.8", Names{IPs: []netip.Addr{netip.MustParseAddr("203.0.113.8")}}, false},
		{"2001:db8::1", Names{IPs: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf := forgeLeaf(t, ca, tt.names)
			err := verifyLeaf(leaf, ca.Pool(), tt.name)
			if tt.ok && err != nil {
				t.Fatalf("verify: %v", err)
			}
			if !tt.ok {
				var invalid x509.CertificateInvalidError
				if !errors.As(err, &invalid) || invalid.Reason != x509.CANotAuthorizedForThisName {
					t.Fatalf("verify: %v, want CANotAuthorizedForThisName", err)
				}
			}
			if got := permits(ca.cert, tt.names); got != tt.ok {
				t.Errorf("permits = %v, want %v", got, tt.ok)
			}
		})
	}
}

func TestIssueRefusesNamesOutsideConstraints(t *testing.T) {
	ca := newTestCA(t, testNames)

	_, err := ca.Issue(Names{DNS: []string{"localhost", "example.com"}})
	if !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("Issue: %v, want ErrNotPermitted", err)
	}
}

func TestIssueLeaf(t *testing.T) {
	ca := newTestCA(t, testNames)

	cert, err := ca.Issue(testNames)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	leaf := cert.Leaf
	for _, name := range []string{"localhost", "portico-test.lan", "127.0.0.1", "::1"} {
		if err := verifyLeaf(leaf, ca.Pool(), name); err != nil {
			t.Errorf("verify %s: %v", name, err)
		}
	}
	if life := leaf.NotAfter.Sub(time.Now()); life < 29*24*time.Hour || life > 31*24*time.Hour {
		t.Errorf("valid for %v, want about 30 days", life)
	}
	if len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("ext key usage %v, want server auth only", leaf.ExtKeyUsage)
	}
	if _, ok := cert.PrivateKey.(*ecdsa.PrivateKey); !ok {
		t.Errorf("private key %T, want ECDSA", cert.PrivateKey)
	}
	if !leaf.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Errorf("ip addresses %v", leaf.IPAddresses)
	}
}
