package foldersync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// failingWatches makes adding a watch fail as inotify does at its limit, for the paths that
// match, while limited is set.
func failingWatches(limited *atomic.Bool, match func(string) bool) func(*fsnotify.Watcher, string) error {
	return func(w *fsnotify.Watcher, name string) error {
		if limited.Load() && match(name) {
			return fmt.Errorf("add watch %s: %w", name, syscall.ENOSPC)
		}
		return w.Add(name)
	}
}

func TestWatchLimitFallsBackToRescans(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "deep", "more", "old.txt"), "old")
	var limited atomic.Bool
	limited.Store(true)
	opts := testOptions()
	opts.addWatch = failingWatches(&limited, func(name string) bool {
		return strings.Contains(name, string(filepath.Separator)+"deep")
	})

	sink := &recordingSink{}
	s := New(sink, opts)
	t.Cleanup(func() { _ = s.Close() })
	mustDo(t, s.Link("p", dir))
	waitFor(t, sink, "degraded status", func() bool { return sink.status().State == StateDegraded })
	if msg := sink.status().Message; !strings.Contains(msg, "fs.inotify.max_user_watches") {
		t.Errorf("degraded message does not name the setting: %q", msg)
	}
	upserted(t, sink, "deep/more/old.txt", "old")

	// The watched part is live, the rest is picked up by rescans.
	write(t, filepath.Join(dir, "top.txt"), "top")
	upserted(t, sink, "top.txt", "top")
	write(t, filepath.Join(dir, "deep", "new.txt"), "new")
	upserted(t, sink, "deep/new.txt", "new")
	mustDo(t, os.Remove(filepath.Join(dir, "deep", "more", "old.txt")))
	removed(t, sink, "deep/more/old.txt")

	// Once the host raises the limit, the next rescan watches everything again.
	limited.Store(false)
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	write(t, filepath.Join(dir, "deep", "more", "live.txt"), "live")
	upserted(t, sink, "deep/more/live.txt", "live")
}

func TestNoWatchAtAllStillSyncs(t *testing.T) {
	dir := t.TempDir()
	var limited atomic.Bool
	limited.Store(true)
	opts := testOptions()
	opts.addWatch = failingWatches(&limited, func(string) bool { return true })

	sink := &recordingSink{}
	s := New(sink, opts)
	t.Cleanup(func() { _ = s.Close() })
	mustDo(t, s.Link("p", dir))
	waitFor(t, sink, "degraded status", func() bool { return sink.status().State == StateDegraded })

	write(t, filepath.Join(dir, "a", "b", "c.txt"), "c")
	upserted(t, sink, "a/b/c.txt", "c")
	mustDo(t, os.RemoveAll(filepath.Join(dir, "a")))
	removed(t, sink, "a/b/c.txt")
}

func TestDeletedFolderGoesOfflineWithoutRemoving(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "Client A")
	write(t, filepath.Join(dir, "a.txt"), "a")
	write(t, filepath.Join(dir, "sub", "b.txt"), "b")
	for i := range 300 {
		write(t, filepath.Join(dir, fmt.Sprint("many/", i%30), fmt.Sprint(i, ".txt")), "many")
	}
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "a.txt", "a")
	upserted(t, sink, "sub/b.txt", "b")
	waitFor(t, sink, "every import", func() bool { return len(sink.calls("")) == 302 })

	mustDo(t, os.RemoveAll(dir))
	waitFor(t, sink, "offline status", func() bool { return sink.status().State == StateOffline })
	settle()
	if n := len(sink.calls("")); n != 302 {
		t.Fatalf("files were removed while the folder was missing:%s", sink.describe())
	}

	// Back, with a.txt rewritten and sub/b.txt really gone: now that is reconciled.
	staging := filepath.Join(parent, "staging")
	write(t, filepath.Join(staging, "a.txt"), "a again")
	mustDo(t, os.Rename(staging, dir))
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	upserted(t, sink, "a.txt", "a again")
	removed(t, sink, "sub/b.txt")
	removed(t, sink, "many/0/0.txt")
}

