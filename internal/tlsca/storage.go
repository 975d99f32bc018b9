package tlsca

import (
	"context"
	"errors"
	"sync"

	"github.com/caddyserver/certmagic"
)

// errStorageClosed is returned by a closingStorage after close.
var errStorageClosed = errors.New("certificate storage closed")

// closingStorage wraps certmagic storage so that its writes can be stopped: once close
// is called, new locks fail, and so do writes while no lock is held; close returns once
// running writes are done and held locks are released. Writes under a held lock go on
// until it is released, so that a certificate being saved (its key, certificate and
// metadata, in three writes, under certmagic's lock) is never left half-written. This keeps
// background renewals from writing into the data folder after Portico has shut the
// certificate manager down. Reads pass through.
type closingStorage struct {
	certmagic.Storage

	mu      sync.Mutex
	idle    *sync.Cond
	closing bool
	busy    int            // writes running
	held    map[string]int // locks held, by name
}

// newClosingStorage wraps storage.
func newClosingStorage(storage certmagic.Storage) *closingStorage {
	s := &closingStorage{Storage: storage, held: make(map[string]int)}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// Lock obtains the lock name, unless the storage is closing.
func (s *closingStorage) Lock(ctx context.Context, name string) error {
	if err := s.begin(true); err != nil {
		return err
	}
	err := s.Storage.Lock(ctx, name)

	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.held[name]++
	}
	s.endLocked()
	return err
}

// Unlock releases the lock name; it works after close too, so that close can finish.
func (s *closingStorage) Unlock(ctx context.Context, name string) error {
	err := s.Storage.Unlock(ctx, name)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[name] > 0 {
		s.held[name]--
	}
	if s.held[name] == 0 {
		delete(s.held, name)
	}
	s.idle.Broadcast()
	return err
}

// Store writes value at key, unless the storage is closing and no lock is held.
func (s *closingStorage) Store(ctx context.Context, key string, value []byte) error {
	if err := s.begin(false); err != nil {
		return err
	}
	defer s.end()
	return s.Storage.Store(ctx, key, value)
}

// Delete removes key, unless the storage is closing and no lock is held.
func (s *closingStorage) Delete(ctx context.Context, key string) error {
	if err := s.begin(false); err != nil {
		return err
	}
	defer s.end()
	return s.Storage.Delete(ctx, key)
}

// close refuses new locks, then waits until running writes are done and every lock is
// released; from then on, every write is refused.
func (s *closingStorage) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	for s.busy > 0 || len(s.held) > 0 {
		s.idle.Wait()
	}
}

// begin counts a lock or write that starts, or fails when the storage is closing (for a
// write: closing with no lock held).
func (s *closingStorage) begin(lock bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing && (lock || len(s.held) == 0) {
		return errStorageClosed
	}
	s.busy++
	return nil
}

// end counts a write that finished.
func (s *closingStorage) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endLocked()
}

// endLocked counts a write that finished; s.mu must be held.
func (s *closingStorage) endLocked() {
	s.busy--
	s.idle.Broadcast()
}
