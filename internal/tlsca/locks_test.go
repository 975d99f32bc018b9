package tlsca

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClearLocksRemovesLeftoverLocks(t *testing.T) {
	dir := t.TempDir()
	locks := filepath.Join(dir, "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		// as certmagic's FileStorage writes them: fresh, cut off, and empty
		"issue_cert_portal.example.com.lock": `{"created":"2030-01-01T00:00:00Z",` +
			`"updated":"2030-01-01T00:00:05Z"}`,
		"renew_cert_portal.example.com.lock": `{"created":"2030-01-`,
		"storage_clean.lock":                 "",
		"notes.txt":                          "not a lock",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(locks, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	logger, buf := newTestLogger()
	if err := ClearLocks(dir, logger); err != nil {
		t.Fatalf("ClearLocks: %v", err)
	}

	entries, err := os.ReadDir(locks)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Errorf("left %v, want only notes.txt", entries)
	}
	if got := strings.Count(buf.String(), "removed certificate lock"); got != 3 {
		t.Errorf("logged %d removals, want 3:\n%s", got, buf)
	}
}

func TestClearLocksWithoutLocks(t *testing.T) {
	logger, _ := newTestLogger()
	if err := ClearLocks(filepath.Join(t.TempDir(), "certs"), logger); err != nil {
		t.Errorf("ClearLocks on a missing folder: %v", err)
	}
}
