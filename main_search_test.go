package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/search"
	"portico/internal/store"
)

// TestReindexOffline rebuilds the search index of a folder no server holds, the way an
// operator types it, and checks the index is complete: opened again, it needs no rebuild
// and finds the folder's records.
func TestReindexOffline(t *testing.T) {
	dir, files := demoFolder(t)
	for range 2 {
		var stderr bytes.Buffer
		if err := run([]string{"reindex", "--data", dir}, io.Discard, &stderr); err != nil {
			t.Fatalf("reindex: %v\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "search index rebuilt") {
			t.Fatalf("reindex said %q", stderr.String())
		}
	}

	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), st, nil, search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ready, lag := ix.Status(); !ready || lag != 0 {
		t.Fatalf("the rebuilt index is not ready (ready %v, lag %d)", ready, lag)
	}

	var owner domain.ID
	st.View(func(tx *store.Tx) error {
		staff, err := tx.AllStaff()
		owner = staff[0].ID
		return err
	})
	for q, kind := range map[string]search.Kind{"palette": search.KindTask, "chase": search.KindComment,
		strings.TrimSuffix(files[1].Name, ".svg"): search.KindFile} {
		res, err := ix.Staff(context.Background(), owner, search.Query{Text: q, Kind: kind})
		if err != nil || res.Total == 0 {
			t.Errorf("search %q: %+v, %v; want a %s", q, res, err, kind)
		}
	}
}

func TestReindexRefusesAFolderWithoutData(t *testing.T) {
	err := run([]string{"reindex", "--data", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no Portico data") {
		t.Fatalf("reindex of an empty folder: %v", err)
	}
}
