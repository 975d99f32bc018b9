package domain

import (
	"errors"
	"testing"
)

func TestCleanTitle(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"  Kick-off  ", "Kick-off", true},
		{"Résumé 履歴書", "Résumé 履歴書", true},
		{"", "", false},
		{"two\nlines", "", false},
		{"line\u2028separator", "", false},
		{"evil\u202Etxt.exe", "", false},
		{"\u200B\u200B", "", false},
		{"a\x00b", "", false},
		{"bad \xff utf8", "", false},
	}
	for _, c := range cases {
		got, err := CleanTitle("title", c.in, MaxTitle)
		var invalid *ValidationError
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("CleanTitle(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if !c.ok && !errors.As(err, &invalid) {
			t.Errorf("CleanTitle(%q) = %q, %v; want a validation error", c.in, got, err)
		}
	}
}

func TestCleanDate(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "2026-12-31": true, "2026-13-40": false,
		"0000-01-01": false, "31/12/2026": false} {
		if _, err := CleanDate("due", in); (err == nil) != ok {
			t.Errorf("CleanDate(%q): err %v, want ok=%v", in, err, ok)
		}
	}
}
