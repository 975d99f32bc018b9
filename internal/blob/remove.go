package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Remove deletes the content named sha. Removing content that is not there is not an
// error. The caller must know that no record refers to it any more. While a Hold is in
// force the content leaves its place all the same (Exists reports false and a new Put
// stores it afresh), but it stays readable through OpenHeld until the hold is released.
func (s *Store) Remove(sha string) error {
	p, err := s.Path(sha)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holds > 0 {
		err = s.keep(p, sha)
	} else {
		err = os.Remove(p)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
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
