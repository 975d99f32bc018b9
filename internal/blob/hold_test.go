package blob

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHoldKeepsRemovedContent(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(strings.NewReader("kept for the backup"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}

	release := s.Hold()
	if err := s.Remove(b.SHA256); err != nil {
		t.Fatal(err)
	}
	if s.Exists(b.SHA256) {
		t.Fatal("removed content still exists during a hold")
	}
	if got := readHeld(t, s, b.SHA256); got != "kept for the backup" {
		t.Fatalf("held content = %q", got)
	}

	// The same content uploaded again during the hold is stored afresh and survives the
	// release.
	if _, err := s.Put(strings.NewReader("kept for the backup"), 1<<20); err != nil {
		t.Fatal(err)
	}
	release()
	release()
	if !s.Exists(b.SHA256) {
		t.Fatal("content stored again during the hold was lost at release")
	}
	if err := s.Remove(b.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenHeld(b.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenHeld after release: %v, want ErrNotFound", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(s.dir, "held")); len(entries) != 0 {
		t.Fatalf("held/ keeps %d files after release", len(entries))
	}
}

func TestOverlappingHolds(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(strings.NewReader("two backups"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	first, second := s.Hold(), s.Hold()
	if err := s.Remove(b.SHA256); err != nil {
		t.Fatal(err)
	}
	first()
	if got := readHeld(t, s, b.SHA256); got != "two backups" {
		t.Fatalf("held content after the first release = %q", got)
	}
	second()
	if _, err := s.OpenHeld(b.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenHeld after the last release: %v, want ErrNotFound", err)
	}
}

func TestOpenClearsHeldLeftovers(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(strings.NewReader("left by a crash"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	s.Hold() // never released, as when the process dies during a backup
	if err := s.Remove(b.SHA256); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.OpenHeld(b.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenHeld after reopening: %v, want ErrNotFound", err)
	}
}

func readHeld(t *testing.T, s *Store, sha string) string {
	t.Helper()
	f, err := s.OpenHeld(sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
