package store_test

import (
	"errors"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/store"
)

// TestFolderFileIndexes follows one folder file through a change of content and its
// removal: the path finds the live record only, the content is in use while a live record
// refers to it, and the deleted record stays readable by ID but leaves every list.
func TestFolderFileIndexes(t *testing.T) {
	st, _ := openTemp(t)
	project := domain.NewID()
	f := domain.FolderFile{ID: domain.NewID(), ProjectID: project, Rel: "a/b.txt", Size: 1,
		ModTime: time.Unix(1, 123456789), SHA256: "sha-one"}

	steps := []struct {
		name      string
		change    func(*domain.FolderFile)
		live      bool
		inUse     map[string]bool
		listLen   int
		sharedLen int
	}{
		{"added", func(*domain.FolderFile) {}, true, map[string]bool{"sha-one": true}, 1, 0},
		{"shared and edited", func(f *domain.FolderFile) { f.Shared, f.SHA256 = true, "sha-two" },
			true, map[string]bool{"sha-one": false, "sha-two": true}, 1, 1},
		{"deleted", func(f *domain.FolderFile) { f.Deleted = true }, false,
			map[string]bool{"sha-two": false}, 0, 0},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change(&f)
			err := st.Update(func(tx *store.Tx) error { return tx.PutFolderFile(f) })
			if err != nil {
				t.Fatal(err)
			}
			err = st.View(func(tx *store.Tx) error {
				got, err := tx.FolderFileByRel(project, f.Rel)
				if step.live && (err != nil || got.ID != f.ID || !got.ModTime.Equal(f.ModTime)) {
					t.Errorf("by path: %v, %v", got, err)
				}
				if !step.live && !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("by path after deletion: %v, want not found", err)
				}
				for sha, want := range step.inUse {
					if tx.BlobInUse(sha) != want {
						t.Errorf("content %s in use: %v, want %v", sha, !want, want)
					}
				}
				all, _ := tx.FolderFiles(project, false)
				shared, _ := tx.FolderFiles(project, true)
				if len(all) != step.listLen || len(shared) != step.sharedLen {
					t.Errorf("lists %d files, %d shared; want %d, %d", len(all), len(shared),
						step.listLen, step.sharedLen)
				}
				_, err = tx.FolderFile(f.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
