package search

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/store"
)

// Run keeps the index in step with the database until ctx ends or Close is called. It
// first rebuilds the index if Open found it missing, damaged or outdated (searches fail
// with ErrRebuilding meanwhile), then follows the activity log: each committed change
// wakes it through the hub, it gathers changes for up to BatchDelay or BatchSize entries,
// re-reads the changed records and writes them with the new activity position in one
// batch. A hub subscription dropped for lagging, or a missed event, only delays it: the
// activity log, not the event, says what to index. Run returns nil when stopped.
func (ix *Index) Run(ctx context.Context) error {
	if ix.isClosed() {
		return ErrClosed
	}

	ix.running.Add(1)
	defer ix.running.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ix.closing, cancel)
	defer stop()

	sub := ix.subscribe()
	defer func() { sub.close() }()
	poll := time.NewTicker(ix.opts.PollInterval)
	defer poll.Stop()
	failures := 0
	for ctx.Err() == nil {
		if err := ix.work(ctx); err != nil && ctx.Err() == nil {
			failures++
			ix.log.Error("search indexing failed", "error", err, "attempt", failures)
			if failures%3 == 0 {
				ix.markForRebuild("indexing failed repeatedly")
			}
			ix.sleep(ctx, min(time.Second<<min(failures, 6), time.Minute))
			continue
		}
		failures = 0
		select {
		case <-ctx.Done():
		case <-poll.C:
		case <-ix.wake:
		case _, ok := <-sub.c():
			if !ok {
				// The hub dropped us for lagging; the log still has everything.
				sub.close()
				sub = ix.subscribe()
				continue
			}
			ix.gather(ctx, sub)
		}
	}

	return nil
}

// work rebuilds the index if it needs it, then indexes the activity not yet indexed.
func (ix *Index) work(ctx context.Context) error {
	if ix.needsRebuild() {
		if err := ix.Rebuild(ctx); err != nil {
			return err
		}
	}

	return ix.catchUp(ctx)
}

func (ix *Index) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// gather waits, after a first event, until BatchSize events arrived or BatchDelay passed.
func (ix *Index) gather(ctx context.Context, sub *subscription) {
	timer := time.NewTimer(ix.opts.BatchDelay)
	defer timer.Stop()
	for n := 1; n < ix.opts.BatchSize; n++ {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			return
		case _, ok := <-sub.c():
			if !ok {
				return
			}
		}
	}
}

// subscription wraps a hub subscription that may be absent (no hub).
type subscription struct{ s *events.Subscription }

func (ix *Index) subscribe() *subscription {
	if ix.hub == nil {
		return &subscription{}
	}

	return &subscription{s: ix.hub.Subscribe(ix.opts.BatchSize)}
}

func (s *subscription) c() <-chan domain.Activity {
	if s.s == nil {
		return nil
	}

	return s.s.C
}

func (s *subscription) close() {
	if s.s != nil {
		s.s.Close()
	}
}

// catchUp indexes every activity entry after the index's position, a batch at a time.
func (ix *Index) catchUp(ctx context.Context) error {
	for ctx.Err() == nil {
		ix.writeMu.Lock()
		more, err := ix.step()
		ix.writeMu.Unlock()
		if err != nil || !more {
			return err
		}
	}

	return nil
}

// step indexes one batch of activity; it reports whether entries were found. The caller
// holds writeMu.
func (ix *Index) step() (bool, error) {
	if ix.bleve == nil || ix.isClosed() {
		return false, ErrClosed
	}

	after := ix.seq.Load()
	var entries []domain.Activity
	err := ix.store.View(func(tx *store.Tx) error {
		var err error
		entries, err = tx.ActivitySince(after, ix.opts.BatchSize)
		return err
	})
	if err != nil || len(entries) == 0 {
		return false, err
	}

	p := newPlan()
	for _, a := range entries {
		p.add(a)
	}

	last := entries[len(entries)-1].Seq
	if err := ix.apply(p, last); err != nil {
		return false, fmt.Errorf("index activity %d to %d: %w", after+1, last, err)
	}

	return true, nil
}

// plan is the set of records a run of activity entries asks to re-read.
type plan struct {
	tasks, comments, files, milestones, docs, folderFiles map[domain.ID]struct{}
	// changedTasks are the tasks whose comments and files may need new facts: all
	// planned tasks but those only created in this run.
	changedTasks map[domain.ID]struct{}
	// changedDocs are the docs whose comments may need new facts: those shared,
	// unshared or deleted in this run.
	changedDocs map[domain.ID]struct{}
}

func newPlan() *plan {
	return &plan{tasks: map[domain.ID]struct{}{}, comments: map[domain.ID]struct{}{},
		files: map[domain.ID]struct{}{}, milestones: map[domain.ID]struct{}{},
		docs: map[domain.ID]struct{}{}, folderFiles: map[domain.ID]struct{}{},
		changedTasks: map[domain.ID]struct{}{}, changedDocs: map[domain.ID]struct{}{}}
}

