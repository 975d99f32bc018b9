package portal

import (
	"regexp"
	"testing"

	"portico/internal/service"
)

var digestAttr = regexp.MustCompile(`data-digest="([0-9a-f]{32})"`)

// pageDigest loads a page and returns the digest it carries.
func pageDigest(t *testing.T, b *browser, path string) string {
	t.Helper()
	m := digestAttr.FindStringSubmatch(b.get(path).body)
	if m == nil {
		t.Fatalf("GET %s: no data-digest on a live page", path)
	}
	return m[1]
}

// refreshedFirst opens a stream for a page with its digest and reports whether the stream
// asked for a refresh before the marker task's event.
func refreshedFirst(t *testing.T, w *world, b *browser, stream, digest string) bool {
	t.Helper()
	sep := "?"
	if len(stream) > len(projectStream(w)) {
		sep = "&"
	}
	s := openStreamAt(t, b, stream+sep+"digest="+digest)
	marker := w.markTask(t)
	for _, ev := range s.until(t, func(ev clientEvent) bool { return ev.TaskID == marker }) {
		if ev.Action == actionRefresh {
			return true
		}
	}
	return false
}

// TestStreamRefreshesAStalePage checks that a change made between a page's render and its
// stream's start reaches the page as one "refresh" event, that an unchanged page gets
// none, and that changes the client cannot see never cause one.
func TestStreamRefreshesAStalePage(t *testing.T) {
	cases := []struct {
		name   string
		page   string
		stream func(w *world) string
		change func(t *testing.T, w *world) error
		want   bool
	}{
		{"project unchanged", "project", projectStream, nil, false},
		{"task page unchanged", "task", taskStream, nil, false},
		{"doc page unchanged", "doc", docStream, nil, false},
		{"shown task renamed", "project", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateTask(w.ownerID, w.tShared, service.TaskInput{Title: ptr("new")})
			return err
		}, true},
		{"shown task hidden", "project", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateTask(w.ownerID, w.tShared, service.TaskInput{Shared: ptr(false)})
			return err
		}, true},
		{"comment on the open task", "task", taskStream, func(t *testing.T, w *world) error {
			w.comment(t, w.tShared, "a new visible comment", false)
			return nil
		}, true},
		{"doc edited", "doc", docStream, func(t *testing.T, w *world) error {
			body := "edited while the page loaded"
			_, err := w.svc.UpdateDoc(w.ownerID, w.dShared, service.DocInput{Body: &body})
			return err
		}, true},
		{"hidden task renamed", "project", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateTask(w.ownerID, w.tHidden, service.TaskInput{Title: ptr("x")})
			return err
		}, false},
		{"internal comment on the open task", "task", taskStream,
			func(t *testing.T, w *world) error {
				w.comment(t, w.tShared, "SECRET-INTERNAL-WHILE-LOADING", true)
				return nil
			}, false},
		{"hidden doc edited", "project", projectStream, func(t *testing.T, w *world) error {
			body := "SECRET-HIDDEN-DOC-EDIT"
			_, err := w.svc.UpdateDoc(w.ownerID, w.dHidden, service.DocInput{Body: &body})
			return err
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, service.Config{})
			b := w.browser(t, w.memberSession)
			paths := map[string]string{"project": "/p/" + string(w.alpha),
				"task": "/t/" + string(w.tShared), "doc": "/d/" + string(w.dShared)}
			digest := pageDigest(t, b, paths[tc.page])
			if tc.change != nil {
				if err := tc.change(t, w); err != nil {
					t.Fatal(err)
				}
			}
			if got := refreshedFirst(t, w, b, tc.stream(w), digest); got != tc.want {
				t.Errorf("refresh sent: %v, want %v", got, tc.want)
			}
		})
	}
}
