package foldersync

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// found is a file met by a scan.
type found struct {
	disk string
	info fs.FileInfo
}

// walk reads the folder disk ("" for the whole folder), adding a watch on every subfolder
// before listing it, so that nothing created meanwhile is missed. It returns the files by
// NFC name (setting aside all but one spelling of each name) and the folders it could not
// read.
func (f *folder) walk(disk string) (map[string]found, []string) {
	files := map[string]found{}
	var failed []string

	start := f.abs(disk)
	_ = filepath.WalkDir(start, func(name string, d fs.DirEntry, err error) error {
		rel, ok := f.relOf(name)
		if !ok || (rel != "" && Ignored(rel)) {
			return skip(d)
		}
		if err != nil {
			if name != start || !errors.Is(err, fs.ErrNotExist) {
				f.log.Warn("folder sync: read folder", "path", name, "error", err)
				failed = append(failed, rel)
			}
			return skip(d)
		}

		switch {
		case d.IsDir():
			f.addWatch(rel)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err == nil {
				f.keepPreferred(files, found{disk: rel, info: info})
			}
		}
		return nil
	})
	return files, failed
}

// skip makes WalkDir pass over a folder it should not enter, and carry on after a file.
func skip(d fs.DirEntry) error {
	if d != nil && d.IsDir() {
		return filepath.SkipDir
	}
	return nil
}

// keepPreferred adds c to files, keeping one spelling per NFC name and setting the other
// aside.
func (f *folder) keepPreferred(files map[string]found, c found) {
	n := relName(c.disk)
	if old, ok := files[n]; ok {
		if !preferred(c.disk, old.disk) {
			f.addShadow(n, c.disk)
			return
		}
		f.addShadow(n, old.disk)
	}
	files[n] = c
}

// addWatch watches the folder disk. When the watch limit is reached, the folder is marked
// degraded so that periodic rescans cover what is not watched.
func (f *folder) addWatch(disk string) {
	if f.watcher == nil || f.watched[disk] {
		return
	}
	err := f.opts.addWatch(f.watcher, f.abs(disk))
	switch {
	case err == nil:
		f.watched[disk] = true
	case isWatchLimit(err):
		if f.limit == "" {
			f.log.Warn("folder sync: watch limit reached, falling back to rescans",
				"path", f.abs(disk), "error", err)
		}
		f.limit = limitMessage(err, f.opts.RescanInterval)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		// Gone already; its removal has its own event.
	default:
		f.log.Warn("folder sync: watch folder", "path", f.abs(disk), "error", err)
	}
}

// fullScan reads the whole folder and reconciles it with the index: new and changed files
// are checked at once (and imported when stable), files no longer there are removed,
// unless the folder itself is gone or the file's folder could not be read.
func (f *folder) fullScan() {
	f.limit = ""
	f.openWatcher()

	files, failed := f.walk("")
	if !f.rootStill() {
		f.gone = true
		return
	}

	now := time.Now()
	var removed []string
	f.mu.Lock()
	for n, e := range f.index {
		c, ok := f.matchFound(files, n, e)
		switch {
		case e.writing:
			// WriteIncoming is placing it.
		case ok && c.disk == e.disk && sameFile(e.file, c.info):
			// Unchanged.
		case ok:
			f.schedule(c.disk, now)
		case !underAny(e.path(), failed):
			removed = append(removed, n)
		}
	}
	for n, c := range files {
		if _, ok := f.index[n]; !ok {
			f.schedule(c.disk, now)
		}
	}
	f.mu.Unlock()

	for _, n := range removed {
		f.remove(n, &pending{})
	}
	f.processDue()
	if !f.gone {
		f.reportWatching()
	}
}

// matchFound finds the scanned file for an index entry; an entry that came from
// Sink.Known and matches learns its spelling on disk.
func (f *folder) matchFound(files map[string]found, n string, e *entry) (found, bool) {
	c, ok := files[n]
	if ok && e.disk == "" && sameFile(e.file, c.info) {
		e.disk = c.disk
	}
	return c, ok
}

// path is where an entry is on disk, or its name when no scan found it yet.
func (e *entry) path() string {
	if e.disk != "" {
		return e.disk
	}
	return e.file.Rel
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if under(p, d) {
			return true
		}
	}
	return false
}

// handle turns one watcher event into checks. A new folder is watched and read at once,
// so that files created together with it are not missed; everything else waits for the
// stability window.
func (f *folder) handle(ev fsnotify.Event) {
	disk, ok := f.relOf(ev.Name)
	if !ok {
		return
	}
	if disk == "" {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			f.gone = !f.rootStill()
		}
		return
	}
	if Ignored(disk) {
		return
	}

	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(f.abs(disk)); err == nil && info.IsDir() {
			f.scanNew(disk)
			return
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		f.folderGone(disk)
	}
	f.touch(disk)
}

// scanNew watches and reads a folder that just appeared.
func (f *folder) scanNew(disk string) {
	files, _ := f.walk(disk)
	for _, c := range files {
		f.touch(c.disk)
	}
	if f.limit != "" {
		f.reportWatching()
	}
}

// folderGone handles the removal or renaming of disk when it was a watched folder: its
// watches go (a folder moved elsewhere in the tree gets new ones from its creation event)
// and every file under it is checked. When the watch limit hides which paths are folders,
// any removal may be one.
func (f *folder) folderGone(disk string) {
	if !f.watched[disk] && f.limit == "" {
		return
	}
	for d := range f.watched {
		if under(d, disk) {
			_ = f.watcher.Remove(f.abs(d))
			delete(f.watched, d)
		}
	}

	f.mu.Lock()
	var inside []string
	for _, e := range f.index {
		if p := e.path(); p != disk && under(p, disk) {
			inside = append(inside, p)
		}
	}
	f.mu.Unlock()
	for _, p := range inside {
		f.touch(p)
	}
}
