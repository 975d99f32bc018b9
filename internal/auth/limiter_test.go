package auth

import (
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable time source for a Limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestLimiter returns a Limiter driven by a fake clock.
func newTestLimiter(every time.Duration, burst int) (*Limiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(every, burst)
	l.now = clock.now
	return l, clock
}

func TestLimiterAllow(t *testing.T) {
	l, clock := newTestLimiter(10*time.Second, 3)

	steps := []struct {
		advance time.Duration
		key     string
		want    bool
	}{
		{0, "a", true},
		{0, "a", true},
		{0, "a", true},
		{0, "a", false}, // burst spent
		{0, "b", true},  // other keys are independent
		{5 * time.Second, "a", false},
		{5 * time.Second, "a", true}, // one token back after 10 s
		{0, "a", false},
		{time.Minute, "a", true},
		{0, "a", true},
		{0, "a", true},
		{0, "a", false}, // refills to the burst, no further
	}
	for i, s := range steps {
		clock.advance(s.advance)
		if got := l.Allow(s.key); got != s.want {
			t.Errorf("step %d: Allow(%q) = %v, want %v", i, s.key, got, s.want)
		}
	}
}

func TestLimiterForgetsIdleKeys(t *testing.T) {
	l, clock := newTestLimiter(time.Second, 2)
	for i := range 100 {
		l.Allow(fmt.Sprint("key", i))
	}
	if got := len(l.buckets); got != 100 {
		t.Fatalf("%d keys remembered, want 100", got)
	}

	clock.advance(2 * time.Second) // every bucket is full again
	l.Allow("fresh")
	if got := len(l.buckets); got != 1 {
		t.Errorf("%d keys remembered after they went idle, want 1", got)
	}
}

func TestLimiterKeepsBusyKeys(t *testing.T) {
	l, clock := newTestLimiter(time.Minute, 1)
	if !l.Allow("a") {
		t.Fatal("first Allow refused")
	}
	clock.advance(59 * time.Second)
	l.Allow("b") // triggers a sweep; "a" is not yet idle
	if l.Allow("a") {
		t.Error("Allow(a) succeeded before its bucket refilled; the sweep forgot a busy key")
	}
}

func TestLimiterCapsKeys(t *testing.T) {
	l, _ := newTestLimiter(time.Hour, 1)
	l.max = 50
	for i := range 500 {
		if !l.Allow(fmt.Sprint("key", i)) {
			t.Fatalf("new key %d refused", i)
		}
	}
	if got := len(l.buckets); got != 50 {
		t.Errorf("%d keys remembered, want the cap of 50", got)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(time.Hour, 5)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				if l.Allow("shared") {
					allowed.Add(1)
				}
				l.Allow(fmt.Sprint("own", g, i%10))
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 5 {
		t.Errorf("%d events allowed on the shared key, want the burst of 5", got)
	}
}

func TestNewLimiterRejectsNonsense(t *testing.T) {
	for _, tt := range []struct {
		every time.Duration
		burst int
	}{{0, 1}, {time.Second, 0}, {-time.Second, 3}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLimiter(%v, %d) did not panic", tt.every, tt.burst)
				}
			}()
			NewLimiter(tt.every, tt.burst)
		}()
	}
}

func TestSignInLimiters(t *testing.T) {
	tests := []struct {
		name  string
		l     *Limiter
		burst int
	}{
		{"account", NewAccountLimiter(), AccountBurst},
		{"address", NewAddressLimiter(), AddressBurst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.burst {
				if !tt.l.Allow("k") {
					t.Fatalf("attempt %d refused within the burst", i+1)
				}
			}
			if tt.l.Allow("k") {
				t.Error("attempt past the burst allowed")
			}
		})
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"::1", "::/64"},
	}
	for _, tt := range tests {
		if got := AddressKey(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("AddressKey(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
