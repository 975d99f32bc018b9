package service_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/service"
	"portico/internal/store"
)

// TestFolderLinkActivity checks that linking and unlinking a folder are logged against the
// project, never with the folder's path, and that no client learns of them.
func TestFolderLinkActivity(t *testing.T) {
	root := t.TempDir()
	f := newFixtureWith(t, true, service.Config{FoldersRoot: root})
	if err := f.svc.StartFolders(foldersync.Options{Stability: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "secret-client-name")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	if _, err := f.svc.LinkFolder(f.owner.ID, f.project.ID, dir); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second unlink finds nothing linked and logs nothing
		if err := f.svc.UnlinkFolder(f.owner.ID, f.project.ID); err != nil {
			t.Fatal(err)
		}
	}

	var got []domain.Action
	err := f.st.View(func(tx *store.Tx) error {
		entries, err := tx.ActivitySince(0, 10_000)
		for _, a := range entries {
			if a.Action != domain.ActionFolderLinked && a.Action != domain.ActionFolderUnlinked {
				continue
			}
			got = append(got, a.Action)
			if a.ObjectID != f.project.ID || a.ProjectID != f.project.ID {
				t.Errorf("%s names object %s in project %s, want the project %s", a.Action,
					a.ObjectID, a.ProjectID, f.project.ID)
			}
			if raw, _ := json.Marshal(a); strings.Contains(string(raw), "secret-client-name") {
				t.Errorf("%s entry names the folder's path: %s", a.Action, raw)
			}
			if access.Activity(tx, f.client, a) {
				t.Errorf("the project's client learns of %s", a.Action)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Action{domain.ActionFolderLinked, domain.ActionFolderUnlinked}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("folder entries %v, want %v", got, want)
	}
}
