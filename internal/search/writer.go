package search

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/domain"
	"portico/internal/store"
)

// writer gathers index changes into a bleve batch. Its users add at most about one batch
// worth of changes inside a database read, then flush outside it when full.
type writer struct {
	ix    *Index
	idx   bleve.Index
	batch *bleve.Batch
	facts factsCache
	// ops counts the documents written or deleted in the pending batch.
	ops int
}

func (ix *Index) newWriter() *writer {
	return &writer{ix: ix, idx: ix.bleve, batch: ix.bleve.NewBatch(), facts: factsCache{}}
}

func (w *writer) put(kind Kind, id domain.ID, d document) error {
	if rules, ok := kinds[kind]; ok && rules.admits(d) {
		d.PortalProject = d.ProjectID
	}

	if err := w.batch.Index(docID(kind, id), d); err != nil {
		return fmt.Errorf("index %s %s: %w", kind, id, err)
	}

	w.ops++
	return nil
}

func (w *writer) remove(kind Kind, id domain.ID) {
	w.batch.Delete(docID(kind, id))
	w.ops++
}

func (w *writer) full() bool { return w.batch.Size() >= w.ix.opts.BatchSize }

// flush writes the gathered changes, with internal values (the activity position, the
// version) in the same atomic write, and forgets cached facts, which may now be stale.
func (w *writer) flush(internal map[string][]byte) error {
	for k, v := range internal {
		w.batch.SetInternal([]byte(k), v)
	}

	if w.batch.Size() == 0 {
		return nil
	}

	if err := w.idx.Batch(w.batch); err != nil {
		return fmt.Errorf("write search index: %w", err)
	}

	w.ix.written.Add(uint64(w.ops))
	// A fresh batch, not Reset: bleve's analysis goroutine may still be ranging over the
	// old batch's map when Batch returns.
	w.batch = w.idx.NewBatch()
	w.ops = 0
	clear(w.facts)
	return nil
}

// factsCache remembers task facts within one database read, so a chunk of comments on
// the same task reads the task and its milestone once.
type factsCache map[domain.ID]taskFacts

func (c factsCache) get(tx *store.Tx, taskID domain.ID) (taskFacts, bool, error) {
	if f, ok := c[taskID]; ok {
		return f, true, nil
	}

	t, err := tx.Task(taskID)
	if errors.Is(err, domain.ErrNotFound) {
		return taskFacts{}, false, nil
	}

	if err != nil {
		return taskFacts{}, false, err
	}

	f := factsOf(tx, t)
	c[taskID] = f
	return f, true, nil
}

// resync makes the index agree with the database about one record: it writes the
// record's current document, or deletes it when the record (or its task) is gone.
func (w *writer) resync(tx *store.Tx, kind Kind, id domain.ID) error {
	switch kind {
	case KindTask:
		t, err := tx.Task(id)
		if errors.Is(err, domain.ErrNotFound) {
			w.remove(kind, id)
			return nil
		}
		if err != nil {
			return err
		}
		f := factsOf(tx, t)
		w.facts[id] = f
		return w.put(kind, id, taskDocument(t, f))
	case KindComment:
		c, err := tx.Comment(id)
		if err == nil && c.DocID != "" {
			return w.putDocComment(tx, c)
		}
		return w.resyncChild(tx, kind, id, c.TaskID, err, func(f taskFacts) document {
			return commentDocument(c, f)
		})
	case KindFile:
		fl, err := tx.File(id)
		return w.resyncChild(tx, kind, id, fl.TaskID, err, func(f taskFacts) document {
			return fileDocument(fl, f)
		})
	case KindDoc:
		return w.resyncDoc(tx, id)
	case KindFolderFile:
		return w.resyncFolderFile(tx, id)
	}

	// An unknown kind is a document of a later or earlier layout: drop it.
	w.remove(kind, id)
	return nil
}

func (w *writer) resyncChild(tx *store.Tx, kind Kind, id, taskID domain.ID, readErr error,
	build func(taskFacts) document) error {
	if errors.Is(readErr, domain.ErrNotFound) {
		w.remove(kind, id)
		return nil
	}
	if readErr != nil {
		return readErr
	}
	f, ok, err := w.facts.get(tx, taskID)
	if err != nil {
		return err
	}
	if !ok {
		w.remove(kind, id)
		return nil
	}
	return w.put(kind, id, build(f))
}

// maxRepairRounds bounds repair; each round fixes up to a batch of documents.
const maxRepairRounds = 100_000

// repair resyncs every document that stale selects, a batch at a time, until it selects
// none. stale builds its query from the database each round (nil when nothing can be
// stale), and selects documents whose facts disagree with it, so every resync takes its
// document out of the selection; a round that fixes nothing is an error.
func (w *writer) repair(stale func(*store.Tx) query.Query) error {
	var previous string
	for range maxRepairRounds {
		var q query.Query
		w.ix.store.View(func(tx *store.Tx) error {
			q = stale(tx)
			return nil
		})
		if q == nil {
			return nil
		}
		req := bleve.NewSearchRequestOptions(q, w.ix.opts.BatchSize, 0, false)
		req.SortBy([]string{"_id"})
		req.Score = "none"
		res, err := w.idx.Search(req)
		if err != nil {
			return fmt.Errorf("find stale search documents: %w", err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		if res.Hits[0].ID == previous {
			return fmt.Errorf("search document %s stays stale after a resync", previous)
		}
		previous = res.Hits[0].ID
		err = w.ix.store.View(func(tx *store.Tx) error {
			for _, h := range res.Hits {
				kind, id, err := parseDocID(h.ID)
				if err != nil {
					w.batch.Delete(h.ID)
					w.ops++
					continue
				}
				if err := w.resync(tx, kind, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := w.flush(nil); err != nil {
			return err
		}
	}

	return fmt.Errorf("search repair did not finish in %d rounds", maxRepairRounds)
}
