package foldersync

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIgnored(t *testing.T) {
	tests := []struct {
		rel  string
		want bool
	}{
		{"report.pdf", false},
		{"Designs/v2/logo.svg", false},
		{"From clients/Brief/brief (2).pdf", false},
		{"archive.tar.gz", false},
		{"~notes.txt", false},
		{"a~b.txt", false},
		{".env", true},
		{".git/config", true},
		{"sub/.cache/x", true},
		{".notes.txt.swp", true},
		{"notes.txt.swp", true},
		{"notes.txt.SWO", true},
		{"notes.txt~", true},
		{".~lock.offer.odt#", true},
		{"~$report.docx", true},
		{"movie.mp4.part", true},
		{"setup.exe.crdownload", true},
		{"report.pdf.download", true},
		{"#notes.org#", true},
		{"sub/#draft.md#", true},
		{"#1 priority.txt", false},
		{"#", false},
		{".goutputstream-ABC123", true},
		{"lu1234.tmp", true},
		{"dir/CAPS.TMP", true},
		{"Thumbs.db", true},
		{"sub/desktop.ini", true},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			if got := Ignored(tt.rel); got != tt.want {
				t.Errorf("Ignored(%q) = %v, want %v", tt.rel, got, tt.want)
			}
		})
	}
}

func TestRelNameAndPreference(t *testing.T) {
	if got := relName("Cafe\u0301/e\u0301.txt"); got != "Caf\u00e9/\u00e9.txt" {
		t.Errorf("relName = %q, want NFC", got)
	}
	if got := relName("bad\xffname"); got != "bad\uFFFDname" {
		t.Errorf("relName kept invalid UTF-8: %q", got)
	}
	if !preferred("\u00e9.txt", "e\u0301.txt") || preferred("e\u0301.txt", "\u00e9.txt") {
		t.Error("the NFC spelling must win over the decomposed one")
	}
	if preferred("a\xff", "a\xfe\xff") == preferred("a\xfe\xff", "a\xff") {
		t.Error("preference must not depend on argument order")
	}
}

// TestDecomposedNames: a name written decomposed is reported in NFC, and a second spelling
// of the same name is the same file for the project. The NFC spelling wins; the other takes
// over when it disappears.
func TestDecomposedNames(t *testing.T) {
	const nfc, nfd = "\u00e9.txt", "e\u0301.txt"
	dir := t.TempDir()
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())

	write(t, filepath.Join(dir, nfd), "decomposed")
	upserted(t, sink, nfc, "decomposed")

	write(t, filepath.Join(dir, nfc), "composed")
	upserted(t, sink, nfc, "composed")

	// Edits to the spelling set aside do not reach the project...
	write(t, filepath.Join(dir, nfd), "decomposed, edited")
	settle()
	if n := len(sink.calls("")); n != 2 {
		t.Fatalf("edit of the spelling set aside was reported:%s", sink.describe())
	}

	// ...until the NFC spelling is deleted: then it takes over, with no Remove.
	mustDo(t, os.Remove(filepath.Join(dir, nfc)))
	upserted(t, sink, nfc, "decomposed, edited")

	mustDo(t, os.Remove(filepath.Join(dir, nfd)))
	removed(t, sink, nfc)

	settle()
	if n := len(sink.calls("")); n != 4 {
		t.Errorf("want 3 upserts and 1 remove, got:%s", sink.describe())
	}
	for _, c := range sink.calls("") {
		if c.file.Rel != nfc {
			t.Errorf("reported a name not in NFC: %q", c.file.Rel)
		}
	}
}

func TestDecomposedNamesAtStartAndNormalizingRename(t *testing.T) {
	const nfc, nfd = "Caf\u00e9/\u00e9.txt", "Cafe\u0301/e\u0301.txt"
	dir := t.TempDir()
	write(t, filepath.Join(dir, nfd), "decomposed")
	write(t, filepath.Join(dir, "Cafe\u0301", "\u00e9.txt"), "mixed")
	sink := &recordingSink{}
	newLinked(t, sink, dir, testOptions())
	settle()
	if calls := sink.calls(""); len(calls) != 1 || calls[0].file.Rel != nfc {
		t.Fatalf("want one upsert of %q, got:%s", nfc, sink.describe())
	}

	// Renaming a file between spellings changes nothing for the project.
	mustDo(t, os.Remove(filepath.Join(dir, nfd)))
	settle()
	before := len(sink.calls(""))
	mustDo(t, os.Rename(filepath.Join(dir, "Cafe\u0301", "\u00e9.txt"), filepath.Join(dir, nfd)))
	settle()
	if after := len(sink.calls("")); after != before {
		t.Errorf("a normalizing rename was reported:%s", sink.describe())
	}
}
