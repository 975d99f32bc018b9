// Package search owns Portico's full-text index: tasks, project docs, comments on either,
// and the names of attached files and folder files, indexed with bleve under DATA/index.
// The index is derived: the database stays the source of truth, and the index can be
// dropped and rebuilt from it at any time.
//
// An Index is opened once per process. Its Run loop follows committed activity (woken by
// the event hub, reading the activity log) and writes the affected records in batches,
// storing the last indexed activity sequence inside the index so a restart resumes there.
// When the mapping version changes, or the index is missing or damaged, Run rebuilds it
// in the background; until it is done, searches fail with ErrRebuilding.
//
// Staff and Client search. User text is never query syntax: queries are built in code,
// and what a client may see is a separate conjunction built from the access policy that
// user text cannot alter. Every hit is then re-checked against the policy (or the staff
// rights) in a database read before it is returned or counted.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"

	"portico/internal/events"
	"portico/internal/store"
)

// ErrRebuilding is returned by searches while the index is being built from the
// database. Callers show it as such ("search is being rebuilt, try again in a moment"),
// never as an empty result.
var ErrRebuilding = errors.New("the search index is being rebuilt")

// ErrClosed is returned by searches after Close.
var ErrClosed = errors.New("the search index is closed")

// Options tune an Index; the zero value is ready to use.
type Options struct {
	// Logger receives rebuilds and indexing failures; nil discards them.
	Logger *slog.Logger
	// BatchSize bounds the activity entries read, and the documents written, per index
	// write. Default 1,000.
	BatchSize int
	// BatchDelay is how long the indexer gathers further changes after the first one
	// before writing. Default 200 ms.
	BatchDelay time.Duration
	// PollInterval is how often the indexer looks at the activity log when no event
	// arrives, as a safety net (and the only trigger when the hub is nil). Default 5 s.
	PollInterval time.Duration
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}

	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}

	if o.BatchDelay <= 0 {
		o.BatchDelay = 200 * time.Millisecond
	}

	if o.PollInterval <= 0 {
		o.PollInterval = 5 * time.Second
	}
}

// Index is the search index. Its methods are safe for concurrent use.
type Index struct {
	dir   string
	store *store.Store
	hub   *events.Hub
	log   *slog.Logger
	opts  Options

	// words and cjk are the mapping's analyzers, used to read query text and to mark
	// matches in snippets exactly as the index saw them.
	words, cjk analysis.Analyzer

	// mu guards the bleve handle and the ready flag; searches hold it for reading.
	mu     sync.RWMutex
	bleve  bleve.Index
	ready  bool
	closed bool

	// pendingMu guards pending, why a rebuild is needed ("" when none), and lastDamage;
	// it is never held with mu, so a search holding mu may ask for a rebuild.
	pendingMu  sync.Mutex
	pending    string
	lastDamage time.Time
	// wake tells Run a rebuild was asked for.
	wake chan struct{}

	// writeMu serializes index writers: the indexer's batches and rebuilds.
	writeMu sync.Mutex
	seq     atomic.Uint64

	closing  context.Context
	stop     context.CancelFunc
	running  sync.WaitGroup
	rebuilds atomic.Int64
	written  atomic.Uint64
}

// Open opens the index in dir, creating it when missing. A missing, damaged or outdated
// index is replaced by an empty one at once and marked for a rebuild, which Run (or
// Rebuild) performs; Open itself never reads the whole database. hub may be nil when
// nothing will be written while the index is open (the offline reindex command).
func Open(dir string, st *store.Store, hub *events.Hub, opts Options) (*Index, error) {
	opts.defaults()
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}

	ix := &Index{dir: dir, store: st, hub: hub, log: opts.Logger, opts: opts,
		wake: make(chan struct{}, 1)}
	ix.words, ix.cjk = m.AnalyzerNamed(analyzerWords), m.AnalyzerNamed(analyzerCJK)
	if ix.words == nil || ix.cjk == nil {
		return nil, errors.New("search mapping: an analyzer is missing")
	}

	opened, err := openIndex(dir, m)
	if err != nil {
		return nil, err
	}

	ix.bleve, ix.pending = opened.index, opened.rebuildReason
	ix.ready = opened.rebuildReason == ""
	ix.seq.Store(opened.seq)
	ix.closing, ix.stop = context.WithCancel(context.Background())
	if ix.pending != "" {
		ix.log.Info("search index needs a rebuild", "path", dir, "reason", ix.pending)
	}

	return ix, nil
}

// Status reports whether searches are served (false while rebuilding) and how many
// activity entries the index is behind the database.
func (ix *Index) Status() (ready bool, lag uint64) {
	ix.mu.RLock()
	ready = ix.ready && !ix.closed
	ix.mu.RUnlock()
	var last uint64
	ix.store.View(func(tx *store.Tx) error {
		last = tx.LastActivitySeq()
		return nil
	})
	if seq := ix.seq.Load(); last > seq {
		lag = last - seq
	}

	return ready, lag
}

// Stats are counters for metrics and tests.
type Stats struct {
	// Seq is the last activity entry reflected in the index.
	Seq uint64
	// Rebuilds counts full rebuilds since Open.
	Rebuilds int64
	// Written counts documents written or deleted since Open, rebuilds included.
	Written uint64
}

// Stats returns the index's counters.
func (ix *Index) Stats() Stats {
	return Stats{Seq: ix.seq.Load(), Rebuilds: ix.rebuilds.Load(), Written: ix.written.Load()}
}

// Close stops the indexer, waits for a write in progress, and closes the index.
func (ix *Index) Close() error {
	ix.stop()
	ix.running.Wait()
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}

	ix.closed = true
	if ix.bleve == nil {
		return nil
	}

	if err := ix.bleve.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}

	return nil
}

// available says whether searches are served now, without holding the index.
func (ix *Index) available() error {
	_, release, err := ix.reader()
	if err == nil {
		release()
	}

	return err
}

// reader returns the bleve handle for a search, with the read lock held; the caller
// calls release when done. It fails while the index is not ready.
func (ix *Index) reader() (bleve.Index, func(), error) {
	ix.mu.RLock()
	switch {
	case ix.closed:
		ix.mu.RUnlock()
		return nil, nil, ErrClosed
	case !ix.ready:
		ix.mu.RUnlock()
		return nil, nil, ErrRebuilding
	}

	return ix.bleve, ix.mu.RUnlock, nil
}
