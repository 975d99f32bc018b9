package staffapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"portico/internal/markdown"
)

// TestRenderedMarkdownMatchesPortal checks that tasks, projects and comments carry the
// portal's own rendering of their markdown, and that the preview route renders the same.
func TestRenderedMarkdownMatchesPortal(t *testing.T) {
	h := newHarness(t)
	const src = "**bold** <b>raw</b> [rel](/x) [pr](//evil.example) ![i](https://e.test/i.png)"
	want := string(markdown.Render(src))

	p := h.project(&h.owner, h.team, "Site", false)
	var proj struct {
		DescriptionHTML string `json:"description_html"`
	}
	h.mustJSON(&h.owner, "PATCH", "/api/v1/projects/"+string(p.ID),
		map[string]any{"description": src}, http.StatusOK, &proj)

	task := h.task(&h.owner, p.ID, "Logo")
	var tv struct {
		Description     string `json:"description"`
		DescriptionHTML string `json:"description_html"`
	}
	h.mustJSON(&h.owner, "PATCH", "/api/v1/tasks/"+string(task.ID),
		map[string]any{"description": src}, http.StatusOK, &tv)

	var listed []struct {
		DescriptionHTML string `json:"description_html"`
	}
	h.mustJSON(&h.owner, "GET", "/api/v1/projects/"+string(p.ID)+"/tasks", nil, http.StatusOK, &listed)

	h.mustJSON(&h.owner, "POST", "/api/v1/tasks/"+string(task.ID)+"/comments",
		map[string]any{"body": src}, http.StatusCreated, nil)
	var comments []struct {
		Body     string `json:"body"`
		BodyHTML string `json:"body_html"`
	}
	h.mustJSON(&h.owner, "GET", "/api/v1/tasks/"+string(task.ID)+"/comments", nil,
		http.StatusOK, &comments)

	var preview struct {
		HTML string `json:"html"`
	}
	h.mustJSON(&h.member, "POST", "/api/v1/markdown/preview", map[string]string{"text": src},
		http.StatusOK, &preview)

	got := map[string]string{"project": proj.DescriptionHTML, "task": tv.DescriptionHTML,
		"preview": preview.HTML}
	if len(listed) == 1 {
		got["task list"] = listed[0].DescriptionHTML
	}
	if len(comments) == 1 {
		got["comment"] = comments[0].BodyHTML
	}
	for _, name := range []string{"project", "task", "task list", "comment", "preview"} {
		if got[name] != want {
			t.Errorf("%s: got %q, want %q", name, got[name], want)
		}
	}
	if tv.Description != src || strings.Contains(want, "evil.example\"") ||
		strings.Contains(want, "<b>") {
		t.Errorf("description %q, rendered %q", tv.Description, want)
	}
}

func TestMarkdownPreviewRefusals(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		who  *account
		body any
		want int
	}{
		{"signed out", nil, map[string]string{"text": "x"}, http.StatusUnauthorized},
		{"unknown field", &h.owner, map[string]string{"txt": "x"}, http.StatusBadRequest},
		{"too long", &h.owner, map[string]string{"text": strings.Repeat("a", 200_001)},
			http.StatusBadRequest},
		{"empty", &h.owner, map[string]string{"text": ""}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.call(tt.who, "POST", "/api/v1/markdown/preview", tt.body)
			if status != tt.want {
				t.Errorf("status %d, want %d: %s", status, tt.want, body)
			}
		})
	}
}

// TestMarkdownPreviewIsFast guards against quadratic rendering of unmatched emphasis and
// brackets, which once blocked the staff UI for seconds.
func TestMarkdownPreviewIsFast(t *testing.T) {
	for _, src := range []string{strings.Repeat(" _a", 6600), strings.Repeat("*a ", 33000),
		strings.Repeat("[a", 30000)} {
		start := time.Now()
		markdown.Render(src)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("rendering %q… took %v", src[:9], d)
		}
	}
}
