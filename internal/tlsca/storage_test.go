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

	refused := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if err := s.Store(ctx, "k", []byte("v")); errors.Is(err, errStorageClosed) {
			refused = true
			break
		}
		time.Sleep(time.Millisecond)
	}
	if !refused {
		t.Fatal("writes still accepted after close")
	}
	select {
	case <-closed:
		t.Fatal("close returned while a lock was held")
	default:
	}
	if err := s.Lock(ctx, "other"); !errors.Is(err, errStorageClosed) {
		t.Errorf("lock after close: %v", err)
	}

	if err := s.Unlock(ctx, "renew"); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not return after the lock was released")
	}
}
