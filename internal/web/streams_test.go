package web

import (
	"runtime"
	"sync"
	"testing"
)

// TestStreamLimiter checks the cap per session: a session gets max slots and no more, other
// sessions are unaffected, a released slot can be taken again, releasing twice frees one
// slot only, and a session without streams leaves nothing behind.
func TestStreamLimiter(t *testing.T) {
	l := NewStreamLimiter(3)
	var releases []func()
	for i := range 3 {
		release, ok := l.Acquire("session-a")
		if !ok {
			t.Fatalf("stream %d of 3 refused", i+1)
		}
		releases = append(releases, release)
	}
	if _, ok := l.Acquire("session-a"); ok {
		t.Fatal("a fourth stream of one session was allowed")
	}
	other, ok := l.Acquire("session-b")
	if !ok {
		t.Fatal("another session was refused")
	}

	releases[0]()
	releases[0]() // a second call must not free another slot
	if got := l.Open("session-a"); got != 2 {
		t.Errorf("open streams after one release: %d, want 2", got)
	}
	again, ok := l.Acquire("session-a")
	if !ok {
		t.Fatal("a released slot could not be taken again")
	}
	if _, ok := l.Acquire("session-a"); ok {
		t.Fatal("past the cap after a release and a new stream")
	}

	for _, release := range append(releases[1:], again, other) {
		release()
	}
	l.mu.Lock()
	left := len(l.open)
	l.mu.Unlock()
	if left != 0 {
		t.Errorf("%d sessions still counted after every stream ended", left)
	}
}

// TestStreamLimiterConcurrent checks, under -race, that concurrent streams of one session
// never exceed the cap and all slots come back.
func TestStreamLimiterConcurrent(t *testing.T) {
	const limit = 4
	l := NewStreamLimiter(limit)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		holding int
		peak    int
	)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				release, ok := l.Acquire("shared session")
				if !ok {
					continue
				}
				mu.Lock()
				holding++
				peak = max(peak, holding)
				mu.Unlock()
				runtime.Gosched() // hold the slot while others try
				mu.Lock()
				holding--
				mu.Unlock()
				release()
			}
		}()
	}
	wg.Wait()
	if peak > limit || peak == 0 {
		t.Errorf("%d streams held at once, cap %d", peak, limit)
	}
	if got := l.Open("shared session"); got != 0 {
		t.Errorf("%d slots still taken after every stream ended", got)
	}
}
