package access_test

import (
	"errors"
	"io"
	"log/slog"
	"path"
	"path/filepath"
	"testing"

	"portico/internal/access"
	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// docWorld is project Alpha (portal on) with a shared and a hidden doc, project Beta
// (portal on) with a shared doc, and project Closed (portal off) with a shared doc.
// Mia belongs to Alpha and Closed, Otto to Beta.
type docWorld struct {
	st  *store.Store
	svc *service.Service

	owner                                domain.ID
	alpha, beta, closed                  domain.ID
	alphaShared, alphaHidden, betaShared domain.ID
	closedShared                         domain.ID
	task                                 domain.ID
	mia, otto                            domain.ID
}

func newDocWorld(t *testing.T) *docWorld {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	w := &docWorld{st: st, svc: service.New(st, blobs, nil, service.Config{},
		slog.New(slog.NewTextHandler(io.Discard, nil)))}
	t.Cleanup(func() {
		w.svc.Close()
		if err := st.Check(); err != nil {
			t.Error(err)
		}
		st.Close()
	})

	team := w.setupOwner(t)
	w.alpha = w.project(t, team, "Alpha", true)
	w.beta = w.project(t, team, "Beta", true)
	w.closed = w.project(t, team, "Closed", false)
	w.alphaShared = w.doc(t, w.alpha, "Alpha brief", true)
	w.alphaHidden = w.doc(t, w.alpha, "Alpha budget", false)
	w.betaShared = w.doc(t, w.beta, "Beta brief", true)
	w.closedShared = w.doc(t, w.closed, "Closed brief", true)
	title := "Alpha task"
	task, err := w.svc.CreateTask(w.owner, w.alpha, service.TaskInput{Title: &title,
		Shared: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	w.task = task.ID
	w.mia = w.client(t, w.alpha, "mia@client.test")
	w.client(t, w.closed, "mia@client.test")
	w.otto = w.client(t, w.beta, "otto@client.test")
	return w
}

func (w *docWorld) setupOwner(t *testing.T) (team domain.ID) {
	t.Helper()
	link, err := w.svc.IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	_, owner, err := w.svc.SetupOwner(path.Base(link), "owner@agency.test", "Owner", "owner password 1")
	if err != nil {
		t.Fatal(err)
	}
	w.owner = owner.ID
	err = w.st.View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspaceShared {
				team = ws.ID
			}
		}
		return err
	})
	if err != nil || team == "" {
		t.Fatalf("no shared workspace: %v", err)
	}
	return team
}

