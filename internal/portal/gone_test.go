package portal

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/service"
	"portico/internal/store"
)

// gone is the "gone" event a stream should send for an object, with the task or doc its
// page filters on.
func gone(object, task, doc domain.ID) clientEvent {
	return clientEvent{Action: actionGone, ObjectID: object, TaskID: task, DocID: doc}
}

// goneEvents reads a stream up to the task.created event of marker and returns the "gone"
// events before it, in the order sent.
func goneEvents(t *testing.T, s *liveStream, marker domain.ID) []clientEvent {
	t.Helper()
	var out []clientEvent
	for _, ev := range s.until(t, func(ev clientEvent) bool { return ev.TaskID == marker }) {
		if ev.Action == actionGone {
			out = append(out, ev)
		}
	}
	return out
}

// markTask creates a shared task outside any milestone: an entry every stream of Alpha
// forwards, so whatever came before it has been dealt with.
func (w *world) markTask(t *testing.T) domain.ID {
	t.Helper()
	return w.task(t, w.alpha, "", "marker task", true, domain.Actor{})
}

// sameEvents reports whether got and want hold the same events, in any order.
func sameEvents(got, want []clientEvent) bool {
	order := func(x, y clientEvent) int { return cmp.Compare(x.ObjectID, y.ObjectID) }
	slices.SortFunc(got, order)
	slices.SortFunc(want, order)
	return slices.Equal(got, want)
}

// TestEventsGone checks that an open page learns, with one content-free "gone" event per
// object, when something it shows is hidden, unshared or deleted: the project page for its
// milestones, tasks, docs and folder files, a task or doc page for its files and comments.
// Files and comments of a task or doc gone go silently with it.
func TestEventsGone(t *testing.T) {
	cases := []struct {
		name string
		page func(w *world) string
		act  func(t *testing.T, w *world) error
		want func(w *world) []clientEvent
	}{
		{"task hidden", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateTask(w.ownerID, w.tShared, service.TaskInput{Shared: ptr(false)})
			return err
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.tShared, w.tShared, "")} }},
		{"task deleted", projectStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteTask(w.ownerID, w.tShared)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.tShared, w.tShared, "")} }},
		{"milestone hidden, with its tasks", projectStream, func(t *testing.T, w *world) error {
			in := service.MilestoneInput{Shared: ptr(false)}
			_, err := w.svc.UpdateMilestone(w.ownerID, w.msShared, in)
			return err
		}, func(w *world) []clientEvent {
			return []clientEvent{gone(w.msShared, "", ""), gone(w.tShared, w.tShared, ""),
				gone(w.tAgency, w.tAgency, "")}
		}},
		{"milestone deleted, its tasks stay", projectStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteMilestone(w.ownerID, w.msShared)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.msShared, "", "")} }},
		{"doc unshared", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateDoc(w.ownerID, w.dShared, service.DocInput{Shared: ptr(false)})
			return err
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.dShared, "", w.dShared)} }},
		{"doc deleted", projectStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteDoc(w.ownerID, w.dShared)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.dShared, "", w.dShared)} }},
		{"folder file unshared", projectStream, func(t *testing.T, w *world) error {
			_, err := w.svc.ShareFolderFile(w.ownerID, w.ffShared, false)
			return err
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.ffShared, "", "")} }},
		{"file deleted on its task's page", taskStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteFile(w.ownerID, w.fShared)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.fShared, w.tShared, "")} }},
		{"comment deleted on its task's page", taskStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteComment(w.ownerID, w.cVisible)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.cVisible, w.tShared, "")} }},
		{"task hidden on its own page", taskStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateTask(w.ownerID, w.tShared, service.TaskInput{Shared: ptr(false)})
			return err
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.tShared, w.tShared, "")} }},
		{"comment deleted on its doc's page", docStream, func(t *testing.T, w *world) error {
			return w.svc.DeleteComment(w.ownerID, w.dcVisible)
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.dcVisible, "", w.dShared)} }},
		{"doc unshared on its own page", docStream, func(t *testing.T, w *world) error {
			_, err := w.svc.UpdateDoc(w.ownerID, w.dShared, service.DocInput{Shared: ptr(false)})
			return err
		}, func(w *world) []clientEvent { return []clientEvent{gone(w.dShared, "", w.dShared)} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, service.Config{})
			s := openStreamAt(t, w.browser(t, w.memberSession), tc.page(w))
			if err := tc.act(t, w); err != nil {
				t.Fatal(err)
			}
			got := goneEvents(t, s, w.markTask(t))
			if want := tc.want(w); !sameEvents(got, want) {
				t.Errorf("gone events %+v, want %+v", got, want)
			}
			for _, line := range s.stop() {
				assertAbsent(t, "event stream", line, concat(secrets, alphaMarkers, betaMarkers))
			}
		})
	}
}

func projectStream(w *world) string { return "/p/" + string(w.alpha) + "/events" }

func taskStream(w *world) string { return projectStream(w) + "?task=" + string(w.tShared) }

func docStream(w *world) string { return projectStream(w) + "?doc=" + string(w.dShared) }

