package tlsca

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// quietWindow is how long a repeated warning is held back. certmagic retries a failing CA
// after 1, 2, 2, 5 and then 10 or more minutes, so this lets about one of each message
// through in the first quarter hour and fewer after.
const quietWindow = 15 * time.Minute

// maxQuietKeys bounds the messages a quietHandler remembers.
const maxQuietKeys = 256

// quietHandler keeps repeated warnings from flooding the log. A warning or error is
// logged unless one with the same level and message was logged within the window; those
// are counted instead, and the next one logged carries the count as "repeated". Records
// below warning level pass through. Once stopped is closed, warnings and errors are
// dropped: they only tell of work that shutting down cut short.
type quietHandler struct {
	next    slog.Handler
	window  time.Duration
	stopped <-chan struct{}
	seen    *quietSeen
}

// quietSeen is what a quietHandler and the handlers derived from it remember.
type quietSeen struct {
	now func() time.Time

	mu    sync.Mutex
	byKey map[string]*quietEntry
}

// quietEntry is one message: when it was last logged, and how often held back since.
type quietEntry struct {
	logged time.Time
	held   int
}

func newQuietHandler(next slog.Handler, window time.Duration,
	stopped <-chan struct{}) *quietHandler {
	return &quietHandler{next: next, window: window, stopped: stopped,
		seen: &quietSeen{now: time.Now, byKey: make(map[string]*quietEntry)}}
}

// Enabled reports whether the next handler logs at level.
func (h *quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle logs r, or holds it back as a repeat.
func (h *quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return h.next.Handle(ctx, r)
	}
	select {
	case <-h.stopped:
		return nil
	default:
	}
	held, ok := h.seen.admit(r.Level.String()+" "+r.Message, h.window)
	if !ok {
		return nil
	}
	if held > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("repeated", held))
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a handler that adds attrs and shares what h remembers.
func (h *quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &quietHandler{next: h.next.WithAttrs(attrs), window: h.window, stopped: h.stopped,
		seen: h.seen}
}

// WithGroup returns a handler that opens group and shares what h remembers.
func (h *quietHandler) WithGroup(name string) slog.Handler {
	return &quietHandler{next: h.next.WithGroup(name), window: h.window, stopped: h.stopped,
		seen: h.seen}
}

// admit reports whether the message key may be logged now, and how many times it was
// held back since it was last logged.
func (s *quietSeen) admit(key string, window time.Duration) (held int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	entry := s.byKey[key]
	if entry != nil && now.Sub(entry.logged) < window {
		entry.held++
		return 0, false
	}

	if entry == nil {
		if len(s.byKey) >= maxQuietKeys {
			clear(s.byKey)
		}
		entry = &quietEntry{}
		s.byKey[key] = entry
	}
	held = entry.held
	entry.logged = now
	entry.held = 0
	return held, true
}
