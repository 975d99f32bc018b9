package backup

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is an archive being written to its final path. It is written to a temporary file
// in the same folder, readable only by its owner (a backup holds password hashes and the
// CA's private key), and takes the final name only when Commit succeeds, so the path
// never holds half an archive and an earlier backup there is replaced only by a complete
// one.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts an archive that will be saved at path.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create backup file: %w", err)
	}
	return &File{File: f, path: path}, nil
}

// Commit makes the archive durable and gives it its final name.
func (f *File) Commit() error {
	f.done = true
	if err := f.Sync(); err != nil {
		f.discard()
		return fmt.Errorf("save backup file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("save backup file: %w", err)
	}
	if err := os.Rename(f.Name(), f.path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("save backup file: %w", err)
	}
	return syncDir(filepath.Dir(f.path))
}

// Abort removes the unfinished archive; after Commit it does nothing.
func (f *File) Abort() {
	if !f.done {
		f.done = true
		f.discard()
	}
}

func (f *File) discard() {
	f.Close()
	os.Remove(f.Name())
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
