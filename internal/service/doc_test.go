package service_test

import (
	"errors"
	"slices"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

func (f *fixture) doc(tb testing.TB, title, body string) domain.Doc {
	tb.Helper()
	in := service.DocInput{Title: &title, Body: &body}
	return must(f.svc.CreateDoc(f.owner.ID, f.project.ID, in))(tb)
}

func (f *fixture) versions(tb testing.TB, docID domain.ID) []domain.DocVersion {
	tb.Helper()
	var out []domain.DocVersion
	err := f.st.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.DocVersions(docID)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// docActions lists the actions of the doc's activity entries, oldest first.
func (f *fixture) docActions(tb testing.TB, docID domain.ID) []domain.Action {
	tb.Helper()
	var out []domain.Action
	f.st.View(func(tx *store.Tx) error {
		all, err := tx.ActivitySince(0, 10_000)
		for _, a := range all {
			if a.DocID == docID {
				out = append(out, a.Action)
			}
		}
		return err
	})
	return out
}

func TestDocKeepsAVersionOnEachSave(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Brief", "first draft")
	second, title := "second draft", "Project brief"
	steps := []service.DocInput{
		{Body: &second},
		{Title: &title},
		{Title: &title, Body: &second}, // no change: no version
		{Shared: new(false)},           // the switch alone: no version
	}
	for _, in := range steps {
		d = must(f.svc.UpdateDoc(f.owner.ID, d.ID, in))(t)
	}

	got := f.versions(t, d.ID)
	want := []struct{ title, body string }{
		{"Brief", "first draft"}, {"Brief", "second draft"}, {"Project brief", "second draft"}}
	if len(got) != len(want) || d.Version != len(want) {
		t.Fatalf("%d versions, doc at version %d; want %d", len(got), d.Version, len(want))
	}
	for i, v := range got {
		if v.N != i+1 || v.Title != want[i].title || v.Body != want[i].body {
			t.Errorf("version %d = %+v, want %+v", i+1, v, want[i])
		}
		if v.Author != (domain.Actor{Kind: domain.ActorStaff, ID: f.owner.ID}) || v.Created.IsZero() {
			t.Errorf("version %d: author %+v at %v", v.N, v.Author, v.Created)
		}
	}
	if d.Title != "Project brief" || d.Body != "second draft" || d.Shared {
		t.Errorf("doc = %+v", d)
	}

	wantActions := []domain.Action{domain.ActionDocCreated, domain.ActionDocUpdated,
		domain.ActionDocUpdated, domain.ActionDocUnshared}
	if acts := f.docActions(t, d.ID); !slices.Equal(acts, wantActions) {
		t.Errorf("activity %v, want %v", acts, wantActions)
	}
}

func TestDocRestoreAddsAVersion(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Proposal", "v1 text")
	for _, body := range []string{"v2 text", "v3 text"} {
		d = must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &body}))(t)
	}

	d = must(f.svc.RestoreDocVersion(f.owner.ID, d.ID, 1))(t)
	if d.Version != 4 || d.Body != "v1 text" || d.Title != "Proposal" {
		t.Fatalf("after restore: %+v", d)
	}
	got := f.versions(t, d.ID)
	if len(got) != 4 || got[3].RestoredFrom != 1 || got[3].Body != "v1 text" ||
		got[1].Body != "v2 text" || got[2].Body != "v3 text" {
		t.Errorf("versions after restore: %+v", got)
	}
	if acts := f.docActions(t, d.ID); acts[len(acts)-1] != domain.ActionDocRestored {
		t.Errorf("last entry %v, want doc.restored", acts[len(acts)-1])
	}

	for _, n := range []int{0, 5, -1} {
		if _, err := f.svc.RestoreDocVersion(f.owner.ID, d.ID, n); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("restore version %d: %v, want ErrNotFound", n, err)
		}
	}
}

func TestDocSharedDefaultsToAutoShare(t *testing.T) {
	f := newFixture(t, true) // the fixture's project has auto-share on
	title := "Notes"
	cases := []struct {
		name      string
		autoShare bool
		shared    *bool
		want      bool
	}{
		{"auto-share on", true, nil, true},
		{"auto-share off", false, nil, false},
		{"explicitly hidden", true, new(false), false},
		{"explicitly shared", false, new(true), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			up := service.ProjectUpdate{AutoShare: &c.autoShare}
			must(f.svc.UpdateProject(f.owner.ID, f.project.ID, up))(t)
			in := service.DocInput{Title: &title, Shared: c.shared}
			d := must(f.svc.CreateDoc(f.owner.ID, f.project.ID, in))(t)
			if d.Shared != c.want || d.Version != 1 {
				t.Errorf("shared %v at version %d, want %v at 1", d.Shared, d.Version, c.want)
			}
		})
	}
}

func TestDocStaleBaseVersionIsRefused(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Minutes", "one")
	mine, theirs := "mine", "theirs"
	must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &theirs, BaseVersion: new(1)}))(t)
	_, err := f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &mine, BaseVersion: new(1)})
	if !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("save from a stale version: %v, want ErrConflict", err)
	}
	if v := f.versions(t, d.ID); len(v) != 2 || v[1].Body != "theirs" {
		t.Errorf("versions: %+v", v)
	}
}

