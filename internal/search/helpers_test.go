package search

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/service"
	"portico/internal/store"
)

// world is a Portico with an owner, a shared project whose portal is on, one accepted
// client of it, and a running search index.
type world struct {
	t       *testing.T
	dir     string
	st      *store.Store
	hub     *events.Hub
	svc     *service.Service
	ix      *Index
	stopRun func()
	owner   domain.Staff
	team    domain.ID
	project domain.Project
	client  domain.ID
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	w := &world{t: t, dir: t.TempDir(), hub: events.New()}
	st, err := store.Open(filepath.Join(w.dir, "portico.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	w.st = st
	st.OnCommit(w.hub.Publish)
	blobs, err := blob.Open(filepath.Join(w.dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	w.svc = service.New(st, blobs, nil, service.Config{PortalURL: "https://portal.test",
		StaffURL: "https://staff.test"}, slog.New(slog.DiscardHandler))
	t.Cleanup(func() {
		w.closeIndex()
		w.svc.Close()
		if err := st.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		st.Close()
	})
	w.setup()
	w.openIndex(Options{})
	w.startIndexer()
	w.waitReady()
	return w
}

func (w *world) setup() {
	t := w.t
	link := must(w.svc.IssueSetupLink())(t)
	_, owner, err := w.svc.SetupOwner(path.Base(link), "owner@agency.example", "Owner", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	w.owner = owner
	w.st.View(func(tx *store.Tx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspaceShared {
				w.team = ws.ID
			}
		}
		return nil
	})
	w.project = w.newProject("Site")
	w.client = w.addClient(w.project.ID, "dana@client.example")
}

func (w *world) newProject(name string) domain.Project {
	p := must(w.svc.CreateProject(w.owner.ID, service.ProjectInput{WorkspaceID: w.team, Name: name,
		AutoShare: true}))(w.t)
	return must(w.svc.SetPortal(w.owner.ID, p.ID, true))(w.t)
}

// addClient adds and accepts a client of a project.
func (w *world) addClient(projectID domain.ID, email string) domain.ID {
	inv := must(w.svc.AddClient(w.owner.ID, projectID, service.ClientInput{Email: email}))(w.t)
	if inv.Link != "" {
		_, _, err := w.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, path.Base(inv.Link),
			"client password 1")
		if err != nil {
			w.t.Fatal(err)
		}
	}
	return inv.Client.ID
}

func (w *world) openIndex(opts Options) {
	if testing.Verbose() && opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	w.t.Helper()
	if opts.BatchDelay == 0 {
		opts.BatchDelay = 5 * time.Millisecond
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	ix, err := Open(filepath.Join(w.dir, "index"), w.st, w.hub, opts)
	if err != nil {
		w.t.Fatal(err)
	}
	w.ix = ix
}

func (w *world) startIndexer() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.ix.Run(ctx) }()
	w.stopRun = func() {
		cancel()
		if err := <-done; err != nil {
			w.t.Errorf("indexer: %v", err)
		}
		w.stopRun = nil
	}
}

func (w *world) stopIndexer() {
	if w.stopRun != nil {
		w.stopRun()
	}
}

func (w *world) closeIndex() {
	w.stopIndexer()
	if w.ix != nil {
		if err := w.ix.Close(); err != nil {
			w.t.Errorf("close index: %v", err)
		}
		w.ix = nil
	}
}

// eventually polls cond every 5 ms for up to 10 s.
func (w *world) eventually(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *world) waitReady() {
	w.t.Helper()
	w.eventually("the index to be ready", func() bool {
		ready, lag := w.ix.Status()
		return ready && lag == 0
	})
}

// sync waits until the index reflects every committed change.
func (w *world) sync() {
	w.t.Helper()
	w.eventually("the indexer to catch up", func() bool {
		_, lag := w.ix.Status()
		return lag == 0
	})
}

func (w *world) task(title, description string, shared bool, milestone domain.ID) domain.Task {
	w.t.Helper()
	in := service.TaskInput{Title: &title, Description: &description, Shared: &shared}
	if milestone != "" {
		in.MilestoneID = &milestone
	}
	return must(w.svc.CreateTask(w.owner.ID, w.project.ID, in))(w.t)
}

func (w *world) taskIn(projectID domain.ID, title string) domain.Task {
	w.t.Helper()
	return must(w.svc.CreateTask(w.owner.ID, projectID, service.TaskInput{Title: &title}))(w.t)
}

func (w *world) milestone(title string, shared bool) domain.Milestone {
	w.t.Helper()
	return must(w.svc.CreateMilestone(w.owner.ID, w.project.ID,
		service.MilestoneInput{Title: &title, Shared: &shared}))(w.t)
}

func (w *world) comment(taskID domain.ID, body string, internal bool) domain.Comment {
	w.t.Helper()
	return must(w.svc.AddComment(w.owner.ID, taskID, body, internal))(w.t)
}

func (w *world) file(taskID domain.ID, name string) domain.File {
	w.t.Helper()
	return must(w.svc.AttachFile(w.owner.ID, taskID, service.Upload{Name: name,
		Body: bytes.NewReader([]byte("contents of " + name))}))(w.t)
}

func (w *world) clientSearch(clientID domain.ID, q Query) Results {
	w.t.Helper()
	res, err := w.ix.Client(context.Background(), clientID, q)
	if err != nil {
		w.t.Fatalf("client search %q: %v", q.Text, err)
	}
	return res
}

func (w *world) staffSearch(staffID domain.ID, q Query) Results {
	w.t.Helper()
	res, err := w.ix.Staff(context.Background(), staffID, q)
	if err != nil {
		w.t.Fatalf("staff search %q: %v", q.Text, err)
	}
	return res
}

// find is a client search for text by the world's client.
func (w *world) find(text string) Results {
	w.t.Helper()
	return w.clientSearch(w.client, Query{Text: text})
}

func hitIDs(res Results) []domain.ID {
	out := make([]domain.ID, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func has(res Results, id domain.ID) bool { return slices.Contains(hitIDs(res), id) }

func describe(res Results) string {
	var b strings.Builder
	for _, h := range res.Hits {
		b.WriteString(string(h.Kind) + " " + h.Title.String() + " | " + h.Snippet.String() + "\n")
	}
	return b.String()
}

// must returns v, failing the test when err is set: must(call())(tb).
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

type storeTx = *store.Tx

// countIndexed counts the index documents matching q, whatever their visibility.
func (w *world) countIndexed(q query.Query) uint64 {
	w.t.Helper()
	idx, release, err := w.ix.reader()
	if err != nil {
		w.t.Fatal(err)
	}
	defer release()
	res, err := idx.Search(bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		w.t.Fatal(err)
	}
	return res.Total
}

// filteredOnly runs a client search for text through the index filter alone, without the
// per-hit re-check, and returns the IDs it admits.
func (w *world) filteredOnly(text string) []string {
	w.t.Helper()
	bq, err := w.ix.clientQuery(w.client, Query{}, w.ix.parseText(text))
	if err != nil || bq == nil {
		w.t.Fatalf("client query: %v (nil: %v)", err, bq == nil)
	}
	idx, release, err := w.ix.reader()
	if err != nil {
		w.t.Fatal(err)
	}
	defer release()
	res, err := idx.Search(bleve.NewSearchRequestOptions(bq, 100, 0, false))
	if err != nil {
		w.t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}
