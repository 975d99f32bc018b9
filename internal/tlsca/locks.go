package tlsca

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// ClearLocks removes the lock files certmagic keeps in storageDir/locks.
//
// certmagic takes such a lock while it obtains or renews a certificate, and a process
// killed meanwhile leaves it behind. certmagic waits until a lock looks stale, and one
// that was cut off half-written it never takes again, so the certificate would not be
// renewed. Only one Portico can open a data folder at a time, so every lock found at
// start belongs to a process that is gone. Call ClearLocks only while holding the data
// folder, before any certificate manager starts.
func ClearLocks(storageDir string, logger *slog.Logger) error {
	dir := filepath.Join(storageDir, "locks")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("certificate locks: %w", err)
	}

	for _, entry := range entries {
		if entry.IsDir() || !strings.HasSuffix(entry.Name(), ".lock") {
			continue
		}
		path := filepath.Join(dir, entry.Name())
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove certificate lock left by a stopped process: %w", err)
		}
		logger.Info("removed certificate lock left by a stopped process", "path", path)
	}
	return nil
}
