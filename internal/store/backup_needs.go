package store

import (
	"fmt"
	"io"
)

// What backups and `portico verify` need from the store: a snapshot that follows every
// write in flight, the raw file of that snapshot, and bbolt's own consistency check.

// Snapshot runs fn in a read-only transaction that begins only after every write in flight
// has finished (committed or rolled back). A write may act outside the database before it
// commits (deleting a file's contents, say); waiting for it means fn never sees a record
// whose outside counterpart that write already removed. Writes that start later do not
// affect fn's view.
func (s *Store) Snapshot(fn func(*Tx) error) error {
	// Taking the writer lock and letting go of it at once is the barrier: bbolt admits one
	// writer at a time, so Begin returns only when the writers before it are done.
	wtx, err := s.db.Begin(true)
	if err != nil {
		return fmt.Errorf("wait for writes in flight: %w", err)
	}
	if err := wtx.Rollback(); err != nil {
		return fmt.Errorf("wait for writes in flight: %w", err)
	}
	return s.View(fn)
}

// Size is the length in bytes of the database file as this transaction sees it, which is
// what WriteTo writes.
func (tx *Tx) Size() int64 { return tx.tx.Size() }

// WriteTo writes a consistent copy of the whole database file, as this transaction sees
// it, to w. The copy opens as a database of its own.
func (tx *Tx) WriteTo(w io.Writer) (int64, error) {
	n, err := tx.tx.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("copy database: %w", err)
	}
	return n, nil
}

// CheckFile runs bbolt's consistency check of the database file's pages and returns every
// problem it finds; none means the file is sound.
func (tx *Tx) CheckFile() []error {
	var problems []error
	for err := range tx.tx.Check() {
		problems = append(problems, err)
	}
	return problems
}
