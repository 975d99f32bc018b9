package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/store"
	"portico/internal/web"
)

const (
	// eventBuffer is how far a stream may fall behind before the hub drops it; the
	// browser then reconnects and reloads what it shows.
	eventBuffer = 64
	// heartbeatEvery keeps proxies from closing an idle stream.
	heartbeatEvery = 25 * time.Second
	// sessionCheckEvery bounds how long a stream outlives its session (sign-out, a
	// password change, "sign out other sessions"): those are not activity entries.
	sessionCheckEvery = 5 * time.Second
)

// writeTimeout bounds one write to a stream, so a stalled reader is let go. A variable for
// the tests.
var writeTimeout = 10 * time.Second

// accessChanges are the actions after which a stream checks its right to exist again,
// whichever project or client they name.
var accessChanges = map[domain.Action]bool{
	domain.ActionClientDisabled:  true,
	domain.ActionClientRemoved:   true,
	domain.ActionProjectUnshared: true,
	domain.ActionProjectArchived: true,
}

// clientEvent is what a client's stream sends: which kind of change touched which visible
// object, or that a shown object is gone. It carries IDs only, never titles or content.
type clientEvent struct {
	Action   domain.Action `json:"action"`
	TaskID   domain.ID     `json:"task_id,omitempty"`
	DocID    domain.ID     `json:"doc_id,omitempty"`
	ObjectID domain.ID     `json:"object_id,omitempty"`
}

// stream is one client's live view of one project, opened by one page.
type stream struct {
	p         *Portal
	c         client
	projectID domain.ID
	shown     *shownSet
	w         http.ResponseWriter
	rc        *http.ResponseController
}

// events streams the project's changes that the client may see, as server-sent events,
// and tells the page when something it shows is gone. A task or doc page names itself
// (?task= or ?doc=) so that its files and comments are followed too. The stream closes as
// soon as the client loses the project or the session ends.
func (p *Portal) events(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	release, ok := p.streams.Acquire(c.secret)
	if !ok {
		w.Header().Set("Retry-After", web.StreamRetryAfter)
		p.problem(w, http.StatusTooManyRequests, "Too many open pages",
			"This session has too many live pages open. Close a few tabs, then reload.")
		return
	}
	defer release()

	// Subscribe before looking, so a change between the two is not missed.
	sub := p.hub.Subscribe(eventBuffer)
	defer sub.Close()
	s := &stream{p: p, c: c, projectID: id, w: w, rc: http.NewResponseController(w)}
	if err := s.p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		s.shown, err = newShownSet(tx, c.ID, id, pageParam(r, "task"), pageParam(r, "doc"))
		return err
	}); err != nil {
		p.notFound(w, r)
		return
	}

	stale := !s.upToDate(r) // before open: what follows arrives as events
	if err := s.open(); err != nil {
		return
	}
	if stale && s.send([]clientEvent{{Action: actionRefresh}}) != nil {
		return
	}

	s.run(r.Context(), sub)
}

// upToDate reports whether the page that opened the stream, by the digest it names, still
// shows what it would show now. A stream opened without a digest has nothing to compare.
func (s *stream) upToDate(r *http.Request) bool {
	digest := r.URL.Query().Get("digest")
	if digest == "" {
		return true
	}
	return digest == s.p.currentDigest(s.c, s.projectID, s.shown.pageTask, s.shown.pageDoc)
}

// pageParam returns the ID the stream's page names in the query parameter, or "".
func pageParam(r *http.Request, name string) domain.ID {
	id := domain.ID(r.URL.Query().Get(name))
	if !id.Valid() {
		return ""
	}
	return id
}

// open sends the headers and a first line at once, so the browser knows the stream is up.
func (s *stream) open() error {
	_ = s.rc.SetWriteDeadline(time.Time{})
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	s.w.WriteHeader(http.StatusOK)
	return s.write("retry: 3000\n\n")
}

func (s *stream) run(ctx context.Context, sub *events.Subscription) {
	heartbeat := time.NewTicker(heartbeatEvery)
	defer heartbeat.Stop()
	check := time.NewTicker(sessionCheckEvery)
	defer check.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-check.C:
			if !s.allowed() {
				return
			}
		case <-heartbeat.C:
			if !s.allowed() || s.write(": heartbeat\n\n") != nil {
				return
			}
		case a, ok := <-sub.C:
			// A closed channel means the hub dropped a lagging stream.
			if !ok || !s.handle(a) {
				return
			}
		}
	}
}

// handle sends the events one activity entry makes for the client, if any, and reports
// whether the stream should stay open.
func (s *stream) handle(a domain.Activity) bool {
	if a.ProjectID != s.projectID && !accessChanges[a.Action] {
		return true
	}

	if !s.allowed() {
		return false
	}

	if a.ProjectID != s.projectID {
		return true
	}

	// One read, so the entry's check and the shown objects' checks see the same state.
	var out []clientEvent
	_ = s.p.svc.Store().View(func(tx *store.Tx) error {
		out = s.shown.follow(tx, a)
		return nil
	})
	return s.send(out) == nil
}

// send writes events as one flush.
func (s *stream) send(out []clientEvent) error {
	if len(out) == 0 {
		return nil
	}

	var msg strings.Builder
	for _, ev := range out {
		raw, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("encode client event: %w", err)
		}
		msg.WriteString("data: " + string(raw) + "\n\n")
	}
	return s.write(msg.String())
}

// allowed checks again that the session is live and the project still visible.
func (s *stream) allowed() bool {
	if _, err := s.p.svc.Authenticate(domain.ActorClient, s.c.secret); err != nil {
		return false
	}

	return s.projectVisible()
}

func (s *stream) projectVisible() bool {
	err := s.p.svc.Store().View(func(tx *store.Tx) error {
		_, err := access.Project(tx, s.c.ID, s.projectID)
		return err
	})
	return err == nil
}

func (s *stream) write(msg string) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := io.WriteString(s.w, msg); err != nil {
		return fmt.Errorf("write event: %w", err)
	}

	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("flush event: %w", err)
	}

	// Over HTTP/2 a deadline left in place ends the stream when it passes, even idle.
	_ = s.rc.SetWriteDeadline(time.Time{})
	return nil
}
