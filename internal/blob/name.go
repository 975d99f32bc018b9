package blob

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	// maxNameBytes is the longest name most file systems accept.
	maxNameBytes = 255
	// maxExtBytes is the longest extension kept whole when a name must be shortened.
	maxExtBytes = 32
	// fallbackName replaces a name that sanitizes to nothing usable.
	fallbackName = "unnamed"
)

// SanitizeName turns an uploaded file name into a safe display and download name: the base
// name only (after the last / or \), in Unicode NFC, without control or bidirectional
// formatting characters, without surrounding spaces or trailing dots, and at most 255 bytes
// long, keeping the extension when it has to cut. A name with nothing left is "unnamed".
func SanitizeName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(dropInvisible, name)
	name = norm.NFC.String(name)
	name = baseName(name)
	name = trimName(name)
	name = trimName(capName(name))

	if name == "" || name == "." || name == ".." {
		return fallbackName
	}
	return name
}

// dropInvisible removes control characters (C0, DEL, C1) and the bidirectional formatting
// characters that can make "gpj.exe" display as "exe.jpg".
func dropInvisible(r rune) rune {
	switch {
	case unicode.IsControl(r):
		return -1
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return -1
	case r == 0x200E, r == 0x200F, r == 0x061C:
		return -1
	}
	return r
}

// baseName keeps what follows the last slash or backslash, ignoring trailing ones.
func baseName(name string) string {
	name = strings.TrimRight(name, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// trimName removes surrounding white space and trailing dots, which some file systems
// drop silently and which hide a name's real extension.
func trimName(name string) string {
	name = strings.TrimSpace(name)
	for strings.HasSuffix(name, ".") && name != "." && name != ".." {
		name = strings.TrimSpace(strings.TrimSuffix(name, "."))
	}
	return name
}

// capName shortens name to maxNameBytes on a rune boundary, cutting the stem rather than
// a short extension.
func capName(name string) string {
	if len(name) <= maxNameBytes {
		return name
	}

	ext := path.Ext(name)
	if len(ext) > maxExtBytes || len(ext) == len(name) {
		ext = ""
	}
	stem := truncateRunes(strings.TrimSuffix(name, ext), maxNameBytes-len(ext))
	return stem + ext
}

// truncateRunes returns the longest prefix of s that is at most n bytes and ends on a rune
// boundary.
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
