package web

import "testing"

func TestFormFileName(t *testing.T) {
	tests := []struct{ sent, want string }{
		{"report.pdf", "report.pdf"},
		{`say %22hi%22.txt`, `say "hi".txt`},
		{"two%0D%0Alines.txt", "two\r\nlines.txt"},
		{"100%25 sure.txt", "100%25 sure.txt"},     // only the three sequences are decoded
		{"lower %0a %0d.txt", "lower %0a %0d.txt"}, // browsers write them in capitals
		{"%2522.txt", "%2522.txt"},
		{"Grüße %22ü%22.txt", `Grüße "ü".txt`},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.sent, func(t *testing.T) {
			if got := FormFileName(tt.sent); got != tt.want {
				t.Errorf("FormFileName(%q) = %q, want %q", tt.sent, got, tt.want)
			}
		})
	}
}
