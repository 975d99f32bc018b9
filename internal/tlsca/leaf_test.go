package tlsca

import (
	"crypto/x509"
	"net/netip"
	"testing"
)

func TestIPOnlyLeafHasNoCommonName(t *testing.T) {
	ca := newTestCA(t, Names{})
	cert, err := ca.Issue(Names{IPs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.Subject.CommonName != "" {
		t.Fatalf("IP-only leaf has common name %q; OpenSSL rejects it against DNS constraints",
			leaf.Subject.CommonName)
	}
}
