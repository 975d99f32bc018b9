package search

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"portico/internal/domain"
	"portico/internal/store"
)

// source is one kind of record a rebuild reads: scan adds to w the documents of up to
// limit records with an ID after the given one, and returns the last ID it read ("" when
// there were none). Limits keep each chunk's text, and so the rebuild's memory, bounded.
type source struct {
	kind  Kind
	limit int
	scan  func(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error)
}

// sources lists what a rebuild indexes. Folder files are read a few projects at a time.
var sources = []source{
	{KindTask, 250, scanTasks},
	{KindComment, 1000, scanComments},
	{KindFile, 1000, scanFiles},
	{KindDoc, 100, scanDocs},
	{KindFolderFile, 10, scanFolderFiles},
}

func scanTasks(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error) {
	tasks, err := tx.TasksAfter(after, limit)
	if err != nil || len(tasks) == 0 {
		return "", err
	}

	for _, t := range tasks {
		if err := w.resync(tx, KindTask, t.ID); err != nil {
			return "", err
		}
	}

	return tasks[len(tasks)-1].ID, nil
}

func scanComments(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error) {
	comments, err := tx.CommentsAfter(after, limit)
	if err != nil || len(comments) == 0 {
		return "", err
	}

	for _, c := range comments {
		if c.DocID != "" {
			if err := w.putDocComment(tx, c); err != nil {
				return "", err
			}
			continue
		}
		f, ok, err := w.facts.get(tx, c.TaskID)
		if err != nil {
			return "", err
		}
		if ok {
			if err := w.put(KindComment, c.ID, commentDocument(c, f)); err != nil {
				return "", err
			}
		}
	}

	return comments[len(comments)-1].ID, nil
}

func scanFiles(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error) {
	files, err := tx.FilesAfter(after, limit)
	if err != nil || len(files) == 0 {
		return "", err
	}

	for _, fl := range files {
		f, ok, err := w.facts.get(tx, fl.TaskID)
		if err != nil {
			return "", err
		}
		if ok {
			if err := w.put(KindFile, fl.ID, fileDocument(fl, f)); err != nil {
				return "", err
			}
		}
	}

	return files[len(files)-1].ID, nil
}

func (ix *Index) needsRebuild() bool {
	ix.pendingMu.Lock()
	defer ix.pendingMu.Unlock()
	return ix.pending != ""
}

// markForRebuild asks Run to rebuild the index (searches go on until it starts).
func (ix *Index) markForRebuild(reason string) {
	ix.pendingMu.Lock()
	if ix.pending == "" {
		ix.pending = reason
	}

	ix.pendingMu.Unlock()
	select {
	case ix.wake <- struct{}{}:
	default:
	}
}

// autoRebuildInterval bounds how often a failing search may trigger a rebuild, so a
// query that always fails cannot keep the index rebuilding.
const autoRebuildInterval = 10 * time.Minute

// damaged handles a search that panicked inside bleve, which is how a damaged segment
// may show itself after Open: it schedules a rebuild, at most once per interval.
func (ix *Index) damaged(cause any) error {
	err := fmt.Errorf("the search index failed: %v", cause)
	ix.log.Error("search index failed", "error", err)
	ix.pendingMu.Lock()
	due := time.Since(ix.lastDamage) > autoRebuildInterval
	if due {
		ix.lastDamage = time.Now()
	}

	ix.pendingMu.Unlock()
	if due {
		ix.markForRebuild("a search failed inside the index")
	}

	return err
}

// Rebuild drops the index and builds it again from the database, then catches up with
// the activity written meanwhile. Searches fail with ErrRebuilding until it is done. Run
// calls it when needed; the offline `portico reindex` command calls it directly. It reads
// the database in chunks, one short read transaction each, so memory stays bounded
// whatever the size of the data, and stops early, leaving the index marked unfinished
// (rebuilt again on the next Open), when ctx ends.
func (ix *Index) Rebuild(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(ix.closing, cancel)()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()

	start, docs := time.Now(), ix.written.Load()
	reason := ix.takeOffline()
	ix.rebuilds.Add(1)
	ix.log.Info("search index rebuild started", "path", ix.dir, "reason", reason)
	if err := ix.replace(); err != nil {
		return err
	}

	if err := ix.fillAll(ctx); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}

	for more := true; more; {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if more, err = ix.step(); err != nil {
			return fmt.Errorf("catch up after rebuild: %w", err)
		}
	}

	ix.bringOnline()
	ix.log.Info("search index rebuilt", "path", ix.dir, "documents", ix.written.Load()-docs,
		"duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// fillAll writes every record into the empty index, then marks it complete at the
// activity position read before the first record, from which catching up continues.
func (ix *Index) fillAll(ctx context.Context) error {
	var seq uint64
	ix.store.View(func(tx *store.Tx) error {
		seq = tx.LastActivitySeq()
		return nil
	})

	w := ix.newWriter()
	for _, src := range sources {
		if err := ix.fill(ctx, w, src); err != nil {
			return err
		}
	}

	err := w.flush(map[string][]byte{
		string(keySeq):      u64(seq),
		string(keyVersion):  []byte(strconv.Itoa(MappingVersion)),
		string(keyComplete): []byte("1"),
	})
	if err != nil {
		return err
	}

	ix.seq.Store(seq)
	return nil
}

// bringOnline serves searches again after a rebuild.
func (ix *Index) bringOnline() {
	ix.pendingMu.Lock()
	ix.pending = ""
	ix.pendingMu.Unlock()
	ix.mu.Lock()
	ix.ready = true
	ix.mu.Unlock()
}

// takeOffline stops searches and returns why the rebuild happens.
func (ix *Index) takeOffline() string {
	ix.mu.Lock()
	ix.ready = false
	ix.mu.Unlock()
	ix.pendingMu.Lock()
	defer ix.pendingMu.Unlock()
	if ix.pending == "" {
		ix.pending = "requested"
	}

	return ix.pending
}

// replace closes the current index and puts an empty one in its place. The caller holds
// writeMu, and searches already fail with ErrRebuilding.
func (ix *Index) replace() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}

	if ix.bleve != nil {
		if err := ix.bleve.Close(); err != nil {
			ix.log.Warn("close search index before rebuild", "error", err)
		}
		ix.bleve = nil
	}

	m, err := newMapping()
	if err != nil {
		return err
	}

	fresh, err := createIndex(ix.dir, m)
	if err != nil {
		return err
	}

	ix.bleve = fresh
	return nil
}

// fill writes every record of one source, a chunk per database read.
func (ix *Index) fill(ctx context.Context, w *writer, src source) error {
	var after domain.ID
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var last domain.ID
		err := ix.store.View(func(tx *store.Tx) error {
			var err error
			last, err = src.scan(tx, w, after, src.limit)
			return err
		})
		if err != nil {
			return fmt.Errorf("read %ss: %w", src.kind, err)
		}
		if last == "" {
			return nil
		}
		after = last
		if err := w.flush(nil); err != nil {
			return err
		}
	}
}
