package foldersync

import (
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestLinkUnlinkAndClose(t *testing.T) {
	before := runtime.NumGoroutine()
	dir, other := t.TempDir(), t.TempDir()
	write(t, filepath.Join(other, "b.txt"), "b")
	sink := &recordingSink{}
	s := New(sink, testOptions())

	if err := s.Link("p", "relative/path"); err == nil {
		t.Error("linked a relative path")
	}
	mustDo(t, s.Link("p", dir))
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })

	// Linking again replaces the folder.
	mustDo(t, s.Link("p", other))
	upserted(t, sink, "b.txt", "b")
	write(t, filepath.Join(dir, "a.txt"), "a")

	s.Unlink("p")
	write(t, filepath.Join(other, "c.txt"), "c")
	settle()
	if n := len(sink.calls("")); n != 1 {
		t.Errorf("changes reported after unlink or from the replaced folder:%s", sink.describe())
	}

	mustDo(t, s.Link("q", other))
	mustDo(t, s.Close())
	mustDo(t, s.Close())
	if err := s.Link("p", dir); !errors.Is(err, ErrClosed) {
		t.Errorf("Link after Close: %v, want ErrClosed", err)
	}

	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left running, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
