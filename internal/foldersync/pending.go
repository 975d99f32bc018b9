package foldersync

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"syscall"
	"time"

	"golang.org/x/text/unicode/norm"
)

// maxAttempts bounds how often a failing Sink call is retried before the file waits for
// its next change or rescan.
const maxAttempts = 4

// pending is a path to check once nothing happened to it for the stability window.
type pending struct {
	due      time.Time
	sample   File // size and time seen at the previous check
	sampled  bool
	attempts int
	heldFrom time.Time // since when the file held still while open for writing
}

// touch records an event for disk: its check moves to one stability window from now.
func (f *folder) touch(disk string) {
	due := time.Now().Add(f.opts.Stability)
	if p, ok := f.pending[disk]; ok {
		p.due, p.attempts = due, 0
	} else {
		f.pending[disk] = &pending{due: due}
	}
	f.wake(due)
}

// schedule asks for disk to be checked at t, as a scan does for what it found changed.
func (f *folder) schedule(disk string, t time.Time) {
	if p, ok := f.pending[disk]; ok {
		p.due = t
		return
	}
	f.pending[disk] = &pending{due: t}
}

// arm sets the timer to the earliest due check.
func (f *folder) arm() {
	var next time.Time
	for _, p := range f.pending {
		if next.IsZero() || p.due.Before(next) {
			next = p.due
		}
	}
	f.timer.Stop()
	f.armedAt = time.Time{}
	if !next.IsZero() {
		f.wake(next)
	}
}

// wake makes sure the timer fires by t, without looking at every pending check, so that a
// burst of events stays cheap.
func (f *folder) wake(t time.Time) {
	if !f.armedAt.IsZero() && !t.Before(f.armedAt) {
		return
	}
	f.armedAt = t
	f.timer.Reset(max(time.Until(t), 0))
}

// processDue checks every path whose time has come, in name order.
func (f *folder) processDue() {
	now := time.Now()
	var due []string
	for disk, p := range f.pending {
		if !p.due.After(now) {
			due = append(due, disk)
		}
	}
	slices.Sort(due)

	for _, disk := range due {
		if f.gone || f.ctx.Err() != nil {
			return
		}
		p := f.pending[disk]
		delete(f.pending, disk)
		f.check(disk, p)
	}
	f.arm()
}

// check looks at disk after its events settled and tells the Sink what changed.
func (f *folder) check(disk string, p *pending) {
	info, err := f.lstat(disk)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		f.vanished(disk, p)
	case err != nil:
		f.log.Warn("folder sync: check file", "path", f.abs(disk), "error", err)
		f.retry(disk, p)
	case info.IsDir():
		if !f.watched[disk] {
			f.scanNew(disk)
		}
		f.vanished(disk, p) // if a file of that name was replaced by the folder
	case info.Mode().IsRegular():
		f.changed(disk, info, p)
	default:
		// A symbolic link, pipe or device is not a file of the project; if it replaced
		// one, that file is gone.
		f.vanished(disk, p)
	}
}

// lstat is os.Lstat of disk inside the folder, failing with ENOTDIR when one of the folders
// on its way is not a folder any more (say, swapped for a symbolic link): what lies behind
// it is not the folder's, though os.Lstat alone would follow such a link.
func (f *folder) lstat(disk string) (fs.FileInfo, error) {
	for parent := path.Dir(disk); parent != "." && parent != "/"; parent = path.Dir(parent) {
		info, err := os.Lstat(f.abs(parent))
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			return nil, syscall.ENOTDIR
		}
	}
	return os.Lstat(f.abs(disk))
}

// changed handles a regular file at disk: imported when it differs from what the Sink has
// and has held still, unless another spelling of its name takes precedence.
func (f *folder) changed(disk string, info fs.FileInfo, p *pending) {
	n := relName(disk)

	f.mu.Lock()
	e, ok := f.index[n]
	if ok && e.writing {
		f.mu.Unlock()
		return
	}
	if ok && e.disk != "" && e.disk != disk {
		switch {
		case !f.isFile(e.disk):
			// Renamed to another spelling of the same name: the same file moved.
			if sameFile(e.file, info) {
				e.disk = disk
			}
		case !preferred(disk, e.disk):
			f.addShadow(n, disk)
			f.mu.Unlock()
			return
		default:
			f.addShadow(n, e.disk)
		}
	}
	unchanged := ok && e.disk == disk && sameFile(e.file, info)
	f.mu.Unlock()
	if unchanged {
		return
	}

	now := time.Now()
	stable := p.sampled && sameFile(p.sample, info) ||
		!info.ModTime().After(now.Add(-f.opts.Stability))
	if !stable {
		p.sample, p.sampled, p.heldFrom = fileOf(n, info), true, time.Time{}
		p.due = now.Add(f.opts.Stability)
		f.pending[disk] = p
		return
	}
	if f.held(disk, p, now) {
		p.sample, p.sampled = fileOf(n, info), true
		p.due = now.Add(f.opts.Stability)
		f.pending[disk] = p
		return
	}
	f.upsert(n, disk, info, p)
}

