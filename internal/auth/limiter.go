package auth

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sign-in limits. Each sign-in attempt spends one token from the limiter of the client's
// address and one from the limiter of the account named.
//
// An account allows a burst of 10 attempts, then one every 10 seconds (at most about
// 8,600 guesses a day, against passwords of at least 10 characters). An address allows
// more, a burst of 20 then one every 3 seconds, because an office or a mobile network may
// put many people behind one address.
const (
	AccountBurst = 10
	AccountEvery = 10 * time.Second
	AddressBurst = 20
	AddressEvery = 3 * time.Second
)

// MaxLimiterKeys caps the keys one Limiter remembers; that many take about 17 MB.
const MaxLimiterKeys = 100_000

// maxSweepInterval bounds how long a Limiter goes without dropping idle keys.
const maxSweepInterval = time.Minute

// Limiter is a token-bucket rate limiter per key (an address or an account). It is safe
// for concurrent use and its memory is bounded: a key is forgotten once its bucket has
// refilled, which changes nothing, and when MaxLimiterKeys keys are busy at once a new key
// evicts an arbitrary one. Such an eviction resets that key's limit, so keep keys coarse
// enough (see AddressKey) that an attacker cannot hold that many.
type Limiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration
	max   int
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// bucket is one key's limiter and when the key was last used.
type bucket struct {
	limiter *rate.Limiter
	seen    time.Time
}

// NewLimiter returns a Limiter that allows burst events at once per key and then one per
// every. It panics unless both are positive.
func NewLimiter(every time.Duration, burst int) *Limiter {
	if every <= 0 || burst <= 0 {
		panic("auth: NewLimiter needs a positive interval and burst")
	}
	return &Limiter{
		limit:   rate.Every(every),
		burst:   burst,
		idle:    every * time.Duration(burst),
		max:     MaxLimiterKeys,
		now:     time.Now,
		buckets: make(map[string]*bucket),
	}
}

// NewAccountLimiter returns a Limiter with the sign-in limits for accounts.
func NewAccountLimiter() *Limiter { return NewLimiter(AccountEvery, AccountBurst) }

// NewAddressLimiter returns a Limiter with the sign-in limits for client addresses.
func NewAddressLimiter() *Limiter { return NewLimiter(AddressEvery, AddressBurst) }

// Allow spends one token of key's bucket and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()

	now := l.now()
	if now.Sub(l.lastSweep) >= min(l.idle, maxSweepInterval) {
		l.sweep(now)
	}

	b, ok := l.buckets[key]
	if !ok {
		l.makeRoom()
		b = &bucket{limiter: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.limiter.AllowN(now, 1)
}

// sweep forgets keys whose buckets are full again.
func (l *Limiter) sweep(now time.Time) {
	for key, b := range l.buckets {
		if now.Sub(b.seen) >= l.idle {
			delete(l.buckets, key)
		}
	}
	l.lastSweep = now
}

// makeRoom evicts an arbitrary key when the map is full; map order is random in Go.
func (l *Limiter) makeRoom() {
	if len(l.buckets) < l.max {
		return
	}
	for key := range l.buckets {
		delete(l.buckets, key)
		return
	}
}

// AddressKey returns the Limiter key for a client address: the address itself for IPv4,
// and its /64 network for IPv6, since one subscriber usually holds a whole /64.
func AddressKey(addr netip.Addr) string {
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	prefix, err := addr.Prefix(64)
	if err != nil {
		return addr.String()
	}
	return prefix.String()
}
