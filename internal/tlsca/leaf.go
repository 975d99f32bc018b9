package tlsca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotPermitted is returned when a certificate is asked for a name that the CA's name
// constraints do not permit.
var ErrNotPermitted = errors.New("name not permitted by the local ca")

// leafPolicy says how long leaf certificates live and when they are renewed. Tests use
// short lifetimes; Portico uses defaultPolicy.
type leafPolicy struct {
	validity   time.Duration // lifetime of a new leaf certificate
	backdate   time.Duration // how far NotBefore lies in the past, for skewed clocks
	renewRatio float64       // renew when this share of the lifetime remains
	checkEvery time.Duration // how often certmagic looks for certificates to renew
}

// defaultPolicy issues 30-day certificates and renews them with 10 days left.
var defaultPolicy = leafPolicy{
	validity:   30 * 24 * time.Hour,
	backdate:   5 * time.Minute,
	renewRatio: 1.0 / 3.0,
	checkEvery: 10 * time.Minute,
}

// Issue creates a leaf certificate with a new ECDSA P-256 key for names, valid for about
// 30 days, for TLS servers. Every name must be permitted by the CA's constraints;
// otherwise Issue returns an error wrapping ErrNotPermitted. The certificate chain holds
// only the leaf: clients are expected to trust the CA itself.
func (ca *CA) Issue(names Names) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate leaf key: %w", err)
	}

	der, err := ca.sign(&key.PublicKey, names, defaultPolicy)
	if err != nil {
		return nil, err
	}

	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse leaf certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// sign returns a DER leaf certificate for pub and names, signed by the CA.
func (ca *CA) sign(pub crypto.PublicKey, names Names, policy leafPolicy) ([]byte, error) {
	valid, err := ca.checkNames(names)
	if err != nil {
		return nil, err
	}

	template, err := ca.leafTemplate(valid, policy)
	if err != nil {
		return nil, err
	}

	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, pub, ca.key)
	if err != nil {
		return nil, fmt.Errorf("issue certificate: %w", err)
	}
	return der, nil
}

// checkNames returns names normalized, or an error when one is invalid or not permitted,
// or when there are none.
func (ca *CA) checkNames(names Names) (Names, error) {
	valid, rejected := names.normalized()
	if len(rejected) > 0 {
		return Names{}, fmt.Errorf("issue certificate: invalid host names %s",
			strings.Join(rejected, ", "))
	}
	if len(valid.DNS)+len(valid.IPs) == 0 {
		return Names{}, errors.New("issue certificate: no names")
	}
	if _, left := ca.cover(valid); len(left) > 0 {
		return Names{}, fmt.Errorf("issue certificate for %s: %w",
			strings.Join(left, ", "), ErrNotPermitted)
	}
	return valid, nil
}

// leafTemplate describes a server certificate for names that never outlives the CA.
func (ca *CA) leafTemplate(names Names, policy leafPolicy) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}

	now := time.Now()
	notAfter := now.Add(policy.validity)
	if notAfter.After(ca.cert.NotAfter) {
		notAfter = ca.cert.NotAfter
	}
	// OpenSSL checks a common name against the DNS constraints even when it is an IP
	// address, so IP-only certificates carry an empty subject and only the SAN.
	var subject pkix.Name
	if len(names.DNS) > 0 {
		subject.CommonName = names.DNS[0]
	}
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      subject,
		NotBefore:    now.Add(-policy.backdate),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     names.DNS,
		IPAddresses:  names.netIPs(),
	}, nil
}
