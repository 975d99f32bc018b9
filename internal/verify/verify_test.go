package verify_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
	"portico/internal/verify"
)

func TestFolder(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, f *folder)
		want   []string
	}{
		{"sound", func(*testing.T, *folder) {}, nil},
		{"tampered activity entry", func(t *testing.T, f *folder) {
			f.tamperActivity(t, 3)
		}, []string{"activity entry 3: contents do not match its hash"}},
		{"corrupted file", func(t *testing.T, f *folder) {
			f.flipByte(t, f.files[0].SHA256)
		}, []string{"file " + "{0}" + ` "a.txt"`, "contents corrupt"}},
		{"missing file", func(t *testing.T, f *folder) {
			os.Remove(f.blobPath(f.files[1].SHA256))
		}, []string{"file " + "{1}" + ` "b.txt"`, "contents missing"}},
		{"corrupted folder file", func(t *testing.T, f *folder) {
			f.flipByte(t, f.folderFile.SHA256)
		}, []string{"folder file " + "{f}" + ` "brief/notes.txt"`, "contents corrupt"}},
		{"missing folder file", func(t *testing.T, f *folder) {
			os.Remove(f.blobPath(f.folderFile.SHA256))
		}, []string{"folder file " + "{f}" + ` "brief/notes.txt"`, "contents missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFolder(t)
			tt.damage(t, f)
			var problems []string
			sum, err := verify.Folder(context.Background(), f.st, f.blobs, func(p string) {
				problems = append(problems, p)
			})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Problems != len(problems) || sum.FileRecords != 2 ||
				sum.FolderFileRecords != 1 || sum.ActivityEntries == 0 {
				t.Fatalf("summary %+v for problems %q", sum, problems)
			}
			if tt.want == nil {
				if len(problems) != 0 {
					t.Fatalf("problems in a sound folder: %q", problems)
				}
				return
			}
			if len(problems) != 1 {
				t.Fatalf("problems %q, want exactly one", problems)
			}
			for _, part := range tt.want {
				part = strings.NewReplacer("{0}", string(f.files[0].ID), "{1}", string(f.files[1].ID),
					"{f}", string(f.folderFile.ID)).Replace(part)
				if !strings.Contains(problems[0], part) {
					t.Errorf("problem %q does not say %q", problems[0], part)
				}
			}
		})
	}
}

func TestFolderReportsEveryProblem(t *testing.T) {
	f := newFolder(t)
	f.tamperActivity(t, 2)
	f.flipByte(t, f.files[0].SHA256)
	os.Remove(f.blobPath(f.files[1].SHA256))
	os.Remove(f.blobPath(f.folderFile.SHA256))
	var problems []string
	sum, err := verify.Folder(context.Background(), f.st, f.blobs, func(p string) {
		problems = append(problems, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Problems != 4 || len(problems) != 4 {
		t.Fatalf("%d problems reported: %q", sum.Problems, problems)
	}
}

// folder is a data folder with an owner, a project, a task and two files, and a live and a
// deleted folder file whose contents are gone with it.
type folder struct {
	dir        string
	st         *store.Store
	blobs      *blob.Store
	files      []domain.File
	folderFile domain.FolderFile
}

func newFolder(t *testing.T) *folder {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	f := &folder{dir: t.TempDir()}
	var err error
	if f.st, err = store.Open(filepath.Join(f.dir, "portico.db"), store.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	if f.blobs, err = blob.Open(filepath.Join(f.dir, "files")); err != nil {
		t.Fatal(err)
	}
	svc := service.New(f.st, f.blobs, nil, service.Config{PortalURL: "https://portal.test",
		StaffURL: "https://staff.test"}, slog.New(slog.DiscardHandler))
	t.Cleanup(svc.Close)

	link, _ := svc.IssueSetupLink()
	_, owner, err := svc.SetupOwner(path.Base(link), "owner@agency.example", "Owner", "owner password 1")
	if err != nil {
		t.Fatal(err)
	}
	var workspace domain.ID
	f.st.View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		workspace = all[0].ID
		return err
	})
	p, err := svc.CreateProject(owner.ID, service.ProjectInput{WorkspaceID: workspace, Name: "Site"})
	if err != nil {
		t.Fatal(err)
	}
	title := "Homepage"
	task, err := svc.CreateTask(owner.ID, p.ID, service.TaskInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.txt", "b.txt"} {
		file, err := svc.AttachFile(owner.ID, task.ID, service.Upload{Name: name,
			Body: strings.NewReader("contents of " + name)})
		if err != nil {
			t.Fatal(err)
		}
		f.files = append(f.files, file)
	}
	f.folderFile = f.putFolderFile(t, p.ID, "brief/notes.txt", false)
	gone := f.putFolderFile(t, p.ID, "old.txt", true)
	os.Remove(f.blobPath(gone.SHA256))
	return f
}

// putFolderFile records a folder file the way an import would, with its own contents.
func (f *folder) putFolderFile(t *testing.T, projectID domain.ID, rel string,
	deleted bool) domain.FolderFile {
	t.Helper()
	b, err := f.blobs.Put(strings.NewReader("folder contents of "+rel), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	ff := domain.FolderFile{ID: domain.NewID(), ProjectID: projectID, Rel: rel, Size: b.Size,
		SHA256: b.SHA256, ContentType: "text/plain", Deleted: deleted}
	if err := f.st.Update(func(tx *store.Tx) error { return tx.PutFolderFile(ff) }); err != nil {
		t.Fatal(err)
	}
	return ff
}

// tamperActivity rewrites one entry's action in place, leaving its hash as it was, the
// way someone editing the database file by hand would.
func (f *folder) tamperActivity(t *testing.T, seq uint64) {
	t.Helper()
	key := binary.BigEndian.AppendUint64(nil, seq)
	err := f.st.DB().Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("activity"))
		var entry map[string]any
		if err := json.Unmarshal(b.Get(key), &entry); err != nil {
			return err
		}
		entry["action"] = "comment_deleted"
		raw, err := json.Marshal(entry)
		if err != nil {
			return err
		}
		return b.Put(key, raw)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *folder) blobPath(sha string) string {
	return filepath.Join(f.dir, "files", sha[:2], sha)
}

func (f *folder) flipByte(t *testing.T, sha string) {
	t.Helper()
	raw, err := os.ReadFile(f.blobPath(sha))
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.Clone(raw)
	raw[0] ^= 0x20
	if err := os.WriteFile(f.blobPath(sha), raw, 0o600); err != nil {
		t.Fatal(err)
	}
}
