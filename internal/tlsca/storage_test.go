package tlsca

import (
	"errors"
	"testing"
	"time"

	"github.com/caddyserver/certmagic"
)

func TestClosingStorageWaitsForLocks(t *testing.T) {
	ctx := t.Context()
	s := newClosingStorage(&certmagic.FileStorage{Path: t.TempDir()})
	if err := s.Lock(ctx, "renew"); err != nil {
		t.Fatalf("lock: %v", err)
	}

	closed := make(chan struct{})
	go func() {
		s.close()
		close(closed)
	}()

	// Closing: no new locks, but the lock holder finishes its writes.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := s.Lock(ctx, "other"); errors.Is(err, errStorageClosed) {
			break
		} else if err == nil {
			_ = s.Unlock(ctx, "other")
		}
		if time.Now().After(deadline) {
			t.Fatal("locks still granted after close")
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.Store(ctx, "k", []byte("v")); err != nil {
		t.Errorf("write under a held lock refused while closing: %v", err)
	}
	select {
	case <-closed:
		t.Fatal("close returned while a lock was held")
	default:
	}

	if err := s.Unlock(ctx, "renew"); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not return after the lock was released")
	}
	if err := s.Store(ctx, "k", []byte("w")); !errors.Is(err, errStorageClosed) {
		t.Errorf("write after close: %v", err)
	}
}