// TestEventsNothingForNeverShown checks that objects a client was never shown cause no
// event when they change or go: hidden tasks, a hidden milestone, a hidden doc, internal
// comments on the very task and doc page that is open, and another project's task. A page
// naming a task it cannot see follows nothing of it.
func TestEventsNothingForNeverShown(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	streams := map[string]*liveStream{
		"project":     openStreamAt(t, b, projectStream(w)),
		"task":        openStreamAt(t, b, taskStream(w)),
		"doc":         openStreamAt(t, b, docStream(w)),
		"hidden task": openStreamAt(t, b, projectStream(w)+"?task="+string(w.tHidden)),
	}
	hiddenCmt := w.comment(t, w.tHidden, "SECRET-HIDDEN-THEN-GONE", false)

	steps := []func() error{
		func() error {
			in := service.TaskInput{Title: ptr("renamed")}
			_, err := w.svc.UpdateTask(w.ownerID, w.tHidden, in)
			return err
		},
		func() error { return w.svc.DeleteComment(w.ownerID, hiddenCmt) },
		func() error { return w.svc.DeleteFile(w.ownerID, w.fHidden) },
		func() error { return w.svc.DeleteTask(w.ownerID, w.tHidden) },
		func() error { return w.svc.DeleteMilestone(w.ownerID, w.msHidden) },
		func() error { return w.svc.DeleteTask(w.ownerID, w.tInHiddenMS) },
		func() error { return w.svc.DeleteComment(w.ownerID, w.cInternal) },
		func() error { return w.svc.DeleteComment(w.ownerID, w.dcInternal) },
		func() error {
			_, err := w.svc.UpdateDoc(w.ownerID, w.dHidden, service.DocInput{Body: ptr("changed")})
			return err
		},
		func() error { return w.svc.DeleteDoc(w.ownerID, w.dHidden) },
		func() error { return w.svc.DeleteTask(w.ownerID, w.tBeta) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}

	marker := w.markTask(t)
	never := []domain.ID{w.tHidden, hiddenCmt, w.fHidden, w.msHidden, w.tInHiddenMS,
		w.cInternal, w.dcInternal, w.dHidden, w.tBeta}
	for name, s := range streams {
		for _, ev := range s.until(t, func(ev clientEvent) bool { return ev.TaskID == marker }) {
			if ev.Action == actionGone || slices.Contains(never, ev.ObjectID) ||
				slices.Contains(never, ev.TaskID) || slices.Contains(never, ev.DocID) {
				t.Errorf("%s stream sent %+v about an object never shown", name, ev)
			}
		}
		for _, line := range s.stop() {
			assertAbsent(t, name+" stream", line, concat(secrets, betaMarkers,
				[]string{"SECRET-HIDDEN-THEN-GONE"}))
		}
	}
}

// TestEventsGoneFromFolder checks that a shared folder file deleted on disk leaves the open
// project page at once, through the real folder sync, while an unshared one deleted beside
// it causes nothing.
func TestEventsGoneFromFolder(t *testing.T) {
	root := t.TempDir()
	w := newWorld(t, service.Config{FoldersRoot: root})
	if err := w.svc.StartFolders(foldersync.Options{Stability: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	gamma := w.project(t, "Gamma")
	w.invite(t, gamma, memberEmail, "Mia Member")
	dir := filepath.Join(root, "gamma")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LinkFolder(w.ownerID, gamma, dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"shared.txt", "SECRET-UNSHARED-ON-DISK.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shared := w.waitFolderFile(t, gamma, "shared.txt")
	unshared := w.waitFolderFile(t, gamma, "SECRET-UNSHARED-ON-DISK.txt")
	if _, err := w.svc.ShareFolderFile(w.ownerID, shared, true); err != nil {
		t.Fatal(err)
	}

	s := openStream(t, w.browser(t, w.memberSession), gamma)
	if err := os.Remove(filepath.Join(dir, "SECRET-UNSHARED-ON-DISK.txt")); err != nil {
		t.Fatal(err)
	}
	w.waitFolderFileGone(t, unshared)
	if err := os.Remove(filepath.Join(dir, "shared.txt")); err != nil {
		t.Fatal(err)
	}
	seen := s.until(t, func(ev clientEvent) bool { return ev.Action == actionGone })
	if last := seen[len(seen)-1]; last != gone(shared, "", "") {
		t.Errorf("gone event %+v, want %+v", last, gone(shared, "", ""))
	}
	for _, ev := range seen {
		if ev.ObjectID == unshared {
			t.Errorf("the stream told of the unshared file: %+v", ev)
		}
	}
	for _, line := range s.stop() {
		assertAbsent(t, "event stream", line, []string{"SECRET-UNSHARED", "shared.txt"})
	}
}

// waitFolderFile waits for the folder sync to import rel and returns its record's ID.
func (w *world) waitFolderFile(t *testing.T, projectID domain.ID, rel string) domain.ID {
	t.Helper()
	var id domain.ID
	w.waitStore(t, "import of "+rel, func(tx *store.Tx) bool {
		f, err := tx.FolderFileByRel(projectID, rel)
		id = f.ID
		return err == nil
	})
	return id
}

// waitFolderFileGone waits for the folder sync to record a file's deletion.
func (w *world) waitFolderFileGone(t *testing.T, id domain.ID) {
	t.Helper()
	w.waitStore(t, "deletion of "+string(id), func(tx *store.Tx) bool {
		f, err := tx.FolderFile(id)
		return err == nil && f.Deleted
	})
}

// waitStore polls the store until done holds, for up to thirty seconds.
func (w *world) waitStore(t *testing.T, what string, done func(tx *store.Tx) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok := false
		if err := w.store.View(func(tx *store.Tx) error { ok = done(tx); return nil }); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
