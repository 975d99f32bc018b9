package web

import (
	"crypto/sha256"
	"sync"
)

// StreamsPerSession is how many event streams one session may hold open at once: more than
// a person with a few tabs and windows needs, few enough that a stolen or buggy session
// cannot pile up connections.
const StreamsPerSession = 8

// StreamRetryAfter is the Retry-After, in seconds, of a stream refused for being past the
// cap: by then a tab has usually been closed.
const StreamRetryAfter = "30"

// StreamLimiter counts the event streams each session holds open and refuses new ones past
// a cap. Each open stream holds a connection, a goroutine and a hub subscription, so one
// session must not be able to open them without end.
//
// Past the cap the new stream is refused (429), rather than the oldest closed: a closed
// EventSource reconnects on its own, so with more tabs open than the cap, closing the
// oldest would have the tabs evict one another every few seconds, for ever. Refusing is
// stable: the streams that are open stay open, the refused page keeps what it loaded (the
// portal's page reloads its parts once; the staff UI retries with a growing delay and gets
// in once another stream has ended). A slot is released as soon as its handler returns,
// which happens when the browser closes the page.
//
// Sessions are told apart by the SHA-256 of their secret, so the limiter never holds a
// secret. Its methods are safe for concurrent use; a session without open streams takes no
// memory.
type StreamLimiter struct {
	max  int
	mu   sync.Mutex
	open map[[sha256.Size]byte]int
}

// NewStreamLimiter returns a limiter allowing max open streams per session.
func NewStreamLimiter(max int) *StreamLimiter {
	return &StreamLimiter{max: max, open: map[[sha256.Size]byte]int{}}
}

// Acquire takes a slot for a stream of the session with this secret. It returns false when
// the session already holds the maximum; otherwise the caller must call release once the
// stream has ended (calling it again does nothing).
func (l *StreamLimiter) Acquire(secret string) (release func(), ok bool) {
	key := sha256.Sum256([]byte(secret))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.max {
		return nil, false
	}

	l.open[key]++
	var once sync.Once
	return func() { once.Do(func() { l.drop(key) }) }, true
}

func (l *StreamLimiter) drop(key [sha256.Size]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] <= 1 {
		delete(l.open, key)
		return
	}
	l.open[key]--
}

// Open returns how many streams the session with this secret holds open.
func (l *StreamLimiter) Open(secret string) int {
	key := sha256.Sum256([]byte(secret))
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open[key]
}