func TestDocBadInputWritesNothing(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Plan", "")
	long := string(make([]byte, domain.MaxDocBody+1))
	cases := []struct {
		name  string
		in    service.DocInput
		field string
	}{
		{"empty title", service.DocInput{Title: new(" ")}, "title"},
		{"two-line title", service.DocInput{Title: new("a\nb")}, "title"},
		{"body too long", service.DocInput{Body: &long}, "body"},
		{"body with NUL", service.DocInput{Body: new("a\x00b")}, "body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.UpdateDoc(f.owner.ID, d.ID, c.in)
			var invalid *domain.ValidationError
			if !errors.As(err, &invalid) || invalid.Field != c.field {
				t.Fatalf("got %v, want a validation error on %s", err, c.field)
			}
			if v := f.versions(t, d.ID); len(v) != 1 {
				t.Errorf("%d versions, want 1", len(v))
			}
		})
	}
	if _, err := f.svc.CreateDoc(f.owner.ID, f.project.ID, service.DocInput{}); err == nil {
		t.Error("a doc without a title was created")
	}
}

func TestDocComments(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Brief", "text")
	task := f.task(t, "A task", false)
	must(f.svc.AddComment(f.owner.ID, task.ID, "on the task", false))(t)
	internal := must(f.svc.AddDocComment(f.owner.ID, d.ID, "staff only", true))(t)
	fromClient := must(f.svc.ClientDocComment(f.client, d.ID, "looks good"))(t)
	if fromClient.DocID != d.ID || fromClient.TaskID != "" || fromClient.ProjectID != f.project.ID {
		t.Errorf("client comment = %+v", fromClient)
	}

	f.st.View(func(tx *store.Tx) error {
		onDoc, _ := tx.DocComments(d.ID)
		onTask, _ := tx.Comments(task.ID)
		if len(onDoc) != 2 || len(onTask) != 1 || onTask[0].Body != "on the task" {
			t.Errorf("doc comments %+v, task comments %+v", onDoc, onTask)
		}
		return nil
	})

	if err := f.svc.DeleteComment(f.owner.ID, internal.ID); err != nil {
		t.Fatalf("delete a doc comment: %v", err)
	}

	hidden := false
	must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Shared: &hidden}))(t)
	for _, id := range []domain.ID{d.ID, task.ID} { // a hidden doc, and a task's ID
		if _, err := f.svc.ClientDocComment(f.client, id, "hello?"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("client comment on %s: %v, want ErrNotFound", id, err)
		}
	}
}

func TestDeleteDocRemovesVersionsAndComments(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Old notes", "text")
	body := "more text"
	must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &body}))(t)
	c := must(f.svc.AddDocComment(f.owner.ID, d.ID, "a note", false))(t)
	if err := f.svc.DeleteDoc(f.owner.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	f.st.View(func(tx *store.Tx) error {
		if _, err := tx.Doc(d.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("doc still there: %v", err)
		}
		if _, err := tx.Comment(c.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("comment still there: %v", err)
		}
		docs, _ := tx.Docs(f.project.ID, false)
		versions, _ := tx.DocVersions(d.ID)
		if len(docs) != 0 || len(versions) != 0 {
			t.Errorf("%d docs and %d versions left", len(docs), len(versions))
		}
		return nil
	})
	if acts := f.docActions(t, d.ID); acts[len(acts)-1] != domain.ActionDocDeleted {
		t.Errorf("activity %v, want doc.deleted last", acts)
	}
	if err := f.st.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestDocRestoreOfTheSameContentWritesNothing(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Proposal", "v1 text")
	body := "v2 text"
	d = must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &body}))(t)
	d = must(f.svc.RestoreDocVersion(f.owner.ID, d.ID, 1))(t) // version 3, as version 1
	actions := f.docActions(t, d.ID)

	for _, n := range []int{3, 1} { // the current version, and one with the same content
		got := must(f.svc.RestoreDocVersion(f.owner.ID, d.ID, n))(t)
		if got != d {
			t.Errorf("restore of version %d gave %+v, want the doc as it was, %+v", n, got, d)
		}
	}
	if vs := f.versions(t, d.ID); len(vs) != 3 {
		t.Errorf("%d versions, want 3", len(vs))
	}
	if got := f.docActions(t, d.ID); !slices.Equal(got, actions) {
		t.Errorf("activity %v, want %v as before", got, actions)
	}
}

func TestDocBaseVersion(t *testing.T) {
	f := newFixture(t, true)
	d := f.doc(t, "Proposal", "v1 text")
	body := "v2 text"
	d = must(f.svc.UpdateDoc(f.owner.ID, d.ID, service.DocInput{Body: &body}))(t)

	for _, base := range []int{-5, 0, -1 << 62} {
		in := service.DocInput{Body: &body, BaseVersion: &base}
		var invalid *domain.ValidationError
		_, err := f.svc.UpdateDoc(f.owner.ID, d.ID, in)
		if !errors.As(err, &invalid) || invalid.Field != "base_version" {
			t.Errorf("base_version %d: %v; want a validation error on base_version", base, err)
		}
	}
	current, text := 2, "v3 text"
	in := service.DocInput{Body: &text}
	for _, stale := range []int{1, 3} { // older, and newer as after a restored backup
		in.BaseVersion = &stale
		if _, err := f.svc.UpdateDoc(f.owner.ID, d.ID, in); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("base_version %d at version 2: %v, want ErrConflict", stale, err)
		}
	}
	in.BaseVersion = &current
	if d = must(f.svc.UpdateDoc(f.owner.ID, d.ID, in))(t); d.Version != 3 || d.Body != text {
		t.Errorf("save from the current version gave %+v", d)
	}
}