func TestFolderMovedAwayAndBack(t *testing.T) {
	parent := t.TempDir()
	dir, away := filepath.Join(parent, "Projects"), filepath.Join(parent, "Projects (moved)")
	write(t, filepath.Join(dir, "keep.txt"), "keep")
	write(t, filepath.Join(dir, "edit.txt"), "edit")
	write(t, filepath.Join(dir, "sub", "drop.txt"), "drop")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	waitFor(t, sink, "three imports", func() bool { return len(sink.calls("")) == 3 })

	mustDo(t, os.Rename(dir, away))
	waitFor(t, sink, "offline status", func() bool { return sink.status().State == StateOffline })
	if msg := sink.status().Message; !strings.Contains(msg, dir) {
		t.Errorf("offline message does not name the folder: %q", msg)
	}
	write(t, filepath.Join(away, "edit.txt"), "edited while away")
	mustDo(t, os.Remove(filepath.Join(away, "sub", "drop.txt")))
	write(t, filepath.Join(away, "new.txt"), "new")
	settle()
	if n := len(sink.calls("")); n != 3 {
		t.Fatalf("changes to a folder moved away were reported:%s", sink.describe())
	}

	mustDo(t, os.Rename(away, dir))
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	upserted(t, sink, "edit.txt", "edited while away")
	upserted(t, sink, "new.txt", "new")
	removed(t, sink, "sub/drop.txt")
	settle()
	if n := len(sink.calls("")); n != 6 || count(sink, "upsert", "keep.txt") != 1 {
		t.Errorf("unexpected calls after coming back:%s", sink.describe())
	}
}

func TestStartupReconcilesWithKnown(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "same.txt"), "same")
	write(t, filepath.Join(dir, "changed.txt"), "changed")
	write(t, filepath.Join(dir, "sub", "new.txt"), "new")
	same, err := os.Stat(filepath.Join(dir, "same.txt"))
	mustDo(t, err)
	changed, err := os.Stat(filepath.Join(dir, "changed.txt"))
	mustDo(t, err)

	sink := &recordingSink{known: []File{
		{Rel: "same.txt", Size: same.Size(), ModTime: same.ModTime()},
		{Rel: "changed.txt", Size: changed.Size() - 1, ModTime: changed.ModTime()},
		{Rel: "sub/gone.txt", Size: 4, ModTime: time.Now().Add(-time.Hour)},
	}}
	newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "changed.txt", "changed")
	upserted(t, sink, "sub/new.txt", "new")
	removed(t, sink, "sub/gone.txt")
	settle()
	if n := len(sink.calls("")); n != 3 {
		t.Errorf("same.txt must not be imported again:%s", sink.describe())
	}
	if !sink.sawState(StateScanning) {
		t.Error("no scanning status was reported")
	}
}

func TestStartupWithFolderMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "unplugged drive")
	sink := &recordingSink{known: []File{
		{Rel: "a.txt", Size: 1, ModTime: time.Now()},
		{Rel: "b.txt", Size: 1, ModTime: time.Now()},
	}}
	s := New(sink, testOptions())
	t.Cleanup(func() { _ = s.Close() })
	mustDo(t, s.Link("p", dir))
	waitFor(t, sink, "offline status", func() bool { return sink.status().State == StateOffline })
	settle()
	if n := len(sink.calls("")); n != 0 {
		t.Fatalf("calls while the folder is missing:%s", sink.describe())
	}

	staging := filepath.Join(t.TempDir(), "staging")
	write(t, filepath.Join(staging, "a.txt"), "a")
	mustDo(t, os.Rename(staging, dir))
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	upserted(t, sink, "a.txt", "a")
	removed(t, sink, "b.txt")
	settle()
	if n := len(sink.calls("")); n != 2 {
		t.Errorf("want one upsert and one remove:%s", sink.describe())
	}
}

// TestEmptyFolderWithKnownFilesIsOffline: an empty folder while the project has files from
// it is what an unmounted drive's mount point looks like, so nothing is removed; a file put
// into it makes it an emptied folder.
func TestEmptyFolderWithKnownFilesIsOffline(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".Trash-1000", "x"), "hidden, does not count")
	sink := &recordingSink{known: []File{{Rel: "a.txt", Size: 1, ModTime: time.Now()}}}
	s := New(sink, testOptions())
	t.Cleanup(func() { _ = s.Close() })
	mustDo(t, s.Link("p", dir))
	waitFor(t, sink, "offline status", func() bool { return sink.status().State == StateOffline })
	if msg := sink.status().Message; !strings.Contains(msg, "mounted") {
		t.Errorf("offline message does not mention mounting: %q", msg)
	}
	settle()
	if n := len(sink.calls("")); n != 0 {
		t.Fatalf("calls for an empty folder:%s", sink.describe())
	}

	write(t, filepath.Join(dir, "b.txt"), "b")
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	removed(t, sink, "a.txt")
	upserted(t, sink, "b.txt", "b")
}
