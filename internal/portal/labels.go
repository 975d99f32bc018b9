package portal

import (
	"strconv"
	"strings"
	"time"

	"portico/internal/domain"
)

// statusLabel names a task status for people.
func statusLabel(s domain.Status) string {
	switch s {
	case domain.StatusDone:
		return "Done"
	case domain.StatusDoing:
		return "In progress"
	}

	return "To do"
}

// assigneeLabel says who a task is for without naming anyone: "you" for the viewer,
// "agency" for any staff member, "another client" for anyone else. Staff and other
// clients' names and emails never reach the task lists.
func assigneeLabel(a domain.Actor, viewer domain.ID) string {
	switch {
	case a.IsZero():
		return ""
	case a.IsClient(viewer):
		return "you"
	case a.Kind == domain.ActorStaff:
		return "agency"
	}

	return "another client"
}

// dueLabel formats a YYYY-MM-DD due date as "2 Jan 2006"; overdue is true when the date
// is before today and the task is not done. It reads the digits directly, since a project
// page formats hundreds of dates; anything not shaped like a date is shown as it is.
func dueLabel(due, today string, status domain.Status) (label string, overdue bool) {
	if due == "" {
		return "", false
	}

	if len(due) != 10 || due[4] != '-' || due[7] != '-' {
		return due, false
	}

	month, err := strconv.Atoi(due[5:7])
	if err != nil || month < 1 || month > 12 {
		return due, false
	}

	day := strings.TrimPrefix(due[8:], "0")
	label = day + " " + time.Month(month).String()[:3] + " " + due[:4]
	return label, due < today && status != domain.StatusDone
}

// timeLabel formats a server timestamp for pages.
func timeLabel(t time.Time) string {
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// formatSize writes a byte count the way people read it.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}

	value, suffix := float64(n)/unit, "KB"
	for _, next := range []string{"MB", "GB", "TB"} {
		if value < unit {
			break
		}

		value, suffix = value/unit, next
	}

	return strconv.FormatFloat(value, 'f', 1, 64) + " " + suffix
}
