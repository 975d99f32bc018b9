package portal

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// liveStream is a client's open event stream; events arrive on C, which closes when
// the server ends the stream.
type liveStream struct {
	C      chan clientEvent
	cancel context.CancelFunc
	raw    chan string
}

func openStream(t *testing.T, b *browser, projectID domain.ID) *liveStream {
	t.Helper()
	return openStreamAt(t, b, "/p/"+string(projectID)+"/events")
}

// openStreamAt opens the event stream at path, which may name the page (?task=, ?doc=).
func openStreamAt(t *testing.T, b *browser, path string) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req := b.request(http.MethodGet, path, nil, nil).WithContext(ctx)
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	kind := res.Header.Get("Content-Type")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(kind, "text/event-stream") {
		t.Fatalf("event stream: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &liveStream{C: make(chan clientEvent, 64), cancel: cancel, raw: make(chan string, 256)}
	go func() {
		defer close(s.C)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			line := sc.Text()
			select {
			case s.raw <- line:
			default:
			}
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			var ev clientEvent
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Errorf("event %q: %v", data, err)
				continue
			}
			s.C <- ev
		}
	}()
	return s
}

// until reads events until one matches, failing after ten seconds or if the stream ends.
func (s *liveStream) until(t *testing.T, match func(clientEvent) bool) []clientEvent {
	t.Helper()
	var seen []clientEvent
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.C:
			if !ok {
				t.Fatalf("stream ended early after %v", seen)
			}
			seen = append(seen, ev)
			if match(ev) {
				return seen
			}
		case <-timeout:
			t.Fatalf("timed out; saw %v", seen)
		}
	}
}

// closed waits, with a generous deadline, for the server to end the stream.
func (s *liveStream) closed(t *testing.T) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-s.C:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("the stream is still open")
		}
	}
}

// TestEventsFiltered checks that a client's stream carries visible changes only: a
// visible comment and a completion arrive, an internal comment and anything on a hidden
// task do not, and no event carries a title.
func TestEventsFiltered(t *testing.T) {
	w := newWorld(t, service.Config{})
	s := openStream(t, w.browser(t, w.memberSession), w.alpha)

	internal := w.comment(t, w.tShared, "SECRET-INTERNAL-LIVE", true)
	hidden := w.comment(t, w.tHidden, "SECRET-HIDDEN-LIVE", false)
	hiddenFile := w.file(t, w.tInHiddenMS, "SECRET-LIVE.txt", "x")
	w.comment(t, w.tBeta, "BETA-LIVE", false)
	visible := w.comment(t, w.tShared, "visible live comment", false)
	seen := s.until(t, func(ev clientEvent) bool { return ev.ObjectID == visible })
	if _, err := w.svc.SetTaskDone(w.member, w.tShared, true); err != nil {
		t.Fatal(err)
	}
	seen = append(seen, s.until(t, func(ev clientEvent) bool {
		return ev.Action == domain.ActionTaskCompleted && ev.TaskID == w.tShared
	})...)

	for _, ev := range seen {
		switch ev.ObjectID {
		case internal, hidden, hiddenFile:
			t.Errorf("stream sent a hidden object's event: %+v", ev)
		}
		if ev.TaskID != "" && ev.TaskID != w.tShared && ev.TaskID != w.tAgency {
			t.Errorf("stream sent an event of another task: %+v", ev)
		}
	}
	for _, line := range s.stop() {
		assertAbsent(t, "event stream", line, concat(secrets, betaMarkers,
			[]string{"SECRET-INTERNAL-LIVE", "SECRET-HIDDEN-LIVE", "SECRET-LIVE", "BETA-LIVE"}))
	}
}

// stop ends the stream from the client side and returns every line it received.
func (s *liveStream) stop() []string {
	s.cancel()
	for range s.C {
	}
	var lines []string
	for {
		select {
		case line := <-s.raw:
			lines = append(lines, line)
		default:
			return lines
		}
	}
}

// TestEventsCloseOnLostAccess checks that an open stream ends once the client loses the
// project or the session, whichever way.
func TestEventsCloseOnLostAccess(t *testing.T) {
	cases := []struct {
		name string
		lose func(t *testing.T, w *world)
	}{
		{"unshare", func(t *testing.T, w *world) {
			if err := w.svc.Unshare(w.ownerID, w.alpha); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed from project", func(t *testing.T, w *world) {
			if err := w.svc.RemoveClient(w.ownerID, w.alpha, w.member); err != nil {
				t.Fatal(err)
			}
		}},
		{"account disabled", func(t *testing.T, w *world) {
			if _, err := w.svc.SetClientDisabled(w.ownerID, w.member, true); err != nil {
				t.Fatal(err)
			}
		}},
		{"project archived", func(t *testing.T, w *world) {
			archive := service.ProjectUpdate{Archived: ptr(true)}
			if _, err := w.svc.UpdateProject(w.ownerID, w.alpha, archive); err != nil {
				t.Fatal(err)
			}
		}},
		{"signed out elsewhere, then a change", func(t *testing.T, w *world) {
			if err := w.svc.SignOut(w.memberSession); err != nil {
				t.Fatal(err)
			}
			w.comment(t, w.tShared, "after sign-out", false)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, service.Config{})
			s := openStream(t, w.browser(t, w.memberSession), w.alpha)
			tc.lose(t, w)
			s.closed(t)
			again := w.browser(t, w.memberSession).get("/p/" + string(w.alpha) + "/events")
			if again.status == http.StatusOK {
				t.Error("the stream could be opened again")
			}
		})
	}
}

// TestEventsCapPerSession checks that one session holds at most web.StreamsPerSession
// streams: the next is refused with 429 and Retry-After, another session is not affected,
// and once a stream ends its slot can be taken again.
func TestEventsCapPerSession(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	path := "/p/" + string(w.alpha) + "/events"
	var open []*liveStream
	for range web.StreamsPerSession {
		open = append(open, openStreamAt(t, b, path))
	}

	refused := b.get(path)
	if refused.status != http.StatusTooManyRequests {
		t.Fatalf("stream %d of one session: status %d, want 429", web.StreamsPerSession+1,
			refused.status)
	}
	if refused.header.Get("Retry-After") == "" {
		t.Error("the refusal has no Retry-After")
	}
	assertAbsent(t, "refusal", refused.body, concat(secrets, alphaMarkers))

	other, otherSession := w.client(t, w.alpha, "olga.other@client.test", "Olga Other")
	if other == "" {
		t.Fatal("no second client")
	}
	openStreamAt(t, w.browser(t, otherSession), path).stop()

	// Streams still work past the refusal, and a closed one frees its slot.
	marker := w.comment(t, w.tShared, "after the refusal", false)
	open[0].until(t, func(ev clientEvent) bool { return ev.ObjectID == marker })
	open[0].stop()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status := tryStream(t, b, path)
		if status == http.StatusOK {
			break
		}
		if status != http.StatusTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("after a stream ended: status %d", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tryStream opens a stream, closes it as soon as its headers arrive, and returns the
// status.
func tryStream(t *testing.T, b *browser, path string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := b.client.Do(b.request(http.MethodGet, path, nil, nil).WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return res.StatusCode
}
