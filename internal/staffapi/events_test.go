package staffapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// streamWait bounds every wait for an event; generous, since -race slows everything.
const streamWait = 10 * time.Second

// sseEvent is one parsed server-sent event; a comment line arrives with Comment set. Data
// is the event's data as sent, Entry the same read as an activity entry.
type sseEvent struct {
	ID      uint64
	Name    string
	Data    string
	Entry   domain.Activity
	Comment string
}

// sseStream is an open event stream read by a goroutine; C closes when the stream ends.
type sseStream struct {
	C      <-chan sseEvent
	cancel context.CancelFunc
}

func (h *harness) openEvents(who *account, lastEventID string) *sseStream {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/api/v1/events", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+who.Token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		h.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := make(chan sseEvent, 4096)
	go readEvents(resp, c)
	s := &sseStream{C: c, cancel: cancel}
	h.t.Cleanup(s.cancel)
	return s
}

// readEvents parses the stream until it ends. Malformed events are passed on with a
// zero ID so the test fails on them.
func readEvents(resp *http.Response, c chan<- sseEvent) {
	defer close(c)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Name != "" {
				c <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
			c <- sseEvent{Comment: strings.TrimSpace(line[1:])}
		case strings.HasPrefix(line, "id: "):
			ev.ID, _ = strconv.ParseUint(line[4:], 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.Name = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.Data = line[6:]
			if err := json.Unmarshal([]byte(line[6:]), &ev.Entry); err != nil {
				ev.ID = 0
			}
		}
	}
}

// next returns the next activity event, skipping comments and folder states.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case ev, ok := <-s.C:
			if !ok {
				t.Fatal("the stream ended")
			}
			if ev.Comment != "" || ev.Name == folderStatusEvent {
				continue
			}
			if ev.Name != "activity" || ev.ID == 0 || ev.ID != ev.Entry.Seq {
				t.Fatalf("malformed event %+v", ev)
			}
			return ev
		case <-deadline:
			t.Fatal("no event within the deadline")
		}
	}
}

// expectActions reads len(want) events and checks their actions and their order.
func (s *sseStream) expectActions(t *testing.T, want ...domain.Action) []sseEvent {
	t.Helper()
	var got []sseEvent
	for i, action := range want {
		ev := s.next(t)
		if ev.Entry.Action != action {
			t.Fatalf("event %d is %s (seq %d), want %s", i, ev.Entry.Action, ev.ID, action)
		}
		if len(got) > 0 && ev.ID <= got[len(got)-1].ID {
			t.Fatalf("event %d has seq %d after %d", i, ev.ID, got[len(got)-1].ID)
		}
		got = append(got, ev)
	}
	return got
}

// waitEnd waits for the stream to end.
func (s *sseStream) waitEnd(t *testing.T) {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case _, ok := <-s.C:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream did not end")
		}
	}
}

func TestEventsInOrderAndResume(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Live", true)
	stream := h.openEvents(&h.owner, "")

	task := h.task(&h.member, p.ID, "Live task")
	var c domain.Comment
	h.mustJSON(&h.member, "POST", "/api/v1/tasks/"+string(task.ID)+"/comments",
		map[string]string{"body": "hello"}, 201, &c)
	h.mustJSON(&h.member, "PATCH", "/api/v1/tasks/"+string(task.ID),
		map[string]string{"status": "done"}, 200, nil)
	h.uploadRaw(&h.member, task.ID, "a.txt", []byte("a"))
	h.mustJSON(&h.member, "DELETE", "/api/v1/comments/"+string(c.ID), nil, 204, nil)
	got := stream.expectActions(t, domain.ActionTaskCreated, domain.ActionCommentAdded,
		domain.ActionTaskCompleted, domain.ActionFileUploaded, domain.ActionCommentDeleted)
	if got[0].Entry.Actor.ID != h.member.ID || got[0].Entry.TaskID != task.ID {
		t.Errorf("first entry %+v", got[0].Entry)
	}
	stream.cancel()
	stream.waitEnd(t)

	// Writes while disconnected are replayed on reconnection, then the stream goes live.
	last := got[len(got)-1].ID
	h.task(&h.owner, p.ID, "Missed one")
	h.task(&h.owner, p.ID, "Missed two")
	h.mustJSON(&h.owner, "PATCH", projectPath(p, ""), map[string]string{"name": "Live, renamed"}, 200, nil)
	resumed := h.openEvents(&h.owner, strconv.FormatUint(last, 10))
	replayed := resumed.expectActions(t, domain.ActionTaskCreated, domain.ActionTaskCreated,
		domain.ActionProjectUpdated)
	for i, ev := range replayed {
		if ev.ID != last+uint64(i)+1 {
			t.Errorf("replayed seq %d, want %d", ev.ID, last+uint64(i)+1)
		}
	}
	h.task(&h.owner, p.ID, "Live again")
	if ev := resumed.expectActions(t, domain.ActionTaskCreated)[0]; ev.ID != last+4 {
		t.Errorf("live seq %d after replay, want %d", ev.ID, last+4)
	}
}

