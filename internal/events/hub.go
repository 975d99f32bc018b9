// Package events is the live event hub: after each commit the store hands it the new
// activity entries, and it fans them out to subscribers (staff streams, client streams,
// and later the search indexer and folder sync). The hub itself filters nothing; each
// subscriber decides what its reader may see, clients through the access policy.
//
// Beside the hub, a StatusFeed carries the passing state of linked folders to the staff
// streams only; it is no activity, so it never reaches the hub's subscribers.
package events

import (
	"sync"

	"portico/internal/domain"
)

// Hub fans activity entries out to subscribers. It is safe for concurrent use.
type Hub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// New returns an empty hub.
func New() *Hub {
	return &Hub{subs: map[*Subscription]struct{}{}}
}

// Subscription receives entries on C until it is closed. A subscriber that falls more
// than its buffer behind is closed by the hub (C is closed and Lagged reports true), so
// one slow reader never holds up a write; it should reconnect and reload.
type Subscription struct {
	C      <-chan domain.Activity
	c      chan domain.Activity
	hub    *Hub
	once   sync.Once
	lagged bool
}

// Subscribe registers a subscriber with a buffer of size entries.
func (h *Hub) Subscribe(size int) *Subscription {
	c := make(chan domain.Activity, size)
	s := &Subscription{C: c, c: c, hub: h}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Close unsubscribes; it is safe to call more than once.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.closeLocked()
}

func (s *Subscription) closeLocked() {
	s.once.Do(func() {
		delete(s.hub.subs, s)
		close(s.c)
	})
}

// Lagged reports whether the hub closed this subscription because it fell behind.
func (s *Subscription) Lagged() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.lagged
}

// Publish delivers entries, in order, to every subscriber without blocking.
func (h *Hub) Publish(entries []domain.Activity) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		for _, a := range entries {
			select {
			case s.c <- a:
			default:
				s.lagged = true
				s.closeLocked()
			}
			if s.lagged {
				break
			}
		}
	}
}

// Len returns the number of open subscriptions.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
