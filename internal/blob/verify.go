package blob

import (
	"crypto/sha256"
	"fmt"
	"io"
)

// Verify re-reads the content named sha and checks that it still hashes to sha. It fails
// with ErrNotFound when nothing is stored under sha and with ErrCorrupt when the bytes
// changed on disk.
func (s *Store) Verify(sha string) error {
	f, err := s.Open(sha)
	if err != nil {
		return err
	}
	defer f.Close()

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("verify blob %s: read: %w", sha, err)
	}

	if got := hexSum(h); got != sha {
		return fmt.Errorf("verify blob %s: content hashes to %s: %w", sha, got, ErrCorrupt)
	}
	return nil
}
