// Package verify checks a data folder's integrity: the database file's pages, the
// activity log's hash chain, and the contents of every file and live folder-file record. It reports each
// problem it finds instead of stopping at the first, so one run tells an operator
// everything that needs attention. It may run while the server takes writes.
package verify

import (
	"context"
	"errors"
	"fmt"

	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/store"
)

// Summary says what a check covered and how many problems it found.
type Summary struct {
	ActivityEntries   uint64
	FileRecords       int
	FolderFileRecords int // live ones only: a deleted folder file keeps no contents
	Contents          int
	Problems          int
}

// String says what was checked and how many problems were found, in one line.
func (s Summary) String() string {
	return fmt.Sprintf("checked the database file, %d activity entries, %d file records and "+
		"%d folder-file records (%d distinct contents): %d problems", s.ActivityEntries,
		s.FileRecords, s.FolderFileRecords, s.Contents, s.Problems)
}

// Folder checks the store and the file contents, calling report with one line per problem
// as it is found, and returns the summary. The error is for a check that could not run
// to the end (the context ended, the database could not be read); problems found are not
// errors.
func Folder(ctx context.Context, st *store.Store, blobs *blob.Store,
	report func(string)) (Summary, error) {
	var sum Summary
	count := func(line string) {
		sum.Problems++
		report(line)
	}
	if err := checkDatabase(st, &sum, count); err != nil {
		return sum, err
	}
	files, err := fileRecords(ctx, st)
	if err != nil {
		return sum, err
	}
	sum.FileRecords = len(files)

	folderFiles, err := folderFileRecords(ctx, st)
	if err != nil {
		return sum, err
	}
	sum.FolderFileRecords = len(folderFiles)
	return sum, checkContents(ctx, st, blobs, append(files, folderFiles...), &sum, count)
}

// record is a file or folder-file record as the contents check sees it.
type record struct {
	id    domain.ID
	sha   string
	label string // how a report names it
	// folder is true for a folder file, which is gone once marked deleted.
	folder bool
}

// checkDatabase runs bbolt's page check and walks the activity log's hash chain, in one
// read transaction.
func checkDatabase(st *store.Store, sum *Summary, report func(string)) (err error) {
	defer func() {
		// bbolt panics on some kinds of damaged pages; that is a finding, not a crash.
		if r := recover(); r != nil {
			report(fmt.Sprintf("database: cannot be read: %v", r))
			err = errors.New("the database is too damaged to check further")
		}
	}()
	return st.View(func(tx *store.Tx) error {
		for _, problem := range tx.CheckFile() {
			report("database: " + problem.Error())
		}
		sum.ActivityEntries = tx.LastActivitySeq()
		breaks, err := tx.VerifyActivity()
		if err != nil {
			return fmt.Errorf("walk the activity log: %w", err)
		}
		for _, b := range breaks {
			if b.Seq == 0 {
				report("activity log: " + b.Reason)
				continue
			}
			report(fmt.Sprintf("activity entry %d: %s", b.Seq, b.Reason))
		}
		return nil
	})
}

// fileRecords lists every file record.
func fileRecords(ctx context.Context, st *store.Store) ([]record, error) {
	files, err := scanRecords(ctx, st, (*store.Tx).FilesAfter, func(f domain.File) domain.ID {
		return f.ID
	})
	if err != nil {
		return nil, fmt.Errorf("list file records: %w", err)
	}
	out := make([]record, 0, len(files))
	for _, f := range files {
		out = append(out, record{id: f.ID, sha: f.SHA256,
			label: fmt.Sprintf("file %s %q (task %s)", f.ID, f.Name, f.TaskID)})
	}
	return out, nil
}

// folderFileRecords lists every live folder-file record.
func folderFileRecords(ctx context.Context, st *store.Store) ([]record, error) {
	files, err := scanRecords(ctx, st, (*store.Tx).FolderFilesAfter,
		func(f domain.FolderFile) domain.ID { return f.ID })
	if err != nil {
		return nil, fmt.Errorf("list folder-file records: %w", err)
	}
	var out []record
	for _, f := range files {
		if f.Deleted {
			continue
		}
		out = append(out, record{id: f.ID, sha: f.SHA256, folder: true,
			label: fmt.Sprintf("folder file %s %q (project %s)", f.ID, f.Rel, f.ProjectID)})
	}
	return out, nil
}

// scanRecords reads a whole bucket through after, a chunk per short read transaction.
func scanRecords[T any](ctx context.Context, st *store.Store,
	after func(*store.Tx, domain.ID, int) ([]T, error), id func(T) domain.ID) ([]T, error) {
	const chunk = 1000
	var all []T
	last := domain.ID("")
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var batch []T
		err := st.View(func(tx *store.Tx) error {
			var err error
			batch, err = after(tx, last, chunk)
			return err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, batch...)
		if len(batch) < chunk {
			return all, nil
		}
		last = id(batch[len(batch)-1])
	}
}

// checkContents hashes each distinct content once, outside any transaction, and reports
// every record that refers to a missing or changed one.
func checkContents(ctx context.Context, st *store.Store, blobs *blob.Store, records []record,
	sum *Summary, report func(string)) error {
	bySHA := map[string][]record{}
	var order []string
	for _, r := range records {
		if _, seen := bySHA[r.sha]; !seen {
			order = append(order, r.sha)
		}
		bySHA[r.sha] = append(bySHA[r.sha], r)
	}
	sum.Contents = len(order)
	for _, sha := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := blobs.Verify(sha)
		if err == nil {
			continue
		}
		for _, r := range bySHA[sha] {
			if stillRecorded(st, r) {
				report(r.label + ": " + describe(sha, err))
			}
		}
	}
	return nil
}

// stillRecorded tells a real problem from a record deleted (with its contents) while the
// check ran: it looks again once the writes in flight have finished.
func stillRecorded(st *store.Store, r record) bool {
	found := true
	_ = st.Snapshot(func(tx *store.Tx) error {
		if r.folder {
			f, err := tx.FolderFile(r.id)
			found = !errors.Is(err, domain.ErrNotFound) && !f.Deleted
			return nil
		}
		_, err := tx.File(r.id)
		found = !errors.Is(err, domain.ErrNotFound)
		return nil
	})
	return found
}

func describe(sha string, err error) string {
	switch {
	case errors.Is(err, blob.ErrNotFound):
		return "contents missing (" + sha + ")"
	case errors.Is(err, blob.ErrCorrupt):
		return "contents corrupt (they no longer hash to " + sha + ")"
	}
	return "contents cannot be read: " + err.Error()
}
