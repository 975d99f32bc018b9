package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portico/internal/backup"
)

func TestWriteAndRestore(t *testing.T) {
	f := newFolder(t)
	file, content := f.attach(t, "brief.pdf", 300<<10)
	certs := f.writeCerts(t)

	var archive bytes.Buffer
	m, err := backup.Write(context.Background(), backup.Source{Store: f.st, Blobs: f.blobs,
		CertsDir: filepath.Join(f.dir, "certs"), Version: "v9.9.9"}, &archive)
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != backup.FormatVersion || m.Version != "v9.9.9" || len(m.Problems) != 0 ||
		m.Incomplete() != nil {
		t.Fatalf("manifest %+v", m)
	}

	// The archive is a plain tar.gz that mirrors the data folder, manifest last.
	got := entries(t, archive.Bytes())
	var listed backup.Manifest
	if err := json.Unmarshal(got["manifest.json"], &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.Files) != len(got)-1 {
		t.Fatalf("manifest lists %d files, archive holds %d besides it", len(listed.Files), len(got)-1)
	}
	for _, e := range listed.Files {
		if sha(got[e.Path]) != e.SHA256 || int64(len(got[e.Path])) != e.Size {
			t.Errorf("%s: manifest hash or size does not match the archive", e.Path)
		}
	}
	if !bytes.Equal(got["files/"+file.SHA256[:2]+"/"+file.SHA256], content) {
		t.Fatal("the file's contents are not in the archive")
	}
	for name := range got {
		if strings.Contains(name, "locks/") {
			t.Errorf("certmagic lock %s was backed up", name)
		}
	}

	// Restored into a new folder, everything is byte for byte what was backed up.
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(bytes.NewReader(archive.Bytes()), dir); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(filepath.Join(dir, "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(db, got["portico.db"]) {
		t.Fatal("restored database differs from the archived one")
	}
	mustEqualDumps(t, dumpDB(t, filepath.Join(dir, "portico.db")), dump(t, f.st.DB()))
	restored, err := os.ReadFile(contentPath(dir, file.SHA256))
	if err != nil || !bytes.Equal(restored, content) {
		t.Fatalf("restored contents differ: %v", err)
	}
	for name, want := range certs {
		if raw, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(raw) != want {
			t.Errorf("%s not restored: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".restore-") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
	info, err := os.Stat(filepath.Join(dir, "portico.db"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("restored database mode %v, %v; want 0600", info.Mode(), err)
	}
}

// TestWriteNotesDamagedContents backs up a folder with one file's contents missing and
// another's corrupt: the archive holds everything else, and its manifest says it is
// incomplete and why.
func TestWriteNotesDamagedContents(t *testing.T) {
	f := newFolder(t)
	gone, _ := f.attach(t, "gone.bin", 1000)
	damaged, _ := f.attach(t, "damaged.bin", 1000)
	kept, content := f.attach(t, "kept.bin", 1000)
	if err := os.Remove(contentPath(f.dir, gone.SHA256)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, contentPath(f.dir, damaged.SHA256), "not what was uploaded")

	var archive bytes.Buffer
	m, err := backup.Write(context.Background(), backup.Source{Store: f.st, Blobs: f.blobs,
		CertsDir: filepath.Join(f.dir, "certs")}, &archive)
	if err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(m.Problems, "\n")
	if len(m.Problems) != 2 || !strings.Contains(problems, gone.SHA256+": missing") ||
		!strings.Contains(problems, damaged.SHA256+": corrupt") {
		t.Fatalf("problems %q, want the missing and the corrupt contents", m.Problems)
	}
	var incomplete *backup.IncompleteError
	if err := m.Incomplete(); !errors.As(err, &incomplete) || len(incomplete.Problems) != 2 ||
		!strings.HasPrefix(err.Error(), backup.IncompletePrefix+"2 files were missing") {
		t.Fatalf("Incomplete() = %v, want an IncompleteError of 2 files", err)
	}

	// The archive still restores: it holds everything that was there.
	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(&archive, restored); err != nil {
		t.Fatal(err)
	}
	if raw, err := os.ReadFile(contentPath(restored, kept.SHA256)); err != nil ||
		!bytes.Equal(raw, content) {
		t.Fatalf("the sound file did not come back: %v", err)
	}
	if _, err := os.Stat(contentPath(restored, gone.SHA256)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing contents restored: %v", err)
	}
}

func TestCreateCommitsAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "portico.tar.gz")
	writeFile(t, path, "the previous backup")

	out, err := backup.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("half an archive")
	if raw, _ := os.ReadFile(path); string(raw) != "the previous backup" {
		t.Fatalf("the path changed before Commit: %q", raw)
	}
	out.Abort()
	if raw, _ := os.ReadFile(path); string(raw) != "the previous backup" {
		t.Fatalf("Abort touched the previous backup: %q", raw)
	}

	out, err = backup.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("a whole archive")
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	out.Abort() // after Commit, harmless
	if raw, _ := os.ReadFile(path); string(raw) != "a whole archive" {
		t.Fatalf("after Commit: %q", raw)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode %v, want 0600", info.Mode())
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("%d files in the folder, want only the backup", len(left))
	}
}
