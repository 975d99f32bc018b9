package foldersync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenForWritingAnswers checks that this machine answers the question the slow-copy
// tests rely on: a file open for writing is reported so, and is not once closed.
func TestOpenForWritingAnswers(t *testing.T) {
	name := filepath.Join(t.TempDir(), "probe.bin")
	w, err := os.Create(name)
	mustDo(t, err)

	r, err := os.Open(name)
	mustDo(t, err)
	defer r.Close()
	if writing, ok := openForWriting(r); !ok || !writing {
		t.Fatalf("open for writing: got writing=%v ok=%v, want true true", writing, ok)
	}

	mustDo(t, w.Close())
	if writing, ok := openForWriting(r); !ok || writing {
		t.Fatalf("after close: got writing=%v ok=%v, want false true", writing, ok)
	}
}

// TestPausedCopyWaitsForClose is a copy from a slow share: half the file, a pause far
// longer than the stability window, then the rest. The file is imported once, whole,
// after the copy closed it.
func TestPausedCopyWaitsForClose(t *testing.T) {
	const half = 2 << 20
	dir := t.TempDir()
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())

	fh, err := os.Create(filepath.Join(dir, "render.mov"))
	mustDo(t, err)
	block := []byte(strings.Repeat("y", half))
	_, err = fh.Write(block)
	mustDo(t, err)

	time.Sleep(8 * testStability)
	if calls := sink.calls(""); len(calls) != 0 {
		mustDo(t, fh.Close())
		t.Fatalf("a copy still open for writing was imported:%s", sink.describe())
	}

	_, err = fh.Write(block)
	mustDo(t, err)
	mustDo(t, fh.Close())

	waitFor(t, sink, "import of the copy", func() bool { return len(sink.calls("")) > 0 })
	settle()
	calls := sink.calls("")
	if len(calls) != 1 || calls[0].kind != "upsert" || len(calls[0].content) != 2*half {
		t.Fatalf("want one upsert of %d bytes, got:%s", 2*half, sink.describe())
	}
}

// TestFileKeptOpenIsImportedAfterWriteHold: a program that keeps a file open for writing
// without writing does not keep it out of the project for longer than WriteHold.
func TestFileKeptOpenIsImportedAfterWriteHold(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{}
	opts := testOptions()
	opts.WriteHold = 6 * testStability
	newLinked(t, sink, dir, opts)

	fh, err := os.Create(filepath.Join(dir, "open.odt"))
	mustDo(t, err)
	defer fh.Close()
	_, err = fh.WriteString("kept open")
	mustDo(t, err)

	start := time.Now()
	upserted(t, sink, "open.odt", "kept open")
	if waited := time.Since(start); waited < opts.WriteHold {
		t.Errorf("imported after %v, before the write hold of %v ended", waited, opts.WriteHold)
	}
}
