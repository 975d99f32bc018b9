package portal

import (
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// folderFile records a file of the project's linked folder as folder sync would, with its
// path as contents; deleted ones are recorded as removed from the folder.
func (f *fixture) folderFile(t testing.TB, projectID domain.ID, rel string, shared, deleted bool) domain.ID {
	t.Helper()
	b, err := f.svc.Blobs().Put(strings.NewReader(rel+" contents"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	ff := domain.FolderFile{ID: domain.NewID(), ProjectID: projectID, Rel: rel, Size: b.Size,
		ModTime: time.Now(), SHA256: b.SHA256, ContentType: b.ContentType, Shared: shared,
		Deleted: deleted}
	err = f.store.Update(func(tx *store.Tx) error {
		ff.Created, ff.Updated = tx.Now(), tx.Now()
		return tx.PutFolderFile(ff)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ff.ID
}

// TestProjectPageListsSharedFolderFiles checks the project page's Files section: the
// shared folder file by path with its download link, and nothing of the unshared or
// deleted ones; the download is the file's contents.
func TestProjectPageListsSharedFolderFiles(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)

	page := b.get("/p/" + string(w.alpha))
	for _, want := range []string{"<h2>Files</h2>", alphaFolder, "/ff/" + string(w.ffShared)} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the project page lacks %q", want)
		}
	}
	assertAbsent(t, "project page", page.body, concat(secrets, betaMarkers))

	download := b.get("/ff/" + string(w.ffShared))
	if download.status != 200 || download.body != alphaFolder+" contents" {
		t.Errorf("download: status %d, body %q", download.status, download.body)
	}
}
