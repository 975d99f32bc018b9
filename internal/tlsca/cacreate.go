package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"time"
)

// caValidity is how long a new CA is valid.
const caValidity = 10 * 365 * 24 * time.Hour

// createCA makes a new name-constrained CA for names and saves it in dir.
func createCA(dir string, names Names, logger *slog.Logger) (*CA, error) {
	valid, rejected := names.normalized()
	for _, name := range rejected {
		logger.Warn("invalid host name left out of local ca", "name", name)
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}

	template, err := caTemplate(valid)
	if err != nil {
		return nil, err
	}

	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}

	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse new certificate: %w", err)
	}

	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	ca := &CA{cert: cert, certPEM: certPEM, key: key}
	if err := saveCA(dir, ca); err != nil {
		return nil, err
	}

	logger.Info("created local ca; clients must trust it to connect without warnings",
		"path", dir, "dns_names", cert.PermittedDNSDomains,
		"ip_ranges", len(cert.PermittedIPRanges))
	return ca, nil
}

// caTemplate describes the CA certificate: a root that may sign leaf certificates only,
// for the permitted names only.
func caTemplate(names Names) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}

	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:   "Portico local CA (" + hostname() + ")",
			Organization: []string{"Portico"},
		},
		NotBefore:                   now.Add(-time.Hour),
		NotAfter:                    now.Add(caValidity),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         permittedDNS(names),
		PermittedIPRanges:           permittedIPs(names),
	}, nil
}

// randomSerial returns a random 128-bit certificate serial number.
func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return serial, nil
}

// hostname returns the machine's host name for the CA's common name.
func hostname() string {
	name, err := os.Hostname()
	if err != nil || name == "" {
		return "unknown host"
	}
	return name
}
