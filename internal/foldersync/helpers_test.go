package foldersync

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testStability is the stability window of most tests: short, yet far above the gaps
// between the writes of one save.
const testStability = 150 * time.Millisecond

// waitLimit bounds every wait of the tests.
const waitLimit = 10 * time.Second

// op is one Sink call seen by recordingSink.
type op struct {
	kind    string // "upsert" or "remove"
	file    File
	content string
}

// recordingSink is a Sink that keeps every call, reading each upserted file in full.
type recordingSink struct {
	mu       sync.Mutex
	known    []File
	ops      []op
	statuses []Status
	// beforeRead, when set, runs inside Upsert before the file is read.
	beforeRead func(f File)
}

func (s *recordingSink) Upsert(ctx context.Context, projectID string, f File,
	open func() (io.ReadCloser, error)) error {
	s.mu.Lock()
	hook := s.beforeRead
	s.mu.Unlock()
	if hook != nil {
		hook(f)
	}

	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = append(s.ops, op{kind: "upsert", file: f, content: string(data)})
	return nil
}

func (s *recordingSink) Remove(ctx context.Context, projectID string, rel string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops = append(s.ops, op{kind: "remove", file: File{Rel: rel}})
	return nil
}

func (s *recordingSink) Known(ctx context.Context, projectID string) ([]File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]File(nil), s.known...), nil
}

func (s *recordingSink) Status(projectID string, st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses = append(s.statuses, st)
}

// calls returns the Sink calls so far for rel, or all of them when rel is "".
func (s *recordingSink) calls(rel string) []op {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []op
	for _, o := range s.ops {
		if rel == "" || o.file.Rel == rel {
			out = append(out, o)
		}
	}
	return out
}

func (s *recordingSink) status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.statuses) == 0 {
		return Status{}
	}
	return s.statuses[len(s.statuses)-1]
}

func (s *recordingSink) sawState(state State) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.statuses {
		if st.State == state {
			return true
		}
	}
	return false
}

// describe lists the calls for failure messages.
func (s *recordingSink) describe() string {
	var b strings.Builder
	for _, o := range s.calls("") {
		fmt.Fprintf(&b, "\n  %s %q size=%d content=%.40q", o.kind, o.file.Rel, o.file.Size, o.content)
	}
	return b.String()
}

// testOptions are the Options of most tests.
func testOptions() Options {
	return Options{
		Stability:         testStability,
		RescanInterval:    200 * time.Millisecond,
		RootCheckInterval: 100 * time.Millisecond,
	}
}

// newLinked links dir for project "p" and waits until it is online.
func newLinked(t *testing.T, sink *recordingSink, dir string, opts Options) *Syncer {
	t.Helper()
	s := New(sink, opts)
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Link("p", dir); err != nil {
		t.Fatal(err)
	}
	waitFor(t, sink, "folder online", func() bool { return sink.status().State == StateOnline })
	return s
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t *testing.T, sink *recordingSink, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status %+v; calls:%s", what, sink.status(), sink.describe())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits long enough for any late event to have been handled.
func settle() {
	time.Sleep(5 * testStability)
}

// upserted waits for an Upsert of rel with content.
func upserted(t *testing.T, sink *recordingSink, rel, content string) {
	t.Helper()
	waitFor(t, sink, fmt.Sprintf("upsert of %q with %q", rel, content), func() bool {
		for _, o := range sink.calls(rel) {
			if o.kind == "upsert" && o.content == content {
				return true
			}
		}
		return false
	})
}

// removed waits for a Remove of rel.
func removed(t *testing.T, sink *recordingSink, rel string) {
	t.Helper()
	waitFor(t, sink, fmt.Sprintf("removal of %q", rel), func() bool {
		for _, o := range sink.calls(rel) {
			if o.kind == "remove" {
				return true
			}
		}
		return false
	})
}

// count returns how many calls of kind there were for rel.
func count(sink *recordingSink, kind, rel string) int {
	n := 0
	for _, o := range sink.calls(rel) {
		if o.kind == kind {
			n++
		}
	}
	return n
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
