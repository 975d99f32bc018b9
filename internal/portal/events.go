package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/store"
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
	// writeTimeout bounds one write to a stream, so a stalled reader is let go.
	writeTimeout = 10 * time.Second
)

// accessChanges are the actions after which a stream checks its right to exist again,
// whichever project or client they name.
var accessChanges = map[domain.Action]bool{
	domain.ActionClientDisabled:  true,
	domain.ActionClientRemoved:   true,
	domain.ActionProjectUnshared: true,
	domain.ActionProjectArchived: true,
}

// clientEvent is what a client's stream sends: which kind of change touched which visible
// object. It carries IDs only, never titles or content.
type clientEvent struct {
	Action   domain.Action `json:"action"`
	TaskID   domain.ID     `json:"task_id,omitempty"`
	DocID    domain.ID     `json:"doc_id,omitempty"`
	ObjectID domain.ID     `json:"object_id,omitempty"`
}

// stream is one client's live view of one project.
type stream struct {
	p         *Portal
	c         client
	projectID domain.ID
	w         http.ResponseWriter
	rc        *http.ResponseController
}

// events streams the project's changes that the client may see, as server-sent events.
// It closes as soon as the client loses the project or the session ends.
func (p *Portal) events(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	// Subscribe before checking, so a change of access between the two is not missed.
	sub := p.hub.Subscribe(eventBuffer)
	defer sub.Close()
	s := &stream{p: p, c: c, projectID: id, w: w, rc: http.NewResponseController(w)}
	if !s.projectVisible() {
		p.notFound(w, r)
		return
	}

	if err := s.open(); err != nil {
		return
	}

	s.run(r.Context(), sub)
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

// handle forwards one activity entry if the client may see it and reports whether the
// stream should stay open.
func (s *stream) handle(a domain.Activity) bool {
	if a.ProjectID != s.projectID && !accessChanges[a.Action] {
		return true
	}

	if !s.allowed() {
		return false
	}

	if a.ProjectID != s.projectID || !s.visible(a) {
		return true
	}

	raw, err := json.Marshal(clientEvent{Action: a.Action, TaskID: a.TaskID, DocID: a.DocID,
		ObjectID: a.ObjectID})
	if err != nil {
		s.p.log.Error("encode client event", "error", err)
		return true
	}

	return s.write("data: "+string(raw)+"\n\n") == nil
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

// visible asks the access policy, in a fresh read, whether the client may learn of a.
func (s *stream) visible(a domain.Activity) bool {
	ok := false
	_ = s.p.svc.Store().View(func(tx *store.Tx) error {
		ok = access.Activity(tx, s.c.ID, a)
		return nil
	})
	return ok
}

func (s *stream) write(msg string) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := io.WriteString(s.w, msg); err != nil {
		return fmt.Errorf("write event: %w", err)
	}

	if err := s.rc.Flush(); err != nil {
		return fmt.Errorf("flush event: %w", err)
	}

	return nil
}
