package portal

import (
	"testing"

	"portico/internal/domain"
)

func TestDueLabel(t *testing.T) {
	cases := []struct {
		due, today string
		status     domain.Status
		label      string
		overdue    bool
	}{
		{"", "2030-01-01", domain.StatusTodo, "", false},
		{"2030-01-31", "2030-01-01", domain.StatusTodo, "31 Jan 2030", false},
		{"2029-12-05", "2030-01-01", domain.StatusTodo, "5 Dec 2029", true},
		{"2029-12-05", "2030-01-01", domain.StatusDone, "5 Dec 2029", false},
		{"2030-13-01", "2030-01-01", domain.StatusTodo, "2030-13-01", false},
		{"soon", "2030-01-01", domain.StatusTodo, "soon", false},
	}
	for _, tc := range cases {
		t.Run(tc.due, func(t *testing.T) {
			label, overdue := dueLabel(tc.due, tc.today, tc.status)
			if label != tc.label || overdue != tc.overdue {
				t.Errorf("got %q, %v; want %q, %v", label, overdue, tc.label, tc.overdue)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	cases := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KB", 1536: "1.5 KB",
		5 << 20: "5.0 MB", 2 << 30: "2.0 GB"}
	for n, want := range cases {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
