package domain

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WorkspaceKind says who may work in a workspace.
type WorkspaceKind string

// Workspace kinds: a personal workspace is private to its owner and can never be shared
// with clients; a shared workspace is open to every staff member.
const (
	WorkspacePersonal WorkspaceKind = "personal"
	WorkspaceShared   WorkspaceKind = "shared"
)

// Workspace groups projects.
type Workspace struct {
	ID      ID            `json:"id"`
	Name    string        `json:"name"`
	Kind    WorkspaceKind `json:"kind"`
	OwnerID ID            `json:"owner_id,omitempty"`
	Created time.Time     `json:"created"`
}

// Project is a piece of client work. PortalOn opens it to its client members; AutoShare
// decides whether new milestones and tasks start visible.
type Project struct {
	ID          ID        `json:"id"`
	WorkspaceID ID        `json:"workspace_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Archived    bool      `json:"archived"`
	PortalOn    bool      `json:"portal_on"`
	AutoShare   bool      `json:"auto_share"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// Milestone is a stage of a project holding ordered tasks.
type Milestone struct {
	ID        ID        `json:"id"`
	ProjectID ID        `json:"project_id"`
	Title     string    `json:"title"`
	Due       string    `json:"due,omitempty"`
	Shared    bool      `json:"shared"`
	Order     int64     `json:"order"`
	Created   time.Time `json:"created"`
}

// CleanTitle trims a name or title and checks its length.
func CleanTitle(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Invalid(field, "must not be empty")
	}
	if !utf8.ValidString(s) {
		return "", Invalid(field, "is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > max {
		return "", Invalid(field, "is longer than %d characters", max)
	}
	if strings.ContainsAny(s, "\r\n\x00\u2028\u2029") {
		return "", Invalid(field, "must be a single line")
	}
	if strings.IndexFunc(s, isDirectionControl) >= 0 {
		return "", Invalid(field, "must not contain text-direction control characters")
	}
	if strings.TrimFunc(s, isInvisible) == "" {
		return "", Invalid(field, "must contain visible text")
	}
	return s, nil
}

// isDirectionControl matches the bidirectional embedding, override and isolate controls,
// which can make a title display as something other than what it is.
func isDirectionControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isInvisible matches white space and the zero-width characters.
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 ||
		r == 0xFEFF || r == 0x200E || r == 0x200F
}

// CleanText checks a free-text body such as a description or a comment.
func CleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(field, "is not valid UTF-8")
	}
	if len(s) > max {
		return "", Invalid(field, "is longer than %d bytes", max)
	}
	if strings.ContainsRune(s, 0) {
		return "", Invalid(field, "contains a NUL character")
	}
	return s, nil
}

// CleanDate checks a calendar date written as YYYY-MM-DD; the empty string means none.
func CleanDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", Invalid(field, "must be a date written as YYYY-MM-DD")
	}
	if d.Year() < 1900 || d.Year() > 2999 {
		return "", Invalid(field, "must be a date between the years 1900 and 2999")
	}
	return s, nil
}
