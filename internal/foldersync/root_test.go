package foldersync

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckUnderRoot(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "folders")
	outside := filepath.Join(base, "private")
	mustDo(t, os.MkdirAll(filepath.Join(root, "Client A", "Deliverables"), 0o755))
	mustDo(t, os.MkdirAll(outside, 0o755))
	write(t, filepath.Join(root, "notes.txt"), "a file")
	mustDo(t, os.Symlink(outside, filepath.Join(root, "escape")))
	mustDo(t, os.Symlink(filepath.Join(root, "Client A"), filepath.Join(root, "shortcut")))
	mustDo(t, os.Symlink(root, filepath.Join(base, "root-link")))

	tests := []struct {
		name, root, path string
		want             string // resolved path, or "" for an error
		outside          bool
	}{
		{"folder inside", root, filepath.Join(root, "Client A"), filepath.Join(root, "Client A"), false},
		{"nested folder", root, filepath.Join(root, "Client A", "Deliverables"),
			filepath.Join(root, "Client A", "Deliverables"), false},
		{"relative to root", root, "Client A", filepath.Join(root, "Client A"), false},
		{"root itself", root, root, root, false},
		{"symlink staying inside", root, filepath.Join(root, "shortcut"), filepath.Join(root, "Client A"), false},
		{"root given through a symlink", filepath.Join(base, "root-link"),
			filepath.Join(base, "root-link", "Client A"), filepath.Join(root, "Client A"), false},
		{"dot dot", root, filepath.Join(root, "..", "private"), "", true},
		{"relative dot dot", root, "../private", "", true},
		{"absolute outside", root, outside, "", true},
		{"symlink out", root, filepath.Join(root, "escape"), "", true},
		{"missing", root, filepath.Join(root, "nope"), "", false},
		{"a file", root, filepath.Join(root, "notes.txt"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			realWant := tt.want
			if realWant != "" {
				var err error
				realWant, err = filepath.EvalSymlinks(realWant)
				mustDo(t, err)
			}
			got, err := CheckUnderRoot(tt.root, tt.path)
			if got != realWant || (err == nil) != (tt.want != "") {
				t.Fatalf("CheckUnderRoot(%q) = %q, %v; want %q", tt.path, got, err, realWant)
			}
			if tt.outside != errors.Is(err, ErrOutsideRoot) {
				t.Errorf("error %v, want ErrOutsideRoot: %v", err, tt.outside)
			}
		})
	}
}
