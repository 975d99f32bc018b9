package blob

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeName(t *testing.T) {
	long := strings.Repeat("a", 300)
	longCJK := strings.Repeat("履", 100) // 300 bytes, 3 per rune
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "report.pdf", "report.pdf"},
		{"parent traversal", "../../x", "x"},
		{"dot dot", "..", "unnamed"},
		{"dot", ".", "unnamed"},
		{"empty", "", "unnamed"},
		{"only spaces", "   ", "unnamed"},
		{"only dots", "...", "unnamed"},
		{"absolute path", "/etc/passwd", "passwd"},
		{"windows path", `a\b`, "b"},
		{"windows drive", `C:\Users\me\photo.jpg`, "photo.jpg"},
		{"trailing slash", "dir/", "dir"},
		{"CR LF", "evil\r\nSet-Cookie: x.txt", "evilSet-Cookie: x.txt"},
		{"NUL", "a\x00b.txt", "ab.txt"},
		{"DEL and C1", "a\x7fb\u0085c.txt", "abc.txt"},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200E\u200F\u061Cb", "ab"},
		{"decomposed accent", "e\u0301.txt", "\u00e9.txt"},
		{"surrounding spaces", "  notes.txt  ", "notes.txt"},
		{"trailing dots", "run.exe. . .", "run.exe"},
		{"hidden file kept", ".env", ".env"},
		{"invalid utf-8", "a\xffb.txt", "ab.txt"},
		{"unicode kept", "Résumé 履歴書.pdf", "Résumé 履歴書.pdf"},
		{"long keeps extension", long + ".pdf", long[:251] + ".pdf"},
		{"long without extension", long, long[:255]},
		{"long cuts on rune boundary", longCJK + ".txt", strings.Repeat("履", 83) + ".txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SanitizeName(tt.in)
			if got != tt.want {
				t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > maxNameBytes || !utf8.ValidString(got) {
				t.Errorf("SanitizeName(%q) = %q: too long or invalid UTF-8", tt.in, got)
			}
			if again := SanitizeName(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}
