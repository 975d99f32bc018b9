package staffapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/frontend"
	"portico/internal/search"
)

// withSearch serves h's API again with a search index over its store (real bleve in the
// harness's folder). When run is true the indexer runs until the test ends; otherwise the
// fresh index waits for a rebuild that never comes, and searches answer 503.
func withSearch(h *harness, run bool) *search.Index {
	h.t.Helper()
	ix, err := search.Open(filepath.Join(h.dir, "index"), h.store, h.hub,
		search.Options{BatchDelay: 5 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		h.t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if run {
			ix.Run(ctx)
		}
	}()

	old := h.srv
	h.srv = httptest.NewTLSServer(New(Options{Service: h.svc, Hub: h.hub, CACert: []byte(testCA),
		SessionCheck: 50 * time.Millisecond, UI: frontend.Placeholder(), Search: ix}))
	old.Close()
	h.t.Cleanup(func() {
		h.srv.Close()
		cancel()
		<-done
		if err := ix.Close(); err != nil {
			h.t.Errorf("close index: %v", err)
		}
	})
	return ix
}

// waitIndexed waits until the index has applied every committed change.
func waitIndexed(t *testing.T, ix *search.Index) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ready, lag := ix.Status()
		if ready && lag == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index did not catch up within 30 s (ready %v, lag %d)", ready, lag)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStaffSearch(t *testing.T) {
	h := newHarness(t)
	ix := withSearch(h, true)

	site := h.project(&h.owner, h.team, "Website", false)
	other := h.project(&h.owner, h.team, "Brochure", false)
	private := h.project(&h.owner, h.owner.Personal, "Owner's notes", false)
	launch := h.task(&h.owner, site.ID, "Zebra launch plan")
	h.task(&h.owner, other.ID, "Zebra crossing artwork")
	h.task(&h.owner, private.ID, "Zebra salary review")
	note, err := h.svc.AddComment(h.owner.ID, launch.ID, "The zebra stripes stay internal", true)
	if err != nil {
		t.Fatal(err)
	}
	status, raw := h.uploadRaw(&h.owner, launch.ID, "zebra-logo.svg", []byte("<svg/>"))
	if status != 201 {
		t.Fatalf("upload: %d %s", status, raw)
	}
	waitIndexed(t, ix)

	tests := []struct {
		name   string
		who    *account
		query  string
		total  int
		counts map[search.Kind]int
	}{
		{"owner finds every kind, personal project included", &h.owner, "q=zebra", 5,
			map[search.Kind]int{search.KindTask: 3, search.KindComment: 1, search.KindFile: 1}},
		{"a member never finds the owner's personal project", &h.member, "q=zebra", 4,
			map[search.Kind]int{search.KindTask: 2, search.KindComment: 1, search.KindFile: 1}},
		{"project filter", &h.owner, "q=zebra&project=" + string(site.ID), 3,
			map[search.Kind]int{search.KindTask: 1, search.KindComment: 1, search.KindFile: 1}},
		{"kind filter", &h.owner, "q=zebra&kind=comment", 1, map[search.Kind]int{search.KindComment: 1}},
		{"both filters", &h.member, "q=zebra&kind=task&project=" + string(other.ID), 1,
			map[search.Kind]int{search.KindTask: 1}},
		{"a project the member may not reach finds nothing", &h.member,
			"q=zebra&project=" + string(private.ID), 0, map[search.Kind]int{}},
		{"every word must match", &h.owner, "q=zebra+crossing", 1,
			map[search.Kind]int{search.KindTask: 1}},
		{"empty text", &h.owner, "q=", 0, map[search.Kind]int{}},
		{"no text", &h.owner, "", 0, map[search.Kind]int{}},
		{"a field name is only text", &h.owner, "q=" + url.QueryEscape("project_id:7"), 0,
			map[search.Kind]int{}},
		{"a plus and a field are only text", &h.owner, "q=" + url.QueryEscape("+shared:false"), 0,
			map[search.Kind]int{}},
		{"a star is no wildcard", &h.owner, "q=*", 0, map[search.Kind]int{}},
		{"an open quote", &h.owner, "q=" + url.QueryEscape(`"zebra`), 5, nil},
		{"C++", &h.owner, "q=" + url.QueryEscape("C++"), 0, map[search.Kind]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var res search.Results
			h.mustJSON(tc.who, "GET", "/api/v1/search?"+tc.query, nil, http.StatusOK, &res)
			if res.Total != tc.total || res.More || len(res.Hits) != tc.total {
				t.Fatalf("total %d (more %v), %d hits; want %d", res.Total, res.More, len(res.Hits), tc.total)
			}
			if tc.counts != nil && !sameCounts(res.Counts, tc.counts) {
				t.Errorf("counts %v, want %v", res.Counts, tc.counts)
			}
		})
	}

	t.Run("hits name their task and mark the match", func(t *testing.T) {
		var res search.Results
		h.mustJSON(&h.owner, "GET", "/api/v1/search?q=stripes", nil, http.StatusOK, &res)
		if len(res.Hits) != 1 {
			t.Fatalf("%d hits, want 1", len(res.Hits))
		}
		hit := res.Hits[0]
		if hit.Kind != search.KindComment || hit.ID != note.ID || hit.TaskID != launch.ID ||
			hit.ProjectID != site.ID || hit.Title.String() != "Zebra launch plan" {
			t.Errorf("hit %+v", hit)
		}
		if !marked(hit.Snippet, "stripes") {
			t.Errorf("snippet %+v does not mark stripes", hit.Snippet)
		}
	})

	t.Run("paging", func(t *testing.T) {
		var res search.Results
		h.mustJSON(&h.owner, "GET", "/api/v1/search?q=zebra&limit=2&offset=2", nil, http.StatusOK, &res)
		if len(res.Hits) != 2 || res.Total != 5 {
			t.Errorf("%d hits, total %d; want 2 of 5", len(res.Hits), res.Total)
		}
	})

	t.Run("empty results are an empty list", func(t *testing.T) {
		_, raw := h.call(&h.owner, "GET", "/api/v1/search?q=nothingmatchesthis", nil)
		if !strings.Contains(raw, `"hits":[]`) || !strings.Contains(raw, `"counts":{}`) {
			t.Errorf("body %s", raw)
		}
	})
}

