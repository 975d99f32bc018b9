package staffapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/service"
	"portico/internal/store"
	"portico/internal/web"
)

const (
	// streamBuffer is how far a stream may fall behind the hub before the hub drops it;
	// the client then reconnects with Last-Event-ID and catches up from the store.
	streamBuffer = 1024
	// replayPage is how many stored entries one read transaction replays.
	replayPage = 256
	// retryMillis tells EventSource how soon to reconnect.
	retryMillis = 2000
)

// events streams, as server-sent events, every activity entry the caller may see, in log
// order. With Last-Event-ID (header, or ?last_event_id= for the first connection) it first
// replays the stored entries after that one; then it follows the hub, filling any gap from
// the store, so no entry is sent twice or skipped. Changes of linked folders' states come
// in between as "folder-status" events (see folderstatus.go). It ends when the client
// leaves, the session ends, or the hub drops a stream that fell behind.
func (a *api) events(w http.ResponseWriter, r *http.Request, me caller) {
	release, ok := a.streams.Acquire(me.secret)
	if !ok {
		tooManyStreams(w)
		return
	}
	defer release()

	resume, hasResume, err := lastEventID(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	sub := a.hub.Subscribe(streamBuffer)
	defer sub.Close()
	folders := a.svc.FolderStatusFeed().Watch()
	defer folders.Close()

	var head uint64
	_ = a.svc.Store().View(func(tx *store.Tx) error {
		head = tx.LastActivitySeq()
		return nil
	})
	s := &stream{api: a, w: w, rc: http.NewResponseController(w), staffID: me.ID, last: head}
	if hasResume {
		s.last = min(resume, head)
	}
	_ = s.rc.SetWriteDeadline(time.Time{}) // a stream outlives any server write timeout

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := s.write(fmt.Appendf(nil, "retry: %d\n\n", retryMillis)); err != nil {
		return
	}
	if err := s.catchUp(head); err != nil {
		return
	}
	a.follow(r, s, sub.C, folders, me.secret)
}

// follow relays hub entries and folder states until the stream has to end.
func (a *api) follow(r *http.Request, s *stream, entries <-chan domain.Activity,
	folders *events.StatusWatch, secret string) {
	heartbeat := time.NewTicker(a.heartbeat)
	defer heartbeat.Stop()
	check := time.NewTicker(a.sessionCheck)
	defer check.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-entries:
			if !ok {
				return // the hub dropped a lagging stream; the client resumes from its last id
			}
			if err := s.deliver(e); err != nil {
				return
			}
		case <-folders.Ready():
			if err := s.sendFolderStatuses(folders.Take()); err != nil {
				return
			}
		case <-heartbeat.C:
			if err := s.write([]byte(": heartbeat\n\n")); err != nil {
				return
			}
		case <-check.C:
			if _, err := a.svc.Authenticate(domain.ActorStaff, secret); err != nil {
				return
			}
		}
	}
}

// tooManyStreams refuses a stream past the session's cap (web.StreamLimiter): 429 with
// Retry-After, by when a tab has usually been closed.
func tooManyStreams(w http.ResponseWriter) {
	w.Header().Set("Retry-After", web.StreamRetryAfter)
	writeJSON(w, http.StatusTooManyRequests, errorBody{
		Error: "too many open live streams for this session: close a tab, then try again"})
}

// lastEventID reads where a reconnecting client stopped.
func lastEventID(r *http.Request) (uint64, bool, error) {
	s := r.Header.Get("Last-Event-ID")
	if s == "" {
		s = r.URL.Query().Get("last_event_id")
	}
	if s == "" {
		return 0, false, nil
	}
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false, badRequest("last_event_id", "Last-Event-ID must be an entry's seq")
	}
	return seq, true, nil
}

// stream is one open event stream. last is the Seq of the newest entry dealt with, sent
// or filtered out; every entry up to it has been considered exactly once.
type stream struct {
	api     *api
	w       http.ResponseWriter
	rc      *http.ResponseController
	staffID domain.ID
	last    uint64
}

// deliver handles one hub entry: already-seen ones are dropped, and when entries are
// missing before it (commits can publish out of order) they are read from the store first.
func (s *stream) deliver(e domain.Activity) error {
	if e.Seq <= s.last {
		return nil
	}
	if e.Seq > s.last+1 {
		if err := s.catchUp(e.Seq - 1); err != nil {
			return err
		}
	}
	return s.send([]domain.Activity{e})
}

// catchUp replays the stored entries after s.last up to and including until.
func (s *stream) catchUp(until uint64) error {
	for s.last < until {
		var page []domain.Activity
		err := s.api.svc.Store().View(func(tx *store.Tx) error {
			var err error
			page, err = tx.ActivitySince(s.last, int(min(replayPage, until-s.last)))
			return err
		})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := s.send(page); err != nil {
			return err
		}
	}
	return nil
}

// send writes the entries the staff member may see, as one flush, and moves last past
// all of them.
func (s *stream) send(entries []domain.Activity) error {
	var buf bytes.Buffer
	err := s.api.svc.Store().View(func(tx *store.Tx) error {
		for _, e := range entries {
			if !staffMaySee(tx, s.staffID, e) {
				continue
			}
			data, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode activity %d: %w", e.Seq, err)
			}
			fmt.Fprintf(&buf, "id: %d\nevent: activity\ndata: %s\n\n", e.Seq, data)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.last = entries[len(entries)-1].Seq
	if buf.Len() == 0 {
		return nil
	}
	return s.write(buf.Bytes())
}

func (s *stream) write(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	return s.rc.Flush()
}

// staffMaySee decides whether a staff member learns of an entry: project entries when the
// project is theirs to reach; workspace entries when they may use the workspace; client
// account entries when they may see the client (owners always, members through a shared
// project); staff entries always, since the team list is open to all staff.
func staffMaySee(tx *store.Tx, staffID domain.ID, e domain.Activity) bool {
	st, err := tx.Staff(staffID)
	if err != nil || st.Disabled {
		return false
	}
	if e.ProjectID != "" {
		_, err := service.StaffProject(tx, staffID, e.ProjectID)
		return err == nil
	}
	switch e.Action {
	case domain.ActionWorkspaceCreated:
		ws, err := tx.Workspace(e.ObjectID)
		return err == nil && service.CanUseWorkspace(st, ws)
	case domain.ActionClientDisabled, domain.ActionClientEnabled, domain.ActionClientAccepted:
		c, err := tx.Client(e.ObjectID)
		if err != nil {
			return false
		}
		_, ok, err := viewAccount(tx, caller{Staff: st}, c)
		return err == nil && ok
	}
	return true
}
