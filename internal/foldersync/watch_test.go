package foldersync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewFoldersAreWatchedAndScanned(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())

	// The file is written before Portico can possibly have watched a/b/c.
	mustDo(t, os.MkdirAll(filepath.Join(dir, "a", "b", "c"), 0o755))
	mustDo(t, os.WriteFile(filepath.Join(dir, "a", "b", "c", "deep.txt"), []byte("deep"), 0o644))
	// And files at every level of another new tree.
	mustDo(t, os.MkdirAll(filepath.Join(dir, "x", "y", "z"), 0o755))
	for _, rel := range []string{"x/1.txt", "x/y/2.txt", "x/y/z/3.txt"} {
		mustDo(t, os.WriteFile(filepath.Join(dir, rel), []byte(rel), 0o644))
	}

	upserted(t, sink, "a/b/c/deep.txt", "deep")
	for _, rel := range []string{"x/1.txt", "x/y/2.txt", "x/y/z/3.txt"} {
		upserted(t, sink, rel, rel)
	}

	// The new folders are watched too: a later file arrives through events.
	write(t, filepath.Join(dir, "a", "b", "c", "later.txt"), "later")
	upserted(t, sink, "a/b/c/later.txt", "later")

	settle()
	if n := len(sink.calls("")); n != 5 {
		t.Errorf("got %d calls, want 5:%s", n, sink.describe())
	}
}

func TestFilesAppearChangeAndDisappear(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	name := filepath.Join(dir, "Designs", "v1", "logo.svg")

	write(t, name, "<svg/>")
	upserted(t, sink, "Designs/v1/logo.svg", "<svg/>")

	fh, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	mustDo(t, err)
	_, err = fh.WriteString("<!-- edited -->")
	mustDo(t, err)
	mustDo(t, fh.Close())
	upserted(t, sink, "Designs/v1/logo.svg", "<svg/><!-- edited -->")

	mustDo(t, os.Remove(name))
	removed(t, sink, "Designs/v1/logo.svg")

	settle()
	want := []string{"upsert", "upsert", "remove"}
	calls := sink.calls("")
	if len(calls) != len(want) {
		t.Fatalf("got %d calls, want %v:%s", len(calls), want, sink.describe())
	}
	for i, c := range calls {
		if c.kind != want[i] {
			t.Errorf("call %d is %s, want %s", i, c.kind, want[i])
		}
	}
}

// TestAtomicSaves replays what editors do on save; each must give one Upsert of the same
// name with the new contents, and nothing else.
func TestAtomicSaves(t *testing.T) {
	tests := []struct {
		name string
		file string
		save func(t *testing.T, dir, file, content string)
	}{
		{"vim with backup", "notes.txt", func(t *testing.T, dir, file, content string) {
			p := filepath.Join(dir, file)
			swap := filepath.Join(dir, "."+file+".swp")
			write(t, swap, "swap")
			write(t, filepath.Join(dir, "4913"), "") // vim's writability probe
			mustDo(t, os.Remove(filepath.Join(dir, "4913")))
			mustDo(t, os.Rename(p, p+"~"))
			write(t, p, content)
			mustDo(t, os.Remove(p+"~"))
			mustDo(t, os.Remove(swap))
		}},
		{"gedit", "brief.md", func(t *testing.T, dir, file, content string) {
			tmp := filepath.Join(dir, ".goutputstream-8ZQ3K1")
			write(t, tmp, content)
			mustDo(t, os.Rename(tmp, filepath.Join(dir, file)))
		}},
		{"vs code style temp then rename", "index.html", func(t *testing.T, dir, file, content string) {
			tmp := filepath.Join(dir, file+".tmp")
			write(t, tmp, content)
			mustDo(t, os.Rename(tmp, filepath.Join(dir, file)))
		}},
		{"libreoffice", "offer.odt", func(t *testing.T, dir, file, content string) {
			lock := filepath.Join(dir, ".~lock."+file+"#")
			write(t, lock, "lock")
			tmp := filepath.Join(dir, "lu8r2k1.tmp")
			write(t, tmp, content)
			mustDo(t, os.Rename(filepath.Join(dir, file), filepath.Join(dir, file+"~")))
			mustDo(t, os.Rename(tmp, filepath.Join(dir, file)))
			mustDo(t, os.Remove(filepath.Join(dir, file+"~")))
			mustDo(t, os.Remove(lock))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, tt.file), "first")
			sink := &recordingSink{}
			newLinked(t, sink, dir, testOptions())
			upserted(t, sink, tt.file, "first")

			tt.save(t, dir, tt.file, "second")
			upserted(t, sink, tt.file, "second")

			settle()
			calls := sink.calls("")
			if len(calls) != 2 || count(sink, "upsert", tt.file) != 2 {
				t.Errorf("want exactly two upserts of %q, got:%s", tt.file, sink.describe())
			}
		})
	}
}

