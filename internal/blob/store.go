// Package blob owns the contents of uploaded files on disk. Each content is stored once, in a
// file named by its SHA-256, so equal uploads share one file and a name can be checked
// against its bytes at any time. The package also gives uploads a safe display name and
// serves downloads with headers that keep browsers from running what they fetch.
package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Errors returned by the Store. Compare with errors.Is: they are usually wrapped with context.
var (
	// ErrNotFound means no content with that hash is stored, or the hash is malformed.
	ErrNotFound = errors.New("blob not found")
	// ErrTooLarge means an upload went past the limit given to Put.
	ErrTooLarge = errors.New("blob too large")
	// ErrCorrupt means a stored file no longer hashes to its name.
	ErrCorrupt = errors.New("blob corrupt")
)

// Blob describes one stored content.
type Blob struct {
	// SHA256 is the lowercase hex SHA-256 of the content; it names the file on disk.
	SHA256 string
	// Size is the length of the content in bytes.
	Size int64
	// ContentType is the media type sniffed from the first bytes, possibly with a charset.
	ContentType string
}

// Store keeps contents under one directory: <dir>/<first 2 hex>/<full hex>, with partial
// uploads in <dir>/tmp until they are complete and contents removed during a Hold in
// <dir>/held until it is released. A Store is safe for concurrent use. Only one Store may
// use a directory at a time, because Open clears tmp/ and held/ of anything it finds there.
type Store struct {
	dir  string
	tmp  string
	held string

	// mu orders Remove against Hold's release; holds counts the holds in force.
	mu    sync.Mutex
	holds int
}

// Open prepares dir (creating it and its tmp/ with mode 0700) and removes what a crash
// left behind: temporary files, and contents held for a backup that never finished.
func Open(dir string) (*Store, error) {
	s := &Store{dir: dir, tmp: filepath.Join(dir, "tmp"), held: filepath.Join(dir, "held")}
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return nil, fmt.Errorf("create blob directory: %w", err)
	}

	for _, d := range []string{s.tmp, s.held} {
		if err := removeFiles(d); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// removeFiles deletes every regular file in dir, if dir exists. For tmp/ it runs only at
// Open, when no Put of this process can be in flight, so whatever is there was left by an
// interrupted upload.
func removeFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}

	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		err := os.Remove(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove leftover blob file: %w", err)
		}
	}
	return nil
}

// Path returns where the content named sha lives on disk, whether or not it exists. It fails
// with ErrNotFound when sha is not 64 lowercase hex digits, so a name can never leave dir.
func (s *Store) Path(sha string) (string, error) {
	if !validSHA(sha) {
		return "", fmt.Errorf("blob path %q: %w", sha, ErrNotFound)
	}
	return filepath.Join(s.dir, sha[:2], sha), nil
}

// Open opens the content named sha for reading. The caller closes the file. It fails with
// ErrNotFound when sha is malformed or nothing with that hash is stored.
func (s *Store) Open(sha string) (*os.File, error) {
	p, err := s.Path(sha)
	if err != nil {
		return nil, err
	}

	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open blob %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sha, err)
	}
	return f, nil
}

// validSHA reports whether s is exactly 64 lowercase hex digits.
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
