package tlsca

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// File names of the CA inside its folder.
const (
	certFile = "ca.crt"
	keyFile  = "ca.key"
)

// errNoCA says that the CA folder holds no CA certificate yet.
var errNoCA = errors.New("no ca certificate")

// loadCA reads the CA from dir. It returns errNoCA when ca.crt does not exist; a ca.key
// without ca.crt is left over from an interrupted creation and is replaced later.
func loadCA(dir string, logger *slog.Logger) (*CA, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, certFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoCA
	}
	if err != nil {
		return nil, fmt.Errorf("read certificate: %w", err)
	}

	cert, err := parseCertPEM(certPEM)
	if err != nil {
		return nil, err
	}

	key, err := loadKey(filepath.Join(dir, keyFile), logger)
	if err != nil {
		return nil, err
	}

	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("ca.key does not belong to ca.crt")
	}
	return &CA{cert: cert, certPEM: certPEM, key: key}, nil
}

// parseCertPEM decodes and parses a CA certificate.
func parseCertPEM(certPEM []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("ca.crt holds no PEM certificate")
	}

	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	if !cert.IsCA {
		return nil, errors.New("ca.crt is not a ca certificate")
	}
	return cert, nil
}

// loadKey reads the CA's private key and warns when others than the owner may read it.
func loadKey(path string, logger *slog.Logger) (*ecdsa.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ca certificate exists but its key does not load: %w", err)
	}

	if info.Mode().Perm()&0o077 != 0 {
		logger.Warn("local ca key is readable by others", "path", path,
			"mode", info.Mode().Perm().String())
	}

	keyPEM, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}

	block, _ := pem.Decode(keyPEM)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("ca.key holds no PEM private key")
	}

	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse key: %w", err)
	}

	ecKey, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("ca.key holds a %T, not an ecdsa key", key)
	}
	return ecKey, nil
}

// saveCA writes the key, then the certificate, each atomically. A crash in between
// leaves a key without certificate, which loadCA treats as no CA at all.
func saveCA(dir string, ca *CA) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}

	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return fmt.Errorf("encode key: %w", err)
	}

	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := writeFileAtomic(filepath.Join(dir, keyFile), keyPEM, 0o600); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, certFile), ca.certPEM, 0o644)
}

// writeFileAtomic writes data to a temporary file in the same folder, sets its mode and
// renames it to path, so that path never holds a partial file.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}

	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()

	if err = tmp.Chmod(perm); err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
