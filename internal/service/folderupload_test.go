package service_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/service"
	"portico/internal/store"
)

// uploadFolder is a fixture whose project is linked to root/drive, online, with short
// intervals: a failed copy is tried again after 200 ms.
type uploadFolder struct {
	*fixture
	root, dir, away string
	cfg             service.Config
}

func newUploadFolder(t *testing.T) *uploadFolder {
	t.Helper()
	root := t.TempDir()
	u := &uploadFolder{root: root, dir: filepath.Join(root, "drive"),
		away: filepath.Join(root, "drive-away"), cfg: service.Config{FoldersRoot: root}}
	if err := os.Mkdir(u.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u.fixture = newFixtureWith(t, true, u.cfg)
	u.start(t)
	if _, err := u.svc.LinkFolder(u.owner.ID, u.project.ID, u.dir); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, u.fixture, u.project.ID, "online")
	return u
}

func (u *uploadFolder) start(t *testing.T) {
	t.Helper()
	err := u.svc.StartFolders(foldersync.Options{Stability: 50 * time.Millisecond,
		RootCheckInterval: 50 * time.Millisecond, RescanInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
}

// restart closes the service and starts a new one on the same store, as a restart would.
func (u *uploadFolder) restart(t *testing.T) {
	t.Helper()
	u.svc.Close()
	u.svc = u.newService(u.cfg)
	u.start(t)
}

// moveAway takes the folder away, as an unmounted drive would, and waits until it shows
// offline; moveBack puts it back.
func (u *uploadFolder) moveAway(t *testing.T) {
	t.Helper()
	if err := os.Rename(u.dir, u.away); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, u.fixture, u.project.ID, "offline")
}

func (u *uploadFolder) moveBack(t *testing.T) {
	t.Helper()
	if err := os.Rename(u.away, u.dir); err != nil {
		t.Fatal(err)
	}
}

func (u *uploadFolder) upload(t *testing.T, task domain.Task, name, body string) domain.File {
	t.Helper()
	return must(u.svc.ClientUpload(u.client, task.ID,
		service.Upload{Name: name, Body: strings.NewReader(body)}))(t)
}

func (u *uploadFolder) view(t *testing.T) service.FolderView {
	t.Helper()
	return must(u.svc.Folder(u.owner.ID, u.project.ID))(t)
}

func (u *uploadFolder) wantWaiting(t *testing.T, n int) {
	t.Helper()
	if got := u.view(t).WaitingUploads; got != n {
		t.Errorf("%d uploads waiting, want %d", got, n)
	}
}

// waitWaiting waits until n uploads wait for the folder.
func (u *uploadFolder) waitWaiting(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for u.view(t).WaitingUploads != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d uploads waiting after 20 s, want %d", u.view(t).WaitingUploads, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// queued reads the project's queue straight from the store, deleted files included.
func (u *uploadFolder) queued(t *testing.T) []domain.ID {
	t.Helper()
	var ids []domain.ID
	if err := u.st.View(func(tx *store.Tx) error {
		var err error
		ids, err = tx.FolderUploads(u.project.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// clientFiles reads every file under folder/From clients, by slash-separated path.
func clientFiles(t *testing.T, folder string) map[string]string {
	t.Helper()
	out := map[string]string{}
	top := filepath.Join(folder, foldersync.ClientsDir)
	err := filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(folder, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// settled waits for the folder to hold want under From clients, listed as folder files
// with no upload waiting, then for several stability windows, and checks that nothing was
// written or imported a second time: one folder file per copy, each added once, by the
// client, and never updated.
func (u *uploadFolder) settled(t *testing.T, want map[string]string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		listed := 0
		for _, ff := range u.view(t).Files {
			if _, ok := want[ff.Rel]; ok {
				listed++
			}
		}
		if listed == len(want) && u.view(t).WaitingUploads == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s the folder lists %+v with %d uploads waiting; want %v",
				u.view(t).Files, u.view(t).WaitingUploads, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // ten stability windows, for imports that must not come

	if got := clientFiles(t, u.dir); !mapsEqual(got, want) {
		t.Errorf("the folder holds %v, want %v", got, want)
	}
	ids := map[domain.ID]string{}
	for _, ff := range u.view(t).Files {
		if strings.HasPrefix(ff.Rel, foldersync.ClientsDir+"/") {
			ids[ff.ID] = ff.Rel
		}
	}
	if len(ids) != len(want) {
		t.Errorf("the folder lists %d files under %s, want %d", len(ids), foldersync.ClientsDir,
			len(want))
	}
	added := map[domain.ID]int{}
	err := u.st.View(func(tx *store.Tx) error {
		entries, err := tx.ActivitySince(0, 100_000)
		for _, a := range entries {
			rel, ok := ids[a.ObjectID]
			switch {
			case !ok:
			case a.Action == domain.ActionFolderFileAdded:
				added[a.ObjectID]++
				if a.Actor.Kind != domain.ActorClient || a.Actor.ID != u.client {
					t.Errorf("%s was added by %+v, want the client", rel, a.Actor)
				}
			case a.Action == domain.ActionFolderFileUpdated:
				t.Errorf("%s was imported again", rel)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, rel := range ids {
		if added[id] != 1 {
			t.Errorf("%s was added %d times, want once", rel, added[id])
		}
	}
	if q := u.queued(t); len(q) != 0 {
		t.Errorf("the queue still holds %v", q)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestUploadWaitsForOfflineFolder: uploads made while the folder is away are kept, counted
// for staff and written once, in upload order, when the folder is back.
func TestUploadWaitsForOfflineFolder(t *testing.T) {
	u := newUploadFolder(t)
	task := u.task(t, "Brief", true)
	u.moveAway(t)

	u.upload(t, task, "logo.png", "first logo")
	if got := clientFiles(t, u.away); len(got) != 0 {
		t.Errorf("the folder moved away got %v", got)
	}
	if view := u.view(t); view.WaitingUploads != 1 || view.Status.State != "offline" {
		t.Errorf("while away: %d uploads waiting in state %s, want 1 in offline",
			view.WaitingUploads, view.Status.State)
	}
	u.upload(t, task, "logo.png", "second logo") // same name: numbered after the first
	u.wantWaiting(t, 2)

	u.moveBack(t)
	u.settled(t, map[string]string{
		"From clients/Brief/logo.png":     "first logo",
		"From clients/Brief/logo (2).png": "second logo",
	})

	u.upload(t, task, "notes.txt", "online again") // straight in, as before
	if got := clientFiles(t, u.dir)["From clients/Brief/notes.txt"]; got != "online again" {
		t.Errorf("an upload to the online folder reads %q", got)
	}
	u.wantWaiting(t, 0)
}

// TestUploadWaitingSurvivesRestart: an upload still waiting when Portico stops is written
// by the next start, once the folder is online.
func TestUploadWaitingSurvivesRestart(t *testing.T) {
	u := newUploadFolder(t)
	task := u.task(t, "Photos", true)
	u.moveAway(t)
	u.upload(t, task, "team.jpg", "a team photo")
	u.wantWaiting(t, 1)

	u.restart(t)
	waitFolderState(t, u.fixture, u.project.ID, "offline")
	u.wantWaiting(t, 1)
	u.svc.Close()

	u.moveBack(t)
	u.restart(t)
	u.settled(t, map[string]string{"From clients/Photos/team.jpg": "a team photo"})
}

// TestWaitingUploadDeleted: an upload whose file or task is deleted while it waits is no
// longer counted, is never written, and leaves the queue when the folder is back.
func TestWaitingUploadDeleted(t *testing.T) {
	u := newUploadFolder(t)
	kept, dropped := u.task(t, "Kept", true), u.task(t, "Dropped", true)
	u.moveAway(t)

	deleted := u.upload(t, kept, "old.pdf", "an old draft")
	u.upload(t, dropped, "gone.pdf", "on a task deleted later")
	u.upload(t, kept, "new.pdf", "the final draft")
	u.wantWaiting(t, 3)

	if err := u.svc.DeleteFile(u.owner.ID, deleted.ID); err != nil {
		t.Fatal(err)
	}
	u.wantWaiting(t, 2)
	if err := u.svc.DeleteTask(u.owner.ID, dropped.ID); err != nil {
		t.Fatal(err)
	}
	u.wantWaiting(t, 1)

	u.moveBack(t)
	u.settled(t, map[string]string{"From clients/Kept/new.pdf": "the final draft"})
}

// TestUnlinkDropsWaitingUploads: unlinking drops the project's queue; the uploads stay in
// Portico, and linking the folder again writes none of them.
func TestUnlinkDropsWaitingUploads(t *testing.T) {
	u := newUploadFolder(t)
	task := u.task(t, "Brief", true)
	u.moveAway(t)
	up := u.upload(t, task, "logo.png", "a logo")
	u.wantWaiting(t, 1)

	if err := u.svc.UnlinkFolder(u.owner.ID, u.project.ID); err != nil {
		t.Fatal(err)
	}
	u.wantWaiting(t, 0)
	if q := u.queued(t); len(q) != 0 {
		t.Errorf("after unlinking the queue holds %v", q)
	}
	err := u.st.View(func(tx *store.Tx) error {
		files, err := tx.Files(task.ID)
		if len(files) != 1 || files[0].ID != up.ID {
			t.Errorf("after unlinking the task has files %+v, want the upload", files)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	u.moveBack(t)
	if _, err := u.svc.LinkFolder(u.owner.ID, u.project.ID, u.dir); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, u.fixture, u.project.ID, "online")
	time.Sleep(300 * time.Millisecond)
	if got := clientFiles(t, u.dir); len(got) != 0 {
		t.Errorf("the folder linked again got %v", got)
	}
}

// TestUploadWaitsAfterWriteFailure: a write that fails while the folder is online (here a
// file stands where the task's folder must go) keeps the upload waiting and is tried again,
// in order with later uploads, until it succeeds.
func TestUploadWaitsAfterWriteFailure(t *testing.T) {
	u := newUploadFolder(t)
	task := u.task(t, "Brief", true)
	blocker := filepath.Join(u.dir, foldersync.ClientsDir)
	if err := os.WriteFile(blocker, []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}

	u.upload(t, task, "a.txt", "first")
	u.upload(t, task, "b.txt", "second")
	u.wantWaiting(t, 2)
	time.Sleep(500 * time.Millisecond) // a few tries, all failing
	u.wantWaiting(t, 2)
	if view := u.view(t); view.Status.State != "online" {
		t.Errorf("the folder is %s, want online", view.Status.State)
	}

	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	u.waitWaiting(t, 0)
	u.settled(t, map[string]string{
		"From clients/Brief/a.txt": "first",
		"From clients/Brief/b.txt": "second",
	})
	var order []string
	for _, ff := range u.view(t).Files {
		if strings.HasPrefix(ff.Rel, foldersync.ClientsDir+"/") {
			order = append(order, string(ff.ID)+" "+ff.Rel)
		}
	}
	slices.Sort(order) // by ID, that is in the order they were recorded
	if len(order) != 2 || !strings.HasSuffix(order[0], "a.txt") {
		t.Errorf("recorded in the order %v, want a.txt first", order)
	}
}