func (w *docWorld) project(t *testing.T, team domain.ID, name string, portal bool) domain.ID {
	t.Helper()
	p, err := w.svc.CreateProject(w.owner, service.ProjectInput{WorkspaceID: team, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetPortal(w.owner, p.ID, portal); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (w *docWorld) doc(t *testing.T, projectID domain.ID, title string, shared bool) domain.ID {
	t.Helper()
	body := "Body of " + title
	d, err := w.svc.CreateDoc(w.owner, projectID, service.DocInput{Title: &title, Body: &body,
		Shared: &shared})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func (w *docWorld) client(t *testing.T, projectID domain.ID, email string) domain.ID {
	t.Helper()
	inv, err := w.svc.AddClient(w.owner, projectID, service.ClientInput{Email: email})
	if err != nil {
		t.Fatal(err)
	}
	return inv.Client.ID
}

func (w *docWorld) comment(t *testing.T, docID domain.ID, body string, internal bool) domain.ID {
	t.Helper()
	c, err := w.svc.AddDocComment(w.owner, docID, body, internal)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// view runs fn in a read transaction, failing the test on a store error.
func (w *docWorld) view(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := w.st.View(fn); err != nil {
		t.Fatal(err)
	}
}

func TestDocVisibility(t *testing.T) {
	w := newDocWorld(t)
	cases := []struct {
		name    string
		client  domain.ID
		doc     domain.ID
		visible bool
	}{
		{"shared doc of a visible project", w.mia, w.alphaShared, true},
		{"hidden doc of a visible project", w.mia, w.alphaHidden, false},
		{"shared doc of another project", w.mia, w.betaShared, false},
		{"the other project's member sees it", w.otto, w.betaShared, true},
		{"the other project's member, Alpha's doc", w.otto, w.alphaShared, false},
		{"shared doc of a project whose portal is off", w.mia, w.closedShared, false},
		{"a task's ID", w.mia, w.task, false},
		{"an unknown ID", w.mia, domain.NewID(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w.view(t, func(tx *store.Tx) error {
				d, err := access.Doc(tx, c.client, c.doc)
				if c.visible && (err != nil || d.ID != c.doc) {
					t.Errorf("Doc = %+v, %v; want the doc", d, err)
				}
				if !c.visible && (!errors.Is(err, domain.ErrNotFound) || d.ID != "") {
					t.Errorf("Doc = %+v, %v; want ErrNotFound and nothing", d, err)
				}
				return nil
			})
		})
	}

	if _, err := w.svc.SetClientDisabled(w.owner, w.mia, true); err != nil {
		t.Fatal(err)
	}
	w.view(t, func(tx *store.Tx) error {
		if _, err := access.Doc(tx, w.mia, w.alphaShared); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("a disabled client sees a shared doc: %v", err)
		}
		return nil
	})
}

func TestDocCommentVisibility(t *testing.T) {
	w := newDocWorld(t)
	visible := w.comment(t, w.alphaShared, "on the shared doc", false)
	internal := w.comment(t, w.alphaShared, "staff only", true)
	onHidden := w.comment(t, w.alphaHidden, "on the hidden doc", false)
	onBeta := w.comment(t, w.betaShared, "on Beta's doc", false)
	onTask, err := w.svc.AddComment(w.owner, w.task, "on a shared task", false)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		comment domain.ID
		visible bool
	}{
		{"comment on a shared doc", visible, true},
		{"internal comment on a shared doc", internal, false},
		{"comment on a hidden doc", onHidden, false},
		{"comment on another project's doc", onBeta, false},
		{"comment on a shared task", onTask.ID, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w.view(t, func(tx *store.Tx) error {
				_, err := access.Comment(tx, w.mia, c.comment)
				if (err == nil) != c.visible {
					t.Errorf("Comment: %v, want visible=%v", err, c.visible)
				}
				return nil
			})
		})
	}

	w.view(t, func(tx *store.Tx) error {
		dv, err := access.ViewDoc(tx, w.mia, w.alphaShared)
		if err != nil || len(dv.Comments) != 1 || dv.Comments[0].ID != visible ||
			dv.Project.ID != w.alpha {
			t.Errorf("ViewDoc = %+v, %v; want the one visible comment", dv, err)
		}
		if _, err := access.ViewDoc(tx, w.mia, w.alphaHidden); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ViewDoc of a hidden doc: %v", err)
		}
		pv, err := access.ViewProject(tx, w.mia, w.alpha)
		if err != nil || len(pv.Docs) != 1 || pv.Docs[0].ID != w.alphaShared {
			t.Errorf("ViewProject docs = %+v, %v; want the shared doc only", pv.Docs, err)
		}
		return nil
	})
}

// TestDocActivity checks which doc entries a client may learn of, as the live streams ask.
func TestDocActivity(t *testing.T) {
	w := newDocWorld(t)
	body := "changed"
	for _, id := range []domain.ID{w.alphaShared, w.alphaHidden} {
		if _, err := w.svc.UpdateDoc(w.owner, id, service.DocInput{Body: &body}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RestoreDocVersion(w.owner, id, 1); err != nil {
			t.Fatal(err)
		}
		w.comment(t, id, "public", false)
		w.comment(t, id, "internal", true)
	}
	unshared := w.doc(t, w.alpha, "Shared, then not", true)
	if _, err := w.svc.UpdateDoc(w.owner, unshared, service.DocInput{Shared: new(false)}); err != nil {
		t.Fatal(err)
	}
	deleted := w.doc(t, w.alpha, "Deleted", true)
	if err := w.svc.DeleteDoc(w.owner, deleted); err != nil {
		t.Fatal(err)
	}

	w.view(t, func(tx *store.Tx) error {
		entries, err := tx.ActivitySince(0, 10_000)
		seen := 0
		for _, a := range entries {
			if a.DocID == "" {
				continue
			}
			want := a.DocID == w.alphaShared && !internalComment(tx, a)
			if want {
				seen++
			}
			if got := access.Activity(tx, w.mia, a); got != want {
				t.Errorf("%s on doc %s (object %s): visible=%v, want %v", a.Action, a.DocID,
					a.ObjectID, got, want)
			}
			if a.ProjectID == w.alpha && access.Activity(tx, w.otto, a) {
				t.Errorf("Beta's member learns of %s on Alpha's doc %s", a.Action, a.DocID)
			}
		}
		// created, updated, restored and the public comment
		if seen != 4 {
			t.Errorf("%d entries of the shared doc are visible, want 4", seen)
		}
		return err
	})
}

func internalComment(tx *store.Tx, a domain.Activity) bool {
	if a.Action != domain.ActionCommentAdded {
		return false
	}
	c, err := tx.Comment(a.ObjectID)
	return err == nil && c.Internal
}
