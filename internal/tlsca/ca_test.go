package tlsca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLoadOrCreateReloadsSameCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "local-ca")
	logger, logs := newTestLogger()

	first, err := LoadOrCreate(dir, testNames, logger)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	second, err := LoadOrCreate(dir, Names{DNS: []string{"other.lan"}}, logger)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}

	if first.Fingerprint() != second.Fingerprint() {
		t.Errorf("fingerprint changed: %s, then %s", first.Fingerprint(), second.Fingerprint())
	}
	if string(first.CertPEM()) != string(second.CertPEM()) {
		t.Error("certificate PEM changed on reload")
	}
	if !first.key.Equal(second.key) {
		t.Error("key changed on reload")
	}
	if want := "fingerprint=" + first.Fingerprint(); !strings.Contains(logs.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, logs.String())
	}
}

func TestLoadOrCreateFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "local-ca")
	logger, _ := newTestLogger()
	if _, err := LoadOrCreate(dir, testNames, logger); err != nil {
		t.Fatalf("create: %v", err)
	}

	tests := []struct {
		file string
		mode os.FileMode
	}{
		{certFile, 0o644},
		{keyFile, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			info, err := os.Stat(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := info.Mode().Perm(); got != tt.mode {
				t.Errorf("mode %v, want %v", got, tt.mode)
			}
		})
	}
}

func TestCACertificate(t *testing.T) {
	ca := newTestCA(t, testNames)
	cert := ca.cert

	if !cert.IsCA || !cert.BasicConstraintsValid || !cert.MaxPathLenZero {
		t.Error("not a root limited to leaf certificates")
	}
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T, want ECDSA P-256", cert.PublicKey)
	}
	if life := cert.NotAfter.Sub(time.Now()); life < 9*365*24*time.Hour {
		t.Errorf("valid for %v, want about 10 years", life)
	}
	if !strings.HasPrefix(cert.Subject.CommonName, "Portico local CA (") {
		t.Errorf("common name %q", cert.Subject.CommonName)
	}
	if !nameConstraintsCritical(cert.Extensions) {
		t.Error("name constraints missing or not critical")
	}
}

func TestLoadOrCreateKeepsCertWithoutKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "local-ca")
	logger, _ := newTestLogger()
	ca, err := LoadOrCreate(dir, testNames, logger)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, keyFile)); err != nil {
		t.Fatal(err)
	}

	if _, err := LoadOrCreate(dir, testNames, logger); err == nil {
		t.Fatal("loaded a CA without its key")
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, certFile))
	if err != nil || string(certPEM) != string(ca.CertPEM()) {
		t.Errorf("ca.crt was replaced or lost (err %v)", err)
	}
}

func TestLoadOrCreateReplacesKeyWithoutCert(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "local-ca")
	logger, _ := newTestLogger()
	first, err := LoadOrCreate(dir, testNames, logger)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, certFile)); err != nil {
		t.Fatal(err)
	}

	second, err := LoadOrCreate(dir, testNames, logger)
	if err != nil {
		t.Fatalf("create again: %v", err)
	}
	if first.Fingerprint() == second.Fingerprint() {
		t.Error("expected a new CA")
	}
}

func TestFingerprintFormat(t *testing.T) {
	ca := newTestCA(t, testNames)
	format := regexp.MustCompile(`^[0-9A-F]{2}(:[0-9A-F]{2}){31}$`)
	if fp := ca.Fingerprint(); !format.MatchString(fp) {
		t.Errorf("fingerprint %q is not 32 colon-separated upper-case hex bytes", fp)
	}
}

func TestPoolHoldsOnlyCA(t *testing.T) {
	ca := newTestCA(t, testNames)
	if !ca.Pool().Equal(ca.Pool()) {
		t.Error("pools differ")
	}
	leaf, err := ca.Issue(Names{DNS: []string{"localhost"}})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	other := newTestCA(t, testNames)
	if err := verifyLeaf(leaf.Leaf, other.Pool(), "localhost"); err == nil {
		t.Error("leaf of one CA verified against another CA's pool")
	}
}