// held reports whether a file that held still should still wait because a program has it
// open for writing, for at most Options.WriteHold.
func (f *folder) held(disk string, p *pending, now time.Time) bool {
	if !leasesTell {
		return false
	}
	fh, err := openInside(f.dir, disk)
	if err != nil {
		return false // the import finds out what is wrong
	}
	writing, _ := openForWriting(fh)
	_ = fh.Close()
	if !writing {
		return false
	}

	if p.heldFrom.IsZero() {
		p.heldFrom = now
	}
	if now.Sub(p.heldFrom) < f.opts.WriteHold {
		return true
	}
	f.log.Info("folder sync: importing a file still open for writing", "path", f.abs(disk),
		"waited", now.Sub(p.heldFrom).Round(time.Second))
	return false
}

// vanished handles a path that is no longer a file. If it was the file the Sink has, that
// file is removed, unless another spelling of its name is on disk, which then takes over
// (so renaming a name between its composed and decomposed forms changes nothing); and if
// the whole folder is gone, nothing is removed.
func (f *folder) vanished(disk string, p *pending) {
	n := relName(disk)

	f.mu.Lock()
	if set := f.shadow[n]; set[disk] {
		delete(set, disk)
	}
	e, ok := f.index[n]
	ours := ok && !e.writing && e.path() == disk
	f.mu.Unlock()
	if !ours {
		return
	}

	if !f.rootStill() {
		f.gone = true
		return
	}
	if alt := f.takeAlternative(n, disk); alt != "" {
		f.mu.Lock()
		e.disk = alt
		f.mu.Unlock()
		f.schedule(alt, time.Now())
		return
	}
	f.remove(n, p)
}

// upsert hands a stable file to the Sink and records it.
func (f *folder) upsert(n, disk string, info fs.FileInfo, p *pending) {
	file := fileOf(n, info)

	err := f.sink.Upsert(f.ctx, f.projectID, file, f.opener(disk, file))
	if err != nil {
		if errors.Is(err, ErrChanged) {
			f.schedule(disk, time.Now().Add(f.opts.Stability))
			return
		}
		f.failed("import", disk, err, p)
		return
	}

	f.mu.Lock()
	f.index[n] = &entry{disk: disk, file: file}
	f.mu.Unlock()
}

// remove tells the Sink a file is gone and forgets it.
func (f *folder) remove(n string, p *pending) {
	f.mu.Lock()
	e := f.index[n]
	f.mu.Unlock()
	if e == nil {
		return
	}

	if err := f.sink.Remove(f.ctx, f.projectID, n); err != nil {
		f.failed("remove", e.path(), err, p)
		return
	}
	f.mu.Lock()
	if f.index[n] == e {
		delete(f.index, n)
	}
	f.mu.Unlock()
}

// failed logs a Sink error and retries later, a bounded number of times.
func (f *folder) failed(action, disk string, err error, p *pending) {
	if f.ctx.Err() != nil {
		return
	}
	f.log.Error("folder sync: "+action+" file", "path", f.abs(disk), "error", err)
	f.retry(disk, p)
}

func (f *folder) retry(disk string, p *pending) {
	p.attempts++
	if p.attempts >= maxAttempts {
		return
	}
	p.due = time.Now().Add(f.opts.Stability << p.attempts)
	f.pending[disk] = p
}

// isFile reports whether disk is a regular file now.
func (f *folder) isFile(disk string) bool {
	info, err := os.Lstat(f.abs(disk))
	return err == nil && info.Mode().IsRegular()
}

// addShadow sets aside a spelling of n that another spelling takes precedence over.
// Callers hold mu or own the folder's goroutine.
func (f *folder) addShadow(n, disk string) {
	set := f.shadow[n]
	if set == nil {
		set = map[string]bool{}
		f.shadow[n] = set
	}
	set[disk] = true
}

// takeAlternative returns the preferred other spelling of n still on disk, or "" when
// there is none. Candidates are the spellings set aside and the composed and decomposed
// forms of n.
func (f *folder) takeAlternative(n, except string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	candidates := map[string]bool{n: true, norm.NFD.String(n): true}
	for disk := range f.shadow[n] {
		candidates[disk] = true
	}
	delete(candidates, except)

	var best string
	for disk := range candidates {
		if f.isFile(disk) && (best == "" || preferred(disk, best)) {
			best = disk
		}
	}
	if set := f.shadow[n]; set != nil {
		delete(set, best)
		if len(set) == 0 {
			delete(f.shadow, n)
		}
	}
	return best
}

func fileOf(n string, info fs.FileInfo) File {
	return File{Rel: n, Size: info.Size(), ModTime: info.ModTime()}
}

// sameFile reports whether info still has the size and modification time of f.
func sameFile(f File, info fs.FileInfo) bool {
	return f.Size == info.Size() && f.ModTime.Equal(info.ModTime())
}
