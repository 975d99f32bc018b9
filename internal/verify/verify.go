// Package verify checks a data folder's integrity: the database file's pages, the
// activity log's hash chain, and the contents of every file record. It reports each
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
	ActivityEntries uint64
	FileRecords     int
	Contents        int
	Problems        int
}

// String says what was checked and how many problems were found, in one line.
func (s Summary) String() string {
	return fmt.Sprintf("checked the database file, %d activity entries and %d file records "+
		"(%d distinct contents): %d problems", s.ActivityEntries, s.FileRecords, s.Contents,
		s.Problems)
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
	return sum, checkContents(ctx, st, blobs, files, &sum, count)
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

// fileRecords lists every file record, a chunk per short read transaction.
func fileRecords(ctx context.Context, st *store.Store) ([]domain.File, error) {
	const chunk = 1000
	var all []domain.File
	after := domain.ID("")
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var batch []domain.File
		err := st.View(func(tx *store.Tx) error {
			var err error
			batch, err = tx.FilesAfter(after, chunk)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("list file records: %w", err)
		}
		all = append(all, batch...)
		if len(batch) < chunk {
			return all, nil
		}
		after = batch[len(batch)-1].ID
	}
}

// checkContents hashes each distinct content once, outside any transaction, and reports
// every record that refers to a missing or changed one.
func checkContents(ctx context.Context, st *store.Store, blobs *blob.Store, files []domain.File,
	sum *Summary, report func(string)) error {
	bySHA := map[string][]domain.File{}
	var order []string
	for _, f := range files {
		if _, seen := bySHA[f.SHA256]; !seen {
			order = append(order, f.SHA256)
		}
		bySHA[f.SHA256] = append(bySHA[f.SHA256], f)
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
		for _, f := range bySHA[sha] {
			if stillRecorded(st, f.ID) {
				report(fmt.Sprintf("file %s %q (task %s): %s", f.ID, f.Name, f.TaskID,
					describe(sha, err)))
			}
		}
	}
	return nil
}

// stillRecorded tells a real problem from a record deleted (with its contents) while the
// check ran: it looks again once the writes in flight have finished.
func stillRecorded(st *store.Store, id domain.ID) bool {
	found := true
	_ = st.Snapshot(func(tx *store.Tx) error {
		_, err := tx.File(id)
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
