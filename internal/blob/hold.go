package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Hold keeps every content that Remove deletes from now on readable through OpenHeld, until
// the returned release function is called (more than once is harmless). A backup holds the
// store while it copies the contents its database snapshot refers to, so a file deleted
// meanwhile still reaches the archive. Holds may overlap; removed contents are deleted for
// good when the last one is released.
func (s *Store) Hold() (release func()) {
	s.mu.Lock()
	s.holds++
	s.mu.Unlock()

	var once sync.Once
	return func() { once.Do(s.release) }
}

func (s *Store) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds--
	if s.holds > 0 {
		return
	}
	// Nothing can read held/ once no hold is in force; a failure here only leaves files
	// that the next Open clears.
	_ = removeFiles(s.held)
}

// keep moves the content at p into held/, replacing an identical copy kept earlier.
func (s *Store) keep(p, sha string) error {
	if err := os.MkdirAll(s.held, 0o700); err != nil {
		return err
	}
	return os.Rename(p, filepath.Join(s.held, sha))
}

// OpenHeld opens the content named sha like Open, or, when it was removed during a Hold
// that is still in force, the copy kept for that hold. The caller closes the file.
func (s *Store) OpenHeld(sha string) (*os.File, error) {
	f, err := s.Open(sha)
	if !errors.Is(err, ErrNotFound) || !validSHA(sha) {
		return f, err
	}

	f, err = os.Open(filepath.Join(s.held, sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open blob %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open held blob %s: %w", sha, err)
	}
	return f, nil
}
