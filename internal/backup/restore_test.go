package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portico/internal/backup"
)

func TestRestoreRefusesNonEmptyFolder(t *testing.T) {
	f := newFolder(t)
	archive := backupOf(t, f)

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes.txt"), "keep me")
	_, err := backup.Restore(bytes.NewReader(archive), dir)
	if !errors.Is(err, backup.ErrNotEmpty) {
		t.Fatalf("Restore into a non-empty folder = %v, want ErrNotEmpty", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("the folder now holds %d entries, want only notes.txt", len(left))
	}

	// The folder of the live store is not empty either.
	if _, err := backup.Restore(bytes.NewReader(archive), f.dir); !errors.Is(err, backup.ErrNotEmpty) {
		t.Fatalf("Restore over a data folder = %v, want ErrNotEmpty", err)
	}

	// An existing empty folder is fine.
	empty := t.TempDir()
	if _, err := backup.Restore(bytes.NewReader(archive), empty); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRejectsBadArchives(t *testing.T) {
	f := newFolder(t)
	file, _ := f.attach(t, "logo.png", 4096)
	good := entries(t, backupOf(t, f))
	blobName := "files/" + file.SHA256[:2] + "/" + file.SHA256
	order := []string{"portico.db", blobName, "manifest.json"}

	flipped := bytes.Clone(good[blobName])
	flipped[100] ^= 1
	var newer backup.Manifest
	json.Unmarshal(good["manifest.json"], &newer)
	newer.Format = backup.FormatVersion + 1
	newerRaw, _ := json.Marshal(newer)

	tests := []struct {
		name    string
		archive []byte
		want    string
	}{
		{"damaged content", pack(t, order, with(good, blobName, flipped)), "damaged"},
		{"entry missing", pack(t, []string{"portico.db", "manifest.json"}, good), "not in the archive"},
		{"no manifest", pack(t, order[:2], good), "no manifest"},
		{"newer format", pack(t, order, with(good, "manifest.json", newerRaw)), "format 2"},
		{"extra entry", pack(t, append([]string{"certs/extra.pem"}, order...),
			with(good, "certs/extra.pem", []byte("x"))), "not in the manifest"},
		{"path escape", pack(t, append([]string{"../escape"}, order...),
			with(good, "../escape", []byte("x"))), "unexpected entry"},
		{"absolute path", pack(t, append([]string{"/etc/cron.d/x"}, order...),
			with(good, "/etc/cron.d/x", []byte("x"))), "unexpected entry"},
		{"unknown file", pack(t, append([]string{"notes.txt"}, order...),
			with(good, "notes.txt", []byte("x"))), "unexpected entry"},
		{"cut short", backupOf(t, f)[:2000], "cut short"},
		{"not gzip", []byte("not an archive at all"), "not a Portico backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "restored")
			_, err := backup.Restore(bytes.NewReader(tt.archive), dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Restore = %v, want an error containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a failed restore left %s behind", dir)
			}
		})
	}
}

func TestRestoreRejectsSymlink(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "portico.db", Linkname: "/etc/passwd"})
	tw.Close()
	gz.Close()
	dir := t.TempDir()
	_, err := backup.Restore(&buf, dir)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Restore = %v, want a refusal of the symlink", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a failed restore left %d entries in the folder", len(left))
	}
}

func backupOf(t *testing.T, f *folder) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := backup.Write(context.Background(), backup.Source{Store: f.st, Blobs: f.blobs,
		CertsDir: filepath.Join(f.dir, "certs")}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func with(m map[string][]byte, name string, content []byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = v
	}
	out[name] = content
	return out
}

// pack writes the named entries of m, in order, as a tar.gz.
func pack(t *testing.T, order []string, m map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range order {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(m[name])), Mode: 0o600}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(m[name])
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}