// add notes what an entry changed. Project, membership and client changes need nothing:
// searches apply them live (see clientFilter). A task change may change the facts of its
// comments and files; a milestone change those of its tasks and theirs; a doc's shared
// switch, or its deletion, those of its comments.
func (p *plan) add(a domain.Activity) {
	switch a.Action {
	case domain.ActionTaskCreated:
		p.tasks[a.TaskID] = struct{}{}
	case domain.ActionTaskUpdated, domain.ActionTaskCompleted, domain.ActionTaskReopened,
		domain.ActionTaskDeleted:
		p.tasks[a.TaskID] = struct{}{}
		p.changedTasks[a.TaskID] = struct{}{}
	case domain.ActionCommentAdded, domain.ActionCommentDeleted:
		p.comments[a.ObjectID] = struct{}{}
	case domain.ActionFileUploaded, domain.ActionFileDeleted:
		p.files[a.ObjectID] = struct{}{}
	case domain.ActionMilestoneUpdated, domain.ActionMilestoneDeleted:
		p.milestones[a.ObjectID] = struct{}{}
	case domain.ActionDocCreated, domain.ActionDocUpdated, domain.ActionDocRestored:
		p.docs[a.DocID] = struct{}{}
	case domain.ActionDocShared, domain.ActionDocUnshared, domain.ActionDocDeleted:
		p.docs[a.DocID] = struct{}{}
		p.changedDocs[a.DocID] = struct{}{}
	case domain.ActionFolderFileAdded, domain.ActionFolderFileUpdated,
		domain.ActionFolderFileRemoved, domain.ActionFolderFileShared,
		domain.ActionFolderFileUnshared:
		p.folderFiles[a.ObjectID] = struct{}{}
	}
}

// apply re-reads the planned records, writes them, repairs the documents whose facts
// they changed, and records seq as the index's position in the final write. Writes before
// the final one carry no position, so a crash replays the whole run, which is harmless:
// every step reads the current database.
func (ix *Index) apply(p *plan, seq uint64) error {
	w := ix.newWriter()
	if err := ix.resyncAll(w, KindTask, p.tasks); err != nil {
		return err
	}

	for id := range p.changedTasks {
		if err := w.repair(staleUnderTask(id)); err != nil {
			return err
		}
	}

	for id := range p.milestones {
		if err := w.repair(staleUnderMilestone(id)); err != nil {
			return err
		}
	}

	if err := ix.resyncAll(w, KindDoc, p.docs); err != nil {
		return err
	}

	for id := range p.changedDocs {
		if err := w.repair(staleUnderDoc(id)); err != nil {
			return err
		}
	}

	if err := ix.resyncAll(w, KindComment, p.comments); err != nil {
		return err
	}

	if err := ix.resyncAll(w, KindFile, p.files); err != nil {
		return err
	}

	if err := ix.resyncAll(w, KindFolderFile, p.folderFiles); err != nil {
		return err
	}

	if err := w.flush(map[string][]byte{string(keySeq): u64(seq)}); err != nil {
		return err
	}

	ix.seq.Store(seq)
	return nil
}

// resyncAll resyncs records of one kind, in chunks of one database read each.
func (ix *Index) resyncAll(w *writer, kind Kind, ids map[domain.ID]struct{}) error {
	chunk := make([]domain.ID, 0, ix.opts.BatchSize)
	run := func() error {
		err := ix.store.View(func(tx *store.Tx) error {
			for _, id := range chunk {
				if err := w.resync(tx, kind, id); err != nil {
					return fmt.Errorf("read %s %s: %w", kind, id, err)
				}
			}
			return nil
		})
		chunk = chunk[:0]
		if err != nil || !w.full() {
			return err
		}
		return w.flush(nil)
	}

	for id := range ids {
		if chunk = append(chunk, id); len(chunk) == cap(chunk) {
			if err := run(); err != nil {
				return err
			}
		}
	}

	return run()
}

// staleUnderTask selects a task's comments and files whose facts differ from the task's
// current ones; all of the task's documents once the task is gone.
func staleUnderTask(taskID domain.ID) func(*store.Tx) query.Query {
	return func(tx *store.Tx) query.Query {
		mine := term(fieldTaskID, string(taskID))
		t, err := tx.Task(taskID)
		if err != nil {
			return mine
		}
		fresh := query.NewDisjunctionQuery([]query.Query{
			term(fieldKind, string(KindTask)), term(fieldChain, factsOf(tx, t).chain())})
		return query.NewBooleanQuery([]query.Query{mine}, nil, []query.Query{fresh})
	}
}

// staleUnderMilestone selects documents filed under a milestone whose milestone_hidden
// fact differs from the milestone's current state; all of them once it is gone.
func staleUnderMilestone(milestoneID domain.ID) func(*store.Tx) query.Query {
	return func(tx *store.Tx) query.Query {
		mine := term(fieldMilestoneID, string(milestoneID))
		m, err := tx.Milestone(milestoneID)
		if err != nil {
			return mine
		}
		fresh := boolTerm(fieldMilestoneHidden, !m.Shared)
		return query.NewBooleanQuery([]query.Query{mine}, nil, []query.Query{fresh})
	}
}

func (ix *Index) isClosed() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.closed
}
