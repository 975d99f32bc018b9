package tlsca

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// caRenewWarning is how long before the CA expires LoadOrCreate starts warning about it.
const caRenewWarning = 90 * 24 * time.Hour

// CA is Portico's local certificate authority: a name-constrained root certificate and
// its private key, kept in a folder of the data directory. A CA is safe for concurrent
// use.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

// LoadOrCreate loads the CA kept in dir, or creates it there when dir holds none.
//
// A new CA is an ECDSA P-256 root valid for 10 years, written as ca.crt (mode 0644) and
// ca.key (mode 0600). Its name constraints permit localhost, the host names in names.DNS,
// the loopback and private address ranges, and the addresses in names.IPs outside those
// ranges. An existing CA is loaded as it is and names are ignored: see the package
// documentation for what that means when names change. LoadOrCreate refuses to replace
// a ca.crt whose ca.key is missing or unreadable, since clients may already trust it.
// It logs the CA's fingerprint so that an operator can compare it with what clients see.
func LoadOrCreate(dir string, names Names, logger *slog.Logger) (*CA, error) {
	ca, err := loadCA(dir, logger)
	if errors.Is(err, errNoCA) {
		ca, err = createCA(dir, names, logger)
	}
	if err != nil {
		return nil, fmt.Errorf("local ca in %s: %w", dir, err)
	}

	logger.Info("local ca", "fingerprint", ca.Fingerprint(), "path", dir,
		"expires", ca.cert.NotAfter)
	if time.Until(ca.cert.NotAfter) < caRenewWarning {
		logger.Warn("local ca expires soon; delete its folder to create a new one",
			"path", dir, "expires", ca.cert.NotAfter)
	}
	return ca, nil
}

// Fingerprint returns the SHA-256 fingerprint of the CA certificate as browsers show it:
// upper-case hexadecimal bytes separated by colons.
func (ca *CA) Fingerprint() string {
	sum := sha256.Sum256(ca.cert.Raw)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = strings.ToUpper(hex.EncodeToString([]byte{b}))
	}
	return strings.Join(pairs, ":")
}

// CertPEM returns the CA certificate, PEM-encoded, for clients to download and trust.
// The caller may modify the returned slice.
func (ca *CA) CertPEM() []byte {
	return slices.Clone(ca.certPEM)
}

// Pool returns a new certificate pool that holds only the CA certificate.
func (ca *CA) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	return pool
}

// id returns a short, stable identifier of the CA, derived from its fingerprint.
func (ca *CA) id() string {
	sum := sha256.Sum256(ca.cert.Raw)
	return hex.EncodeToString(sum[:8])
}

// cover splits names into those the CA's constraints permit and those it cannot issue
// for. Invalid host names are among the latter.
func (ca *CA) cover(names Names) (covered Names, left []string) {
	valid, left := names.normalized()
	for _, name := range valid.DNS {
		if permits(ca.cert, Names{DNS: []string{name}}) {
			covered.DNS = append(covered.DNS, name)
		} else {
			left = append(left, name)
		}
	}
	for _, ip := range valid.IPs {
		if permits(ca.cert, Names{IPs: []netip.Addr{ip}}) {
			covered.IPs = append(covered.IPs, ip)
		} else {
			left = append(left, ip.String())
		}
	}
	return covered, left
}
