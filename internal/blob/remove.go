package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Remove deletes the content named sha. Removing content that is not there is not an
// error. The caller must know that no record refers to it any more.
func (s *Store) Remove(sha string) error {
	p, err := s.Path(sha)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove blob %s: %w", sha, err)
	}
	return nil
}

// Exists reports whether content named sha is stored.
func (s *Store) Exists(sha string) bool {
	p, err := s.Path(sha)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}
