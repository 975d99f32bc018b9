package foldersync

import (
	"path"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ignoredSuffixes end the names of temporary and partial files: editor swap and backup
// files, browser downloads in progress (Firefox, Chrome, Safari), and generic temporary
// files.
var ignoredSuffixes = []string{".swp", ".swo", ".swx", "~", ".part", ".crdownload", ".download",
	".tmp"}

// ignoredNames are system files that file managers create on their own.
var ignoredNames = []string{"thumbs.db", "desktop.ini"}

// Ignored reports whether a slash-separated path relative to a linked folder is left out of
// sync: when any of its segments is hidden (starts with a dot, which also covers vim's
// ".name.swp", LibreOffice's ".~lock.name#" and gedit's ".goutputstream-" files) or is a
// temporary, lock or partial file: "*.swp", "*~", "~$*" (Microsoft Office), "#*#" (Emacs
// auto-saves), "*.part", "*.crdownload", "*.download", "*.tmp", and the Windows thumbnail
// and folder settings files.
func Ignored(rel string) bool {
	for seg := range strings.SplitSeq(rel, "/") {
		if ignoredSegment(seg) {
			return true
		}
	}
	return false
}

func ignoredSegment(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	if len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") {
		return true
	}
	lower := strings.ToLower(name)
	for _, s := range ignoredSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	for _, n := range ignoredNames {
		if lower == n {
			return true
		}
	}
	return false
}

// relName turns a path as found on disk (relative, slash-separated) into the name reported
// to the Sink: valid UTF-8 in NFC.
func relName(disk string) string {
	return norm.NFC.String(strings.ToValidUTF8(disk, "\uFFFD"))
}

// preferred reports whether the on-disk spelling a should stand for its NFC name rather
// than b, when both exist: the spelling already in NFC wins, then the smaller byte string,
// so the choice does not depend on the order in which they were seen.
func preferred(a, b string) bool {
	aNFC, bNFC := a == relName(a), b == relName(b)
	if aNFC != bNFC {
		return aNFC
	}
	return a < b
}

// under reports whether the slash-separated path p lies inside the folder dir ("" is the
// top of the linked folder).
func under(p, dir string) bool {
	return dir == "" || p == dir || strings.HasPrefix(p, dir+"/")
}

// parentDir is the slash-separated folder of p, "" at the top.
func parentDir(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}