func TestEventsHaveNoGapsUnderConcurrentWrites(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Busy", true)
	stream := h.openEvents(&h.owner, "")
	const writers, each = 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				title := fmt.Sprintf("task %d-%d", w, i)
				_, err := h.svc.CreateTask(h.member.ID, p.ID, service.TaskInput{Title: &title})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	var prev uint64
	for i := range writers * each {
		ev := stream.next(t)
		if prev != 0 && ev.ID != prev+1 {
			t.Fatalf("event %d: seq %d after %d", i, ev.ID, prev)
		}
		prev = ev.ID
	}
}

func TestEventsRespectStaffRights(t *testing.T) {
	h := newHarness(t)
	private := h.project(&h.member, h.member.Personal, "Member's private", true)
	team := h.project(&h.owner, h.team, "Team", true)
	stream := h.openEvents(&h.other, "")

	h.task(&h.member, private.ID, "Private task")
	h.mustJSON(&h.member, "POST", "/api/v1/workspaces", map[string]string{"name": "Design"}, 201, nil)
	h.task(&h.owner, team.ID, "Team task")
	got := stream.expectActions(t, domain.ActionWorkspaceCreated, domain.ActionTaskCreated)
	if got[1].Entry.ProjectID != team.ID {
		t.Errorf("other member got %+v", got[1].Entry)
	}
}

func TestEventStreamEnds(t *testing.T) {
	tests := []struct {
		name string
		end  func(h *harness, who *account)
	}{
		{"on sign-out", func(h *harness, who *account) {
			h.mustJSON(who, "DELETE", "/api/v1/session", nil, http.StatusNoContent, nil)
		}},
		{"when the member is disabled", func(h *harness, who *account) {
			h.mustJSON(&h.owner, "PATCH", "/api/v1/staff/"+string(h.other.ID),
				map[string]bool{"disabled": true}, 200, nil)
		}},
		{"when the hub drops a lagging stream", func(h *harness, who *account) {
			fake := make([]domain.Activity, streamBuffer*3)
			for i := range fake {
				fake[i] = domain.Activity{Seq: uint64(1_000_000 + i), Action: domain.ActionStaffUpdated}
			}
			h.hub.Publish(fake)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var sess sessionView
			h.mustJSON(nil, "POST", "/api/v1/session",
				signInBody("other@agency.test", testPassword), 200, &sess)
			who := &account{ID: sess.Staff.ID, Token: sess.Token}
			stream := h.openEvents(who, "")
			tt.end(h, who)
			stream.waitEnd(t)
		})
	}
}

func TestEventHeartbeat(t *testing.T) {
	h := newHarness(t, withHeartbeat(20*time.Millisecond))
	stream := h.openEvents(&h.owner, "")
	deadline := time.After(streamWait)
	for {
		select {
		case ev := <-stream.C:
			if ev.Comment == "heartbeat" {
				return
			}
		case <-deadline:
			t.Fatal("no heartbeat")
		}
	}
}

// TestStreamFillsGapsFromTheStore covers commits that reach the hub out of order: an
// entry arriving before the ones logged ahead of it pulls those from the store first, and
// the late ones are then dropped as already sent.
func TestStreamFillsGapsFromTheStore(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Gaps", true)
	for _, title := range []string{"one", "two", "three"} {
		h.task(&h.owner, p.ID, title)
	}
	var entries []domain.Activity
	h.store.View(func(tx *store.Tx) error {
		head := tx.LastActivitySeq()
		var err error
		entries, err = tx.ActivitySince(head-3, 3)
		return err
	})
	rec := httptest.NewRecorder()
	s := &stream{api: &api{svc: h.svc}, w: rec, rc: http.NewResponseController(rec),
		staffID: h.owner.ID, last: entries[0].Seq - 1}
	for _, e := range []domain.Activity{entries[2], entries[0], entries[1], entries[2]} {
		if err := s.deliver(e); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			ids = append(ids, id)
		}
	}
	want := fmt.Sprint(entries[0].Seq, entries[1].Seq, entries[2].Seq)
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("sent ids %q, want %q", got, want)
	}
}
