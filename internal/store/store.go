// Package store keeps every Portico record in one bbolt file. It owns the bucket layout,
// the schema version and its migrations, secondary indexes and the hash-chained activity
// log. Values are copied out of transactions as decoded structs, so nothing read here
// points into bbolt's memory after a transaction ends.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"portico/internal/domain"
)

// ErrInUse is returned by Open when another process holds the data folder.
var ErrInUse = errors.New("data folder is in use")

// InUseError says which process holds the data folder.
type InUseError struct {
	Path string
	PID  int
}

func (e *InUseError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s is in use by another Portico (process %d)", e.Path, e.PID)
	}
	return fmt.Sprintf("%s is in use by another process", e.Path)
}

// Unwrap lets errors.Is match ErrInUse.
func (e *InUseError) Unwrap() error { return ErrInUse }

// Store is the open database. It is safe for concurrent use.
type Store struct {
	db       *bolt.DB
	pidPath  string
	onCommit func([]domain.Activity)
	// writers counts Batch calls in flight.
	writers atomic.Int32
}

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process to release the file.
	LockTimeout time.Duration
	// NoSync skips fsync; only benchmarks that measure something else set it.
	NoSync bool
}

// Open opens (creating if needed) the database at path, creates every bucket and migrates
// the schema in one transaction. If another process holds the file it fails within the
// lock timeout with an *InUseError.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout == 0 {
		opts.LockTimeout = 1500 * time.Millisecond
	}
	pidPath := filepath.Join(filepath.Dir(path), "portico.pid")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &InUseError{Path: filepath.Dir(path), PID: readPID(pidPath)}
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.MaxBatchSize = 32
	db.MaxBatchDelay = time.Millisecond

	s := &Store{db: db, pidPath: pidPath}
	if err := db.Update(migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare database %s: %w", path, err)
	}
	if err := os.WriteFile(pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("write pid file: %w", err)
	}
	return s, nil
}

func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// Close closes the database.
func (s *Store) Close() error {
	os.Remove(s.pidPath)
	return s.db.Close()
}

// OnCommit registers fn to receive the activity entries of each committed write, in log
// order. It is called after the commit, outside the transaction, and must not block long.
// Set it before the first write.
func (s *Store) OnCommit(fn func([]domain.Activity)) { s.onCommit = fn }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error {
		return fn(&Tx{tx: btx})
	})
}

// Update runs fn in one durable read-write transaction. Activity appended by fn is
// published to the commit hook once the transaction is on disk.
func (s *Store) Update(fn func(*Tx) error) error {
	var tx *Tx
	err := s.db.Update(func(btx *bolt.Tx) error {
		tx = &Tx{tx: btx, now: time.Now().UTC()}
		return fn(tx)
	})
	s.publish(tx, err)
	return err
}

// Batch is Update for small writes from many goroutines at once: bbolt may merge several
// into one durable transaction. A lone writer goes straight to Update, so it never waits
// for the batch timer. fn may run more than once, so it must not have side effects
// outside the transaction.
func (s *Store) Batch(fn func(*Tx) error) error {
	if s.writers.Add(1) == 1 {
		defer s.writers.Add(-1)
		return s.Update(fn)
	}
	defer s.writers.Add(-1)
	var tx *Tx
	err := s.db.Batch(func(btx *bolt.Tx) error {
		tx = &Tx{tx: btx, now: time.Now().UTC()}
		return fn(tx)
	})
	s.publish(tx, err)
	return err
}

func (s *Store) publish(tx *Tx, err error) {
	if err != nil || tx == nil || len(tx.logged) == 0 || s.onCommit == nil {
		return
	}
	s.onCommit(tx.logged)
}

// Tx is a transaction. A Tx and the values it returns must not be used after the function
// given to View or Update returns.
type Tx struct {
	tx     *bolt.Tx
	now    time.Time
	logged []domain.Activity
}

// Now is the server time of this write transaction, the same for every record it touches.
func (tx *Tx) Now() time.Time {
	if tx.now.IsZero() {
		return time.Now().UTC()
	}
	return tx.now
}

// Check verifies the database's internal consistency; tests call it before closing.
func (s *Store) Check() error {
	return s.db.View(func(btx *bolt.Tx) error {
		for err := range btx.Check() {
			return err
		}
		return nil
	})
}

// DB exposes the underlying bbolt handle for backups.
func (s *Store) DB() *bolt.DB { return s.db }
