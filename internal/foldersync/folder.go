package foldersync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// folder keeps one project's linked folder in step. Its run goroutine owns the watcher,
// the pending checks and the scans; mu guards what WriteIncoming shares with it.
type folder struct {
	projectID string
	root      string // as linked: absolute and clean
	sink      Sink
	opts      Options
	log       *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	dir    string            // root with symbolic links resolved; "" while offline
	index  map[string]*entry // what the Sink has, by NFC name
	shadow map[string]map[string]bool

	// Owned by the run goroutine.
	watcher  *fsnotify.Watcher
	watched  map[string]bool
	limit    string // why not every folder is watched; "" when all are
	rootID   fileID // the folder's device and inode while watched
	gone     bool   // the folder was found missing; stop watching
	fresh    bool   // newly linked: an empty folder is not taken for an unmounted drive
	pending  map[string]*pending
	timer    *time.Timer
	armedAt  time.Time // when timer fires; zero when stopped
	reported Status
}

// entry is a file the Sink has.
type entry struct {
	disk    string // the spelling on disk, "" until a scan found it
	file    File
	writing bool // WriteIncoming is placing it; the watcher leaves it alone
}

func newFolder(projectID, root string, sink Sink, opts Options) *folder {
	ctx, cancel := context.WithCancel(context.Background())
	return &folder{
		projectID: projectID,
		root:      root,
		sink:      sink,
		opts:      opts,
		log:       opts.Logger.With("project_id", projectID),
		ctx:       ctx,
		cancel:    cancel,
		done:      make(chan struct{}),
		index:     map[string]*entry{},
		shadow:    map[string]map[string]bool{},
		pending:   map[string]*pending{},
	}
}

func (f *folder) stop() {
	f.cancel()
	<-f.done
}

// run loads what the Sink has, then alternates between waiting for the folder to be
// present and watching it, until stopped.
func (f *folder) run() {
	defer close(f.done)
	defer f.release()

	if f.ctx.Err() != nil || !f.loadKnown() {
		return
	}
	for f.ctx.Err() == nil {
		if !f.waitForRoot() {
			return
		}
		if !f.start() {
			f.release()
			if !f.sleep(f.opts.RootCheckInterval) {
				return
			}
			continue
		}
		f.watch()
		f.release()
	}
}

// loadKnown fills the index from Sink.Known, retrying until it succeeds or the folder is
// stopped.
func (f *folder) loadKnown() bool {
	for {
		known, err := f.sink.Known(f.ctx, f.projectID)
		if err == nil {
			f.mu.Lock()
			for _, k := range known {
				k.Rel = relName(k.Rel)
				f.index[k.Rel] = &entry{file: k}
			}
			f.mu.Unlock()
			return true
		}
		if f.ctx.Err() != nil {
			return false
		}
		f.log.Error("folder sync: list known files", "error", err)
		f.setStatus(Status{State: StateDegraded,
			Message: "Portico could not read this project's folder records; it will try again."})
		if !f.sleep(f.opts.RootCheckInterval) {
			return false
		}
	}
}

// start opens a watcher and scans the whole folder. It reports false, with the folder
// offline, when the folder is there but cannot be read.
func (f *folder) start() bool {
	f.setStatus(Status{State: StateScanning})
	f.gone = false
	f.watched = map[string]bool{}
	f.timer = time.NewTimer(time.Hour)
	f.timer.Stop()
	f.armedAt = time.Time{}

	f.mu.Lock()
	clear(f.shadow)
	f.mu.Unlock()

	if err := readable(f.dir); err != nil {
		f.log.Error("folder sync: read folder", "path", f.dir, "error", err)
		f.setStatus(Status{State: StateOffline, Message: fmt.Sprintf(
			"Portico cannot read the folder %s (%v). Nothing is removed from the project.",
			f.root, err)})
		return false
	}
	f.openWatcher()
	f.fullScan()
	return true
}

// openWatcher creates the watcher if there is none; when that fails (the limit on
// watchers), the folder is degraded and rescans try again.
func (f *folder) openWatcher() {
	if f.watcher != nil {
		return
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		f.log.Warn("folder sync: start watcher", "error", err)
		f.limit = limitMessage(err, f.opts.RescanInterval)
		return
	}
	f.watcher = w
}

// release closes the watcher and forgets pending checks; the index stays.
func (f *folder) release() {
	if f.watcher != nil {
		_ = f.watcher.Close()
		f.watcher = nil
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	clear(f.pending)
	f.mu.Lock()
	f.dir = ""
	f.mu.Unlock()
}

// watch handles events, due checks and periodic checks until the folder is gone or the
// folder sync stops.
func (f *folder) watch() {
	rootTicker := time.NewTicker(f.opts.RootCheckInterval)
	defer rootTicker.Stop()
	rescanTicker := time.NewTicker(f.opts.RescanInterval)
	defer rescanTicker.Stop()

	for !f.gone {
		var events <-chan fsnotify.Event
		var errs <-chan error
		if f.watcher != nil {
			events, errs = f.watcher.Events, f.watcher.Errors
		}
		select {
		case <-f.ctx.Done():
			return
		case ev := <-events:
			f.handle(ev)
		case err := <-errs:
			f.watchError(err)
		case <-f.timer.C:
			f.armedAt = time.Time{}
			f.processDue()
		case <-rootTicker.C:
			if !f.rootStill() {
				f.gone = true
			}
		case <-rescanTicker.C:
			if f.limit != "" {
				f.fullScan()
			}
		}
	}
}

func (f *folder) watchError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		f.log.Warn("folder sync: too many changes at once, reading the folder again")
		f.fullScan()
		return
	}
	f.log.Warn("folder sync: watcher", "error", err)
}

// sleep waits d and reports false if the folder sync stopped meanwhile.
func (f *folder) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-f.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// setStatus tells the Sink about a new state, once.
func (f *folder) setStatus(s Status) {
	if s == f.reported {
		return
	}
	f.reported = s
	f.sink.Status(f.projectID, s)
}

// reportWatching sets the status after a scan: online when every folder is watched.
func (f *folder) reportWatching() {
	if f.limit != "" {
		f.setStatus(Status{State: StateDegraded, Message: f.limit})
		return
	}
	f.setStatus(Status{State: StateOnline})
}

// abs is the path on disk of a slash-separated relative path.
func (f *folder) abs(disk string) string {
	if disk == "" {
		return f.dir
	}
	return filepath.Join(f.dir, filepath.FromSlash(disk))
}

// relOf is the slash-separated relative path of an absolute path under dir.
func (f *folder) relOf(name string) (string, bool) {
	if name == f.dir {
		return "", true
	}
	rel, ok := strings.CutPrefix(name, f.dir+string(filepath.Separator))
	if !ok {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
