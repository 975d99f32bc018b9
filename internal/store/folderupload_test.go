package store_test

import (
	"path/filepath"
	"slices"
	"testing"

	"portico/internal/domain"
	"portico/internal/store"
)

// TestFolderUploadQueue checks that a project's waiting uploads list in upload order, that
// dropping one or a whole project's queue leaves other projects' queues alone, and that
// the queue survives closing and opening the database again.
func TestFolderUploadQueue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portico.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	one, two := domain.NewID(), domain.NewID()
	var ids []domain.ID
	for range 3 {
		ids = append(ids, domain.NewID())
	}
	other := domain.NewID()

	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := st.Update(fn); err != nil {
			t.Fatal(err)
		}
	}
	listed := func(s *store.Store, projectID domain.ID) []domain.ID {
		t.Helper()
		var got []domain.ID
		if err := s.View(func(tx *store.Tx) error {
			var err error
			got, err = tx.FolderUploads(projectID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}

	update(func(tx *store.Tx) error {
		for _, id := range []domain.ID{ids[2], ids[0], ids[1]} { // queued out of order
			if err := tx.QueueFolderUpload(domain.File{ID: id, ProjectID: one}); err != nil {
				return err
			}
		}
		return tx.QueueFolderUpload(domain.File{ID: other, ProjectID: two})
	})
	if got := listed(st, one); !slices.Equal(got, ids) {
		t.Errorf("queue %v, want the upload order %v", got, ids)
	}

	update(func(tx *store.Tx) error { return tx.DropFolderUpload(one, ids[1]) })
	update(func(tx *store.Tx) error { return tx.DropFolderUpload(one, ids[1]) }) // again: no-op
	if got, want := listed(st, one), []domain.ID{ids[0], ids[2]}; !slices.Equal(got, want) {
		t.Errorf("after dropping one: %v, want %v", got, want)
	}

	st.Close()
	st, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, want := listed(st, one), []domain.ID{ids[0], ids[2]}; !slices.Equal(got, want) {
		t.Errorf("after reopening: %v, want %v", got, want)
	}

	if err := st.Update(func(tx *store.Tx) error { return tx.DropFolderUploads(one) }); err != nil {
		t.Fatal(err)
	}
	if got := listed(st, one); len(got) != 0 {
		t.Errorf("after dropping the project's queue: %v", got)
	}
	if got := listed(st, two); !slices.Equal(got, []domain.ID{other}) {
		t.Errorf("the other project's queue is %v, want %v", got, []domain.ID{other})
	}
	if err := st.Check(); err != nil {
		t.Errorf("database check: %v", err)
	}
}