func TestStaffSearchRefusals(t *testing.T) {
	h := newHarness(t)
	withSearch(h, true)
	tests := []struct {
		name   string
		who    *account
		query  string
		status int
		field  string
	}{
		{"signed out", nil, "q=zebra", 401, ""},
		{"unknown kind", &h.owner, "q=zebra&kind=milestone", 400, "kind"},
		{"malformed project", &h.owner, "q=zebra&project=7", 400, "project"},
		{"limit zero", &h.owner, "q=zebra&limit=0", 400, "limit"},
		{"limit too large", &h.owner, "q=zebra&limit=51", 400, "limit"},
		{"limit not a number", &h.owner, "q=zebra&limit=ten", 400, "limit"},
		{"negative offset", &h.owner, "q=zebra&offset=-1", 400, "offset"},
		{"offset too deep", &h.owner, "q=zebra&offset=501", 400, "offset"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := h.call(tc.who, "GET", "/api/v1/search?"+tc.query, nil)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, raw)
			}
			var body errorBody
			if err := json.Unmarshal([]byte(raw), &body); err != nil || body.Error == "" {
				t.Fatalf("body %q is not an error: %v", raw, err)
			}
			if body.Field != tc.field {
				t.Errorf("field %q, want %q (%s)", body.Field, tc.field, body.Error)
			}
		})
	}
}

func TestStaffSearchWhileRebuilding(t *testing.T) {
	h := newHarness(t)
	withSearch(h, false)
	h.task(&h.owner, h.project(&h.owner, h.team, "Website", false).ID, "Zebra launch")

	resp := h.request(&h.owner, "GET", "/api/v1/search?q=zebra", nil)
	raw := readAll(t, resp)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(raw, "being rebuilt") {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if strings.Contains(raw, "Zebra") {
		t.Error("a rebuilding index answered with results")
	}
}

func sameCounts(got, want map[search.Kind]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, n := range want {
		if got[k] != n {
			return false
		}
	}
	return true
}

func marked(s search.Snippet, word string) bool {
	for _, p := range s.Parts {
		if p.Mark && strings.EqualFold(p.Text, word) {
			return true
		}
	}
	return false
}
