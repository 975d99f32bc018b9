package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// opened is an index handle as Open found it.
type opened struct {
	index bleve.Index
	seq   uint64
	// rebuildReason is why the index must be rebuilt; "" when it is complete and current.
	rebuildReason string
}

// openIndex opens the index in dir. When it is missing, damaged, of another mapping
// version or half built, it is replaced by an empty one and rebuildReason says why.
func openIndex(dir string, m mapping.IndexMapping) (opened, error) {
	idx, seq, reason := openExisting(dir)
	if reason == "" {
		return opened{index: idx, seq: seq}, nil
	}

	if idx != nil {
		idx.Close()
	}

	fresh, err := createIndex(dir, m)
	if err != nil {
		return opened{}, err
	}

	return opened{index: fresh, rebuildReason: reason}, nil
}

// openExisting opens dir and checks it; a non-empty reason means it cannot be used, and
// the handle, if any, is still open for the caller to close.
func openExisting(dir string) (idx bleve.Index, seq uint64, reason string) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); errors.Is(err, fs.ErrNotExist) {
		return nil, 0, "the index is missing"
	}

	defer func() {
		// bleve may panic on a damaged segment instead of returning an error.
		if r := recover(); r != nil {
			reason = fmt.Sprintf("the index is damaged: %v", r)
		}
	}()
	idx, err := bleve.OpenUsing(dir, nil)
	if err != nil {
		return nil, 0, fmt.Sprintf("the index is damaged: %v", err)
	}

	if reason := checkIndex(idx); reason != "" {
		return idx, 0, reason
	}

	raw, _ := idx.GetInternal(keySeq)
	if len(raw) != 8 {
		return idx, 0, "the index has no activity position"
	}

	return idx, binary.BigEndian.Uint64(raw), ""
}

// checkIndex reads what a usable index must have: the current mapping version, the mark
// of a finished build, and answers to a count and a search.
func checkIndex(idx bleve.Index) string {
	version, err := idx.GetInternal(keyVersion)
	if err != nil {
		return fmt.Sprintf("the index is damaged: %v", err)
	}

	if got := string(version); got != strconv.Itoa(MappingVersion) {
		return fmt.Sprintf("the index has mapping version %q, this build writes %d", got, MappingVersion)
	}

	if complete, _ := idx.GetInternal(keyComplete); string(complete) != "1" {
		return "an earlier rebuild did not finish"
	}

	if _, err := idx.DocCount(); err != nil {
		return fmt.Sprintf("the index is damaged: %v", err)
	}

	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
	if _, err := idx.Search(req); err != nil {
		return fmt.Sprintf("the index is damaged: %v", err)
	}

	return ""
}

// createIndex replaces whatever is in dir by an empty index.
func createIndex(dir string, m mapping.IndexMapping) (bleve.Index, error) {
	if err := removeIndex(dir); err != nil {
		return nil, err
	}

	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("create search index folder: %w", err)
	}

	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create search index %s: %w", dir, err)
	}

	return idx, nil
}

// removeIndex deletes the index in dir. It refuses a folder holding anything bleve did
// not write, so a mistyped data folder never loses files.
func removeIndex(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}

	if err != nil {
		return fmt.Errorf("read search index folder: %w", err)
	}

	for _, e := range entries {
		if e.Name() != "index_meta.json" && e.Name() != "store" {
			return fmt.Errorf("refusing to replace %s: it holds %s, which is not part of a search index",
				dir, e.Name())
		}
	}

	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove old search index: %w", err)
	}

	return nil
}

func u64(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}
