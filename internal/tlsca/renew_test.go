package tlsca

import (
	"path/filepath"
	"testing"
	"time"
)

func TestRenewalServesNewCertificate(t *testing.T) {
	ca := newTestCA(t, testNames)
	logger, logs := newTestLogger()
	short := leafPolicy{
		validity:   4 * time.Second,
		renewRatio: 0.5,
		checkEvery: 200 * time.Millisecond,
	}
	m, err := startManager(t.Context(), ca, filepath.Join(t.TempDir(), "certs"), testNames,
		logger, short)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(m.stop) // runs before the temporary folders are removed

	addr := serveHTTPS(t, "tcp4", m.tlsConfig())
	first, err := servedLeaf(ca.Pool(), addr, "", "127.0.0.1")
	if err != nil {
		t.Fatalf("first certificate: %v", err)
	}

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		leaf, err := servedLeaf(ca.Pool(), addr, "", "127.0.0.1")
		if err != nil && time.Now().Before(first.NotAfter) {
			t.Fatalf("certificate while the first is valid: %v", err)
		}
		if err == nil && leaf.SerialNumber.Cmp(first.SerialNumber) != 0 {
			if !leaf.NotAfter.After(first.NotAfter) {
				t.Errorf("renewed certificate expires %v, first %v", leaf.NotAfter, first.NotAfter)
			}
			return
		}
	}
	t.Fatalf("no renewed certificate within a minute; log:\n%s", logs.String())
}
