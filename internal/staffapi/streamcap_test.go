package staffapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"portico/internal/web"
)

// TestTooManyStreams checks the refusal's status, Retry-After and JSON error.
func TestTooManyStreams(t *testing.T) {
	rec := httptest.NewRecorder()
	tooManyStreams(rec)
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("status %d, want 429", rec.Code)
	}
	if got := rec.Header().Get("Retry-After"); got != web.StreamRetryAfter {
		t.Errorf("Retry-After %q", got)
	}
	var body struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" {
		t.Errorf("body %q: %v", rec.Body.String(), err)
	}
}

// TestEventsCapPerSession checks that one staff session holds at most
// web.StreamsPerSession event streams: the next gets 429 with Retry-After and a JSON error,
// another staff member's session is not affected, and an ended stream frees its slot.
func TestEventsCapPerSession(t *testing.T) {
	h := newHarness(t)
	var open []*sseStream
	for range web.StreamsPerSession {
		open = append(open, h.openEvents(&h.owner, ""))
	}

	resp := h.request(&h.owner, "GET", "/api/v1/events", nil)
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	var body errorBody
	if resp.StatusCode != http.StatusTooManyRequests || json.Unmarshal(raw, &body) != nil ||
		body.Error == "" {
		t.Fatalf("one stream past the cap: status %d, body %q", resp.StatusCode, raw)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("the refusal has no Retry-After")
	}

	h.openEvents(&h.member, "").cancel()

	open[0].cancel()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp := h.request(&h.owner, "GET", "/api/v1/events", nil)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if resp.StatusCode != http.StatusTooManyRequests || time.Now().After(deadline) {
			t.Fatalf("after a stream ended: status %d", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
