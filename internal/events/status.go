package events

import (
	"sync"

	"portico/internal/domain"
)

// FolderStatus is the state of a project's linked folder at one moment: "scanning",
// "online", "degraded", "offline", or "unlinked" once the link is gone. Message explains a
// degraded or offline state in words staff can act on.
type FolderStatus struct {
	ProjectID domain.ID `json:"project_id"`
	State     string    `json:"state"`
	Message   string    `json:"message,omitempty"`
}

// StatusFeed fans folder status changes out to whoever watches them: the staff event
// streams. It is kept apart from Hub on purpose. A status is a passing state held in
// memory, not a change to the records: it has no place in the hash-chained activity log,
// the search indexer has nothing to index in it, and client streams must never carry it.
// Subscribers of Hub therefore never see one.
//
// A watcher that reads slowly is never dropped: the feed keeps only the latest status of
// each project for it, which is all a reader of states needs. StatusFeed is safe for
// concurrent use; its zero value is not, use NewStatusFeed.
type StatusFeed struct {
	mu       sync.Mutex
	watchers map[*StatusWatch]struct{}
}

// NewStatusFeed returns a feed without watchers.
func NewStatusFeed() *StatusFeed {
	return &StatusFeed{watchers: map[*StatusWatch]struct{}{}}
}

// StatusWatch is one watcher of a StatusFeed. When Ready delivers, Take returns the
// statuses that changed since the last Take, the latest one per project.
type StatusWatch struct {
	feed  *StatusFeed
	ready chan struct{}
	// pending and order are guarded by feed.mu; order keeps the projects in the order
	// their first change since the last Take arrived.
	pending map[domain.ID]FolderStatus
	order   []domain.ID
}

// Watch registers a watcher; Close ends it.
func (f *StatusFeed) Watch() *StatusWatch {
	w := &StatusWatch{feed: f, ready: make(chan struct{}, 1),
		pending: map[domain.ID]FolderStatus{}}
	f.mu.Lock()
	f.watchers[w] = struct{}{}
	f.mu.Unlock()
	return w
}

// Publish hands st to every watcher without blocking; a status a watcher has not taken
// yet for the same project is replaced.
func (f *StatusFeed) Publish(st FolderStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for w := range f.watchers {
		if _, queued := w.pending[st.ProjectID]; !queued {
			w.order = append(w.order, st.ProjectID)
		}
		w.pending[st.ProjectID] = st
		select {
		case w.ready <- struct{}{}:
		default: // already signalled; the next Take gets this one too
		}
	}
}

// Len returns the number of watchers.
func (f *StatusFeed) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.watchers)
}

// Ready delivers a value when statuses are waiting to be taken.
func (w *StatusWatch) Ready() <-chan struct{} { return w.ready }

// Take returns the statuses waiting for this watcher, oldest project first, and forgets
// them. It returns nothing when none are waiting.
func (w *StatusWatch) Take() []FolderStatus {
	w.feed.mu.Lock()
	defer w.feed.mu.Unlock()
	if len(w.order) == 0 {
		return nil
	}
	out := make([]FolderStatus, 0, len(w.order))
	for _, id := range w.order {
		out = append(out, w.pending[id])
		delete(w.pending, id)
	}
	w.order = w.order[:0]
	return out
}

// Close unregisters the watcher; it is safe to call more than once.
func (w *StatusWatch) Close() {
	w.feed.mu.Lock()
	defer w.feed.mu.Unlock()
	delete(w.feed.watchers, w)
}
