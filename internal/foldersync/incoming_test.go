package foldersync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestWriteIncomingIsNotImportedBack(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{}
	s := newLinked(t, sink, dir, testOptions())
	taskDir := ClientUploadsDir("Logo: round 2/final")

	tests := []struct {
		relDir, name, want string
	}{
		{taskDir, "brief.pdf", "From clients/Logo_ round 2-final/brief.pdf"},
		{taskDir, "brief.pdf", "From clients/Logo_ round 2-final/brief (2).pdf"},
		{taskDir, "brief.pdf", "From clients/Logo_ round 2-final/brief (3).pdf"},
		{taskDir, "../../../etc/passwd", "From clients/Logo_ round 2-final/passwd"},
		{"From clients/../../..", ".env", "From clients/unnamed/unnamed/unnamed/env"},
		{"From clients/Brief", "Cafe\u0301 menu.txt", "From clients/Brief/Caf\u00e9 menu.txt"},
		{"", "README", "README"},
	}
	for i, tt := range tests {
		content := fmt.Sprintf("upload %d", i)
		f, err := s.WriteIncoming("p", tt.relDir, tt.name, strings.NewReader(content))
		if err != nil {
			t.Fatalf("WriteIncoming(%q, %q): %v", tt.relDir, tt.name, err)
		}
		if f.Rel != tt.want || f.Size != int64(len(content)) {
			t.Errorf("WriteIncoming(%q, %q) = %+v, want rel %q", tt.relDir, tt.name, f, tt.want)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.want)))
		if err != nil || string(got) != content {
			t.Errorf("%s on disk: %q, %v", tt.want, got, err)
		}
	}

	settle()
	if calls := sink.calls(""); len(calls) != 0 {
		t.Fatalf("uploads were imported back:%s", sink.describe())
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "From clients", "*", ".portico-incoming-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// Staff editing an upload on disk is a change like any other.
	write(t, filepath.Join(dir, "From clients", "Brief", "Caf\u00e9 menu.txt"), "edited")
	upserted(t, sink, "From clients/Brief/Caf\u00e9 menu.txt", "edited")
}

func TestWriteIncomingConcurrentNamesAreUnique(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "From clients", "Photos", "photo.jpg"), "already there")
	sink := &recordingSink{}
	s := newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "From clients/Photos/photo.jpg", "already there")

	const writers = 8
	var wg sync.WaitGroup
	rels := make([]string, writers)
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			f, err := s.WriteIncoming("p", "From clients/Photos", "photo.jpg",
				strings.NewReader(fmt.Sprint("photo ", i)))
			rels[i], errs[i] = f.Rel, err
		})
	}
	wg.Wait()

	seen := map[string]bool{}
	for i, rel := range rels {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[rel] || rel == "From clients/Photos/photo.jpg" {
			t.Errorf("name %q given twice or overwriting", rel)
		}
		seen[rel] = true
	}
	got, _ := os.ReadFile(filepath.Join(dir, "From clients", "Photos", "photo.jpg"))
	if string(got) != "already there" {
		t.Errorf("existing file overwritten: %q", got)
	}
	settle()
	if n := len(sink.calls("")); n != 1 {
		t.Errorf("uploads were imported back:%s", sink.describe())
	}
}

func TestWriteIncomingRefusals(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	mustDo(t, os.Symlink(outside, filepath.Join(dir, "From clients")))
	sink := &recordingSink{}
	s := newLinked(t, sink, dir, testOptions())

	if _, err := s.WriteIncoming("p", "From clients/Task", "x.txt", strings.NewReader("x")); err == nil {
		t.Error("wrote through a symbolic link leading out of the folder")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written outside the folder: %v", entries)
	}
	if _, err := s.WriteIncoming("other", "", "x.txt", strings.NewReader("x")); err == nil {
		t.Error("wrote for a project without a folder")
	}

	mustDo(t, os.RemoveAll(dir))
	waitFor(t, sink, "offline status", func() bool { return sink.status().State == StateOffline })
	if _, err := s.WriteIncoming("p", "", "x.txt", strings.NewReader("x")); err == nil {
		t.Error("wrote into an offline folder")
	}
}

func TestSafeSegmentNeverIgnored(t *testing.T) {
	for in, want := range map[string]string{
		".hidden-up.swp": "hidden-up.swp_",
		"draft~":         "draft~_",
		"~$report.docx":  "report.docx",
		"Thumbs.db":      "Thumbs.db_",
		"plain.txt":      "plain.txt",
	} {
		got := safeSegment(in)
		if got != want || Ignored(got) {
			t.Errorf("safeSegment(%q) = %q (ignored %v), want %q", in, got, Ignored(got), want)
		}
	}
}