func TestTemporaryAndLockFilesNeverAppear(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".git", "config"), "hidden folder present at start")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())

	ignored := []string{
		".hidden", ".notes.txt.swp", "notes.txt.swp", "notes.txt~", ".~lock.offer.odt#",
		"~$report.docx", "movie.mp4.part", "setup.exe.crdownload", ".goutputstream-ABC123",
		"lu1234.tmp", "CAPS.TMP", "Thumbs.db", ".hidden-dir/inside.txt", "sub/.cache/x.bin",
	}
	for _, rel := range ignored {
		write(t, filepath.Join(dir, filepath.FromSlash(rel)), "temporary")
	}
	write(t, filepath.Join(dir, "sub", "real.txt"), "real")
	upserted(t, sink, "sub/real.txt", "real")

	settle()
	if calls := sink.calls(""); len(calls) != 1 {
		t.Errorf("only sub/real.txt should appear, got:%s", sink.describe())
	}
}

// TestSlowLargeCopyImportedOnce writes 8 MiB in small chunks with short pauses, as a copy
// from a slow drive does, and expects one import of the whole file.
func TestSlowLargeCopyImportedOnce(t *testing.T) {
	const size, chunk = 8 << 20, 64 << 10
	dir := t.TempDir()
	sink := &recordingSink{}
	opts := testOptions()
	opts.Stability = 400 * time.Millisecond
	newLinked(t, sink, dir, opts)

	fh, err := os.Create(filepath.Join(dir, "footage.mov"))
	mustDo(t, err)
	block := []byte(strings.Repeat("x", chunk))
	for written := 0; written < size; written += chunk {
		_, err := fh.Write(block)
		mustDo(t, err)
		time.Sleep(5 * time.Millisecond)
	}
	mustDo(t, fh.Close())

	waitFor(t, sink, "import of the copy", func() bool { return len(sink.calls("")) > 0 })
	time.Sleep(3 * opts.Stability)
	calls := sink.calls("")
	if len(calls) != 1 || calls[0].kind != "upsert" {
		t.Fatalf("want one upsert, got %d calls", len(calls))
	}
	if got := len(calls[0].content); got != size || calls[0].file.Size != size {
		t.Errorf("imported %d bytes (size %d), want %d", got, calls[0].file.Size, size)
	}
}

// TestOneImportPerSave: the several writes, attribute and time changes of one save give
// one Upsert.
func TestOneImportPerSave(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	name := filepath.Join(dir, "plan.txt")

	fh, err := os.Create(name)
	mustDo(t, err)
	for _, part := range []string{"one ", "two ", "three"} {
		_, err := fh.WriteString(part)
		mustDo(t, err)
		mustDo(t, fh.Sync())
	}
	mustDo(t, fh.Close())
	mustDo(t, os.Chmod(name, 0o600))
	past := time.Now().Add(-time.Hour)
	mustDo(t, os.Chtimes(name, past, past))

	upserted(t, sink, "plan.txt", "one two three")
	settle()
	if n := len(sink.calls("")); n != 1 {
		t.Errorf("want one upsert, got:%s", sink.describe())
	}
}

// TestChangeWhileReadingIsNotImported changes a file while the Sink reads it: that import
// fails with ErrChanged and the file is imported again, whole.
func TestChangeWhileReadingIsNotImported(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "moving.txt")
	sink := &recordingSink{}
	appended := false
	sink.beforeRead = func(File) {
		if !appended {
			appended = true
			fh, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
			if err == nil {
				_, _ = fh.WriteString(" and more")
				_ = fh.Close()
			}
		}
	}
	newLinked(t, sink, dir, testOptions())

	write(t, name, "start")
	upserted(t, sink, "moving.txt", "start and more")
	settle()
	if calls := sink.calls(""); len(calls) != 1 {
		t.Errorf("want only the whole file imported, got:%s", sink.describe())
	}
}

func TestFolderRenamedInsideAndMovedIn(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	write(t, filepath.Join(dir, "old", "sub", "a.txt"), "a")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "old/sub/a.txt", "a")

	mustDo(t, os.Rename(filepath.Join(dir, "old"), filepath.Join(dir, "new")))
	removed(t, sink, "old/sub/a.txt")
	upserted(t, sink, "new/sub/a.txt", "a")

	// Watches follow the renamed folder: a file created in it now has its new name.
	write(t, filepath.Join(dir, "new", "sub", "b.txt"), "b")
	upserted(t, sink, "new/sub/b.txt", "b")

	write(t, filepath.Join(outside, "import", "c.txt"), "c")
	mustDo(t, os.Rename(filepath.Join(outside, "import"), filepath.Join(dir, "import")))
	upserted(t, sink, "import/c.txt", "c")

	settle()
	if count(sink, "upsert", "old/sub/b.txt") != 0 || len(sink.calls("")) != 5 {
		t.Errorf("unexpected calls:%s", sink.describe())
	}
}

func TestFileReplacedByFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "Assets"), "a file first")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "Assets", "a file first")

	mustDo(t, os.Remove(filepath.Join(dir, "Assets")))
	write(t, filepath.Join(dir, "Assets", "logo.png"), "png")
	removed(t, sink, "Assets")
	upserted(t, sink, "Assets/logo.png", "png")
}
