package foldersync

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFolderSwappedForLinkOutsideIsNotRead replaces a linked folder, while it is watched,
// by a symbolic link to a folder that Options.Allow refuses: the folder goes offline with
// the refusal in its message, nothing outside is read, nothing is removed; once the real
// folder is back, syncing goes on.
func TestFolderSwappedForLinkOutsideIsNotRead(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	dir := filepath.Join(root, "acme")
	outside := filepath.Join(base, "outside")
	write(t, filepath.Join(dir, "readme.txt"), "ours")
	write(t, filepath.Join(outside, "secret", "key.pem"), "SECRET")

	opts := testOptions()
	opts.Allow = func(_, d string) error {
		if d != dir && !strings.HasPrefix(d, root+string(filepath.Separator)) {
			return errors.New("outside the folders root")
		}
		return nil
	}
	sink := &recordingSink{}
	newLinked(t, sink, dir, opts)
	upserted(t, sink, "readme.txt", "ours")

	mustDo(t, os.Rename(dir, filepath.Join(root, "acme-real")))
	mustDo(t, os.Symlink(outside, dir))
	waitFor(t, sink, "offline status naming the refusal", func() bool {
		st := sink.status()
		return st.State == StateOffline && strings.Contains(st.Message, "outside the folders root")
	})
	settle()
	if calls := sink.calls(""); len(calls) != 1 {
		t.Fatalf("a folder leading outside was read or files were removed:%s", sink.describe())
	}

	mustDo(t, os.Remove(dir))
	mustDo(t, os.Rename(filepath.Join(root, "acme-real"), dir))
	waitFor(t, sink, "online again", func() bool { return sink.status().State == StateOnline })
	write(t, filepath.Join(dir, "new.txt"), "back")
	upserted(t, sink, "new.txt", "back")
	for _, o := range sink.calls("") {
		if strings.Contains(o.file.Rel, "key.pem") || o.content == "SECRET" || o.kind == "remove" {
			t.Errorf("unexpected call: %s %q", o.kind, o.file.Rel)
		}
	}
}

// TestLinkNewTrustsAnEmptyFolder: linking a project to another, empty folder removes the
// files of its previous folder, where Link would take the empty folder for a drive that is
// not mounted.
func TestLinkNewTrustsAnEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	sink := &recordingSink{known: []File{{Rel: "old.txt", Size: 1, ModTime: time.Now()}}}
	s := New(sink, testOptions())
	t.Cleanup(func() { _ = s.Close() })
	mustDo(t, s.LinkNew("p", dir))
	waitFor(t, sink, "online status", func() bool { return sink.status().State == StateOnline })
	removed(t, sink, "old.txt")
}

// TestSubfolderSwappedForLinkLeavesItsFiles: a subfolder replaced by a symbolic link, even
// to a folder holding files of the same names, takes its files out of the project; what
// lies behind the link is never read.
func TestSubfolderSwappedForLinkLeavesItsFiles(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	write(t, filepath.Join(dir, "keys", "k.txt"), "ours")
	write(t, filepath.Join(outside, "k.txt"), "SECRET")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	upserted(t, sink, "keys/k.txt", "ours")

	mustDo(t, os.RemoveAll(filepath.Join(dir, "keys")))
	mustDo(t, os.Symlink(outside, filepath.Join(dir, "keys")))
	removed(t, sink, "keys/k.txt")
	settle()
	for _, o := range sink.calls("") {
		if o.content == "SECRET" {
			t.Errorf("read behind a symbolic link: %s %q", o.kind, o.file.Rel)
		}
	}
}
