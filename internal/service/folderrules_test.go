package service_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/service"
)

// startFolders starts folder sync with short intervals for a test.
func startFolders(t *testing.T, f *fixture) {
	t.Helper()
	err := f.svc.StartFolders(foldersync.Options{Stability: 50 * time.Millisecond,
		RootCheckInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
}

// waitFolderState waits until the project's folder reaches state.
func waitFolderState(t *testing.T, f *fixture, projectID domain.ID, state string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		view, err := f.svc.Folder(f.owner.ID, projectID)
		if err != nil {
			t.Fatal(err)
		}
		if view.Status.State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("folder state %+v, want %s", view.Status, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFolderRules checks which folders may be linked: never Portico's data folder, one
// inside it or one holding it, nor a folder that overlaps another project's.
func TestFolderRules(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "portico-data")
	for _, d := range []string{data, filepath.Join(data, "certs"), filepath.Join(root, "a", "b"),
		filepath.Join(root, "c")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixtureWith(t, true, service.Config{FoldersRoot: root, DataDir: data})
	startFolders(t, f)
	other := must(f.svc.CreateProject(f.owner.ID, service.ProjectInput{WorkspaceID: f.team,
		Name: "Other"}))(t)
	if _, err := f.svc.LinkFolder(f.owner.ID, other.ID, filepath.Join(root, "a")); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, path string
		ok         bool
	}{
		{"the data folder", data, false},
		{"inside the data folder", filepath.Join(data, "certs"), false},
		{"the root, holding the data folder", root, false},
		{"another project's folder", filepath.Join(root, "a"), false},
		{"inside another project's folder", filepath.Join(root, "a", "b"), false},
		{"a folder of its own", filepath.Join(root, "c"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.LinkFolder(f.owner.ID, f.project.ID, tc.path)
			var invalid *domain.ValidationError
			switch {
			case tc.ok && err != nil:
				t.Errorf("link %s: %v", tc.path, err)
			case !tc.ok && !errors.As(err, &invalid):
				t.Errorf("link %s: got %v, want a validation error", tc.path, err)
			}
		})
	}
}

// TestFolderMissingAtStartComesBack: a linked folder missing when Portico starts (a drive
// not yet mounted) shows offline, and goes online once it is there.
func TestFolderMissingAtStartComesBack(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "drive")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newFixtureWith(t, true, service.Config{FoldersRoot: root})
	startFolders(t, f)
	if _, err := f.svc.LinkFolder(f.owner.ID, f.project.ID, dir); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, f, f.project.ID, "online")
	f.svc.Close()

	away := filepath.Join(root, "drive-away")
	if err := os.Rename(dir, away); err != nil {
		t.Fatal(err)
	}
	f.svc = f.newService(service.Config{FoldersRoot: root})
	startFolders(t, f)
	waitFolderState(t, f, f.project.ID, "offline")

	if err := os.Rename(away, dir); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, f, f.project.ID, "online")
}

// TestFolderSwappedForAnotherProjectsFolder: a linked folder replaced, while Portico runs,
// by a symbolic link to another project's folder goes offline; the other project's files
// are not imported and none of its own files are removed.
func TestFolderSwappedForAnotherProjectsFolder(t *testing.T) {
	root := t.TempDir()
	mine, theirs := filepath.Join(root, "acme"), filepath.Join(root, "other")
	for _, file := range []string{filepath.Join(mine, "ours.txt"), filepath.Join(theirs, "beta.txt")} {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixtureWith(t, true, service.Config{FoldersRoot: root})
	startFolders(t, f)
	other := must(f.svc.CreateProject(f.owner.ID, service.ProjectInput{WorkspaceID: f.team,
		Name: "Other"}))(t)
	for project, dir := range map[domain.ID]string{f.project.ID: mine, other.ID: theirs} {
		if _, err := f.svc.LinkFolder(f.owner.ID, project, dir); err != nil {
			t.Fatal(err)
		}
		waitFolderState(t, f, project, "online")
	}
	waitFolderFiles(t, f, f.project.ID, []string{"ours.txt"})

	if err := os.Rename(mine, filepath.Join(root, "acme-real")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(theirs, mine); err != nil {
		t.Fatal(err)
	}
	waitFolderState(t, f, f.project.ID, "offline")
	time.Sleep(300 * time.Millisecond) // time for a wrong import or removal to show
	waitFolderFiles(t, f, f.project.ID, []string{"ours.txt"})
}

// waitFolderFiles waits until the project's live folder files are exactly rels.
func waitFolderFiles(t *testing.T, f *fixture, projectID domain.ID, rels []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		view, err := f.svc.Folder(f.owner.ID, projectID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ff := range view.Files {
			got = append(got, ff.Rel)
		}
		if slices.Equal(got, rels) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("folder files %q, want %q", got, rels)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
