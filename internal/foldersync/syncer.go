package foldersync

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.
const (
	// DefaultStability is the default Options.Stability: how long a file's size and
	// time must hold still before it is imported.
	DefaultStability = 3 * time.Second
	// DefaultWriteHold is the default Options.WriteHold.
	DefaultWriteHold = time.Minute
	// DefaultRescanInterval is the default Options.RescanInterval.
	DefaultRescanInterval = time.Minute
	// DefaultRootCheckInterval is the default Options.RootCheckInterval.
	DefaultRootCheckInterval = 5 * time.Second
)

// Options tune a Syncer. Zero values take the defaults.
type Options struct {
	// Stability is how long a file must see no event, and keep its size and modification
	// time, before it is imported. It should exceed the longest pause of a slow copy.
	Stability time.Duration
	// WriteHold is how long a file that held still is still left alone while a program
	// has it open for writing (a copy from a slow network share that paused). Past it, the
	// file is imported anyway, since some programs keep the files they show open for
	// writing; a copy that then goes on is imported again when it completes. Where the
	// system cannot tell (not Linux, a file of another user, a network file system), only
	// Stability applies.
	WriteHold time.Duration
	// RescanInterval is how often a degraded folder (not every subfolder could be watched)
	// is read again in full.
	RescanInterval time.Duration
	// RootCheckInterval is how often a linked folder is checked for presence, which
	// notices an unmounted drive (no event says so), and how often an offline folder is
	// looked for.
	RootCheckInterval time.Duration
	// Allow, when set, is asked about a project's folder each time it is found, with every
	// symbolic link resolved: at link, at start and whenever it was missing or replaced.
	// An error keeps the folder offline with the error's words, so a linked folder later
	// swapped for a link to somewhere the host does not allow is never read.
	Allow func(projectID, dir string) error
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger

	// addWatch replaces (*fsnotify.Watcher).Add in tests, to simulate the watch limit
	// without touching the machine's settings.
	addWatch func(w *fsnotify.Watcher, name string) error
}

func (o Options) withDefaults() Options {
	if o.Stability <= 0 {
		o.Stability = DefaultStability
	}
	if o.WriteHold <= 0 {
		o.WriteHold = DefaultWriteHold
	}
	if o.RescanInterval <= 0 {
		o.RescanInterval = DefaultRescanInterval
	}
	if o.RootCheckInterval <= 0 {
		o.RootCheckInterval = DefaultRootCheckInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.addWatch == nil {
		o.addWatch = (*fsnotify.Watcher).Add
	}
	return o
}

// Syncer keeps the linked folders of any number of projects, one folder per project, in
// step with a Sink. Its methods are safe for concurrent use.
type Syncer struct {
	sink Sink
	opts Options

	mu      sync.Mutex
	folders map[string]*folder
	closed  bool
}

// New returns a Syncer reporting to sink. Nothing is watched until Link.
func New(sink Sink, opts Options) *Syncer {
	return &Syncer{sink: sink, opts: opts.withDefaults(), folders: map[string]*folder{}}
}

// Link starts keeping dir, an absolute path, in step with the project: it asks the Sink
// what it has, scans the folder, reconciles, and then watches it, all in the background,
// reporting progress through Sink.Status. A folder that is missing is reported offline and
// looked for every RootCheckInterval. Linking a project again replaces its previous folder.
// In serve mode, pass a path that CheckUnderRoot accepted.
func (s *Syncer) Link(projectID, dir string) error {
	return s.link(projectID, dir, false)
}

// LinkNew is Link for a folder the project was not linked to before. Its first scan
// trusts an empty folder (the project's files from its previous folder are removed)
// where Link would take it for a drive not mounted.
func (s *Syncer) LinkNew(projectID, dir string) error {
	return s.link(projectID, dir, true)
}

func (s *Syncer) link(projectID, dir string, fresh bool) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("link folder %q: path must be absolute", dir)
	}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	old := s.folders[projectID]
	f := newFolder(projectID, filepath.Clean(dir), s.sink, s.opts)
	f.fresh = fresh
	s.folders[projectID] = f
	s.mu.Unlock()

	// The new folder starts once the old one stopped, so Sink calls for one project never
	// overlap.
	if old != nil {
		old.stop()
	}
	go f.run()
	return nil
}

// Unlink stops watching the project's folder. It changes nothing in the Sink or on disk.
func (s *Syncer) Unlink(projectID string) {
	s.mu.Lock()
	f := s.folders[projectID]
	delete(s.folders, projectID)
	s.mu.Unlock()

	if f != nil {
		f.stop()
	}
}

// Close stops watching every folder and waits until no Sink call is running. It is safe to
// call more than once.
func (s *Syncer) Close() error {
	s.mu.Lock()
	s.closed = true
	folders := s.folders
	s.folders = map[string]*folder{}
	s.mu.Unlock()

	for _, f := range folders {
		f.stop()
	}
	return nil
}

func (s *Syncer) folder(projectID string) (*folder, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	f := s.folders[projectID]
	if f == nil {
		return nil, ErrNotLinked
	}
	return f, nil
}
