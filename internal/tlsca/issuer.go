package tlsca

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/netip"

	"github.com/caddyserver/certmagic"
)

// issuer lets certmagic obtain certificates from the local CA. It never touches the
// network: it signs the request on the spot.
type issuer struct {
	ca     *CA
	policy leafPolicy
}

var _ certmagic.Issuer = issuer{}

// Issue signs the public key of csr for the DNS names and IP addresses it requests.
func (i issuer) Issue(ctx context.Context,
	csr *x509.CertificateRequest) (*certmagic.IssuedCertificate, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("check certificate request: %w", err)
	}

	names, err := csrNames(csr)
	if err != nil {
		return nil, err
	}

	der, err := i.ca.sign(csr.PublicKey, names, i.policy)
	if err != nil {
		return nil, err
	}

	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return &certmagic.IssuedCertificate{Certificate: leafPEM}, nil
}

// IssuerKey names the CA in certmagic's storage. It depends on the CA's fingerprint, so
// that certificates of a replaced CA are never loaded and served again.
func (i issuer) IssuerKey() string {
	return "portico-local-ca-" + i.ca.id()
}

// csrNames returns the names a certificate request asks for, refusing kinds of names
// that the local CA does not issue.
func csrNames(csr *x509.CertificateRequest) (Names, error) {
	if len(csr.EmailAddresses) > 0 || len(csr.URIs) > 0 {
		return Names{}, errors.New("certificate request for email or uri names")
	}

	names := Names{DNS: csr.DNSNames}
	for _, ip := range csr.IPAddresses {
		addr, ok := netip.AddrFromSlice(ip)
		if !ok {
			return Names{}, fmt.Errorf("certificate request for invalid ip %v", ip)
		}
		names.IPs = append(names.IPs, addr.Unmap())
	}

	if len(names.DNS) == 0 && len(names.IPs) == 0 && csr.Subject.CommonName != "" {
		names = names.add(csr.Subject.CommonName)
	}
	return names, nil
}
