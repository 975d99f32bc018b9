package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// folder is a real data folder with an owner, a project and a task, written through the
// service.
type folder struct {
	dir     string
	st      *store.Store
	blobs   *blob.Store
	svc     *service.Service
	owner   domain.ID
	project domain.ID
	task    domain.ID
}

func newFolder(t *testing.T) *folder {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, blobs, nil, service.Config{PortalURL: "https://portal.test",
		StaffURL: "https://staff.test"}, slog.New(slog.DiscardHandler))
	f := &folder{dir: dir, st: st, blobs: blobs, svc: svc}
	t.Cleanup(func() {
		svc.Close()
		if err := st.Check(); err != nil {
			t.Errorf("database check: %v", err)
		}
		st.Close()
	})

	link, err := svc.IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	_, owner, err := svc.SetupOwner(path.Base(link), "owner@agency.example", "Owner", "owner password 1")
	if err != nil {
		t.Fatal(err)
	}
	f.owner = owner.ID
	var workspace domain.ID
	st.View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		if len(all) > 0 {
			workspace = all[0].ID
		}
		return err
	})
	p, err := svc.CreateProject(f.owner, service.ProjectInput{WorkspaceID: workspace, Name: "Site"})
	if err != nil {
		t.Fatal(err)
	}
	f.project = p.ID
	f.task = f.newTask(t, "Homepage").ID
	return f
}

func (f *folder) newTask(t testing.TB, title string) domain.Task {
	task, err := f.svc.CreateTask(f.owner, f.project, service.TaskInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// attach uploads size random bytes to the folder's task and returns the file and its bytes.
func (f *folder) attach(t testing.TB, name string, size int) (domain.File, []byte) {
	content := make([]byte, size)
	rand.Read(content)
	file, err := f.svc.AttachFile(f.owner, f.task, service.Upload{Name: name,
		Body: bytes.NewReader(content)})
	if err != nil {
		t.Fatal(err)
	}
	return file, content
}

// writeCerts puts a few files where certmagic and the local CA keep theirs, lock included.
func (f *folder) writeCerts(t *testing.T) map[string]string {
	files := map[string]string{
		"certs/local-ca/ca.crt":                               "-----BEGIN CERTIFICATE-----\nlocal\n",
		"certs/certificates/acme/portal.test/portal.test.crt": "certificate",
		"certs/acme/accounts/portal@agency.example.json":      "{}",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(f.dir, name), content)
	}
	writeFile(t, filepath.Join(f.dir, "certs/locks/issue_cert_portal.test.lock"), "{}")
	return files
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// dumpDB returns every key and value of every bucket of the database file at path.
func dumpDB(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return dump(t, db)
}

// dump returns every key and value of every bucket of an open database.
func dump(t *testing.T, db *bolt.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				out[string(name)+"/"+string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// entries reads an archive with the standard library alone: every entry's bytes by name.
func entries(t *testing.T, archive []byte) map[string][]byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		out[hdr.Name] = raw
	}
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func contentPath(dir, sha string) string {
	return filepath.Join(dir, "files", sha[:2], sha)
}

func mustEqualDumps(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("database has %d keys, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("database key %s differs", fmt.Sprintf("%q", k))
		}
	}
}
