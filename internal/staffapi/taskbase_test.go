package staffapi

import (
	"net/http"
	"strings"
	"testing"
)

// taskAnswer is the part of a task answer these tests read.
type taskAnswer struct {
	Title           string `json:"title"`
	Description     string `json:"description"`
	DescriptionHash string `json:"description_hash"`
}

// TestTaskDescriptionConflict has two staff members edit one description from the same
// base, as two open task drawers do: the first save wins, the second is refused with 409
// and a message saying why, and the stored text stays the first one's until the second
// saves again from the text they were shown.
func TestTaskDescriptionConflict(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Site", false)
	task := h.task(&h.owner, p.ID, "Write copy")
	url := "/api/v1/tasks/" + string(task.ID)

	var opened taskAnswer
	h.mustJSON(&h.member, "GET", url, nil, http.StatusOK, &opened)
	if len(opened.DescriptionHash) != 64 {
		t.Fatalf("description_hash %q; want a SHA-256 in hex", opened.DescriptionHash)
	}
	var first taskAnswer
	h.mustJSON(&h.owner, "PATCH", url, map[string]any{"description": "owner's text",
		"base_description_hash": opened.DescriptionHash}, http.StatusOK, &first)
	if first.Description != "owner's text" || first.DescriptionHash == opened.DescriptionHash {
		t.Fatalf("first save answered %+v; want the new text with a new hash", first)
	}

	before := h.snapshot()
	status, raw := h.call(&h.member, "PATCH", url, map[string]any{"description": "member's text",
		"base_description_hash": opened.DescriptionHash})
	if status != http.StatusConflict || !strings.Contains(raw, "someone else saved") {
		t.Fatalf("stale save: %d %s; want 409 saying someone else saved", status, raw)
	}
	if after := h.snapshot(); after != before {
		t.Errorf("a refused save changed the store: %+v -> %+v", before, after)
	}
	var now taskAnswer
	h.mustJSON(&h.member, "GET", url, nil, http.StatusOK, &now)
	if now.Description != "owner's text" || now.DescriptionHash != first.DescriptionHash {
		t.Errorf("after the refusal the task reads %+v; want the owner's text", now)
	}

	var kept taskAnswer
	h.mustJSON(&h.member, "PATCH", url, map[string]any{"description": "member's text",
		"base_description_hash": now.DescriptionHash}, http.StatusOK, &kept)
	if kept.Description != "member's text" {
		t.Errorf("keeping mine from the shown text gave %+v", kept)
	}
}

// TestTaskSavesWithoutBase checks that clients which know nothing of the base (older
// pages, scripts, the desktop shell's calls) save as before, also over someone's newer
// text, and that other fields never need a base.
func TestTaskSavesWithoutBase(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Site", false)
	task := h.task(&h.owner, p.ID, "Write copy")
	url := "/api/v1/tasks/" + string(task.ID)

	steps := []struct {
		who  *account
		body map[string]any
	}{
		{&h.owner, map[string]any{"description": "one"}},
		{&h.member, map[string]any{"description": "two"}},
		{&h.owner, map[string]any{"title": "Write the copy", "status": "doing"}},
		{&h.member, map[string]any{"description": "three", "title": "Copy"}},
	}
	var got taskAnswer
	for _, s := range steps {
		h.mustJSON(s.who, "PATCH", url, s.body, http.StatusOK, &got)
	}
	if got.Description != "three" || got.Title != "Copy" || len(got.DescriptionHash) != 64 {
		t.Errorf("after base-less saves: %+v", got)
	}

	var listed []taskAnswer
	h.mustJSON(&h.owner, "GET", "/api/v1/projects/"+string(p.ID)+"/tasks", nil, http.StatusOK, &listed)
	if len(listed) != 1 || listed[0].DescriptionHash != got.DescriptionHash {
		t.Errorf("the list shows %+v; want the same description_hash as the task", listed)
	}
}

// TestTaskBaseBadInput checks the refusals that name base_description_hash.
func TestTaskBaseBadInput(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Site", false)
	task := h.task(&h.owner, p.ID, "Write copy")
	var fresh taskAnswer
	h.mustJSON(&h.owner, "GET", "/api/v1/tasks/"+string(task.ID), nil, http.StatusOK, &fresh)
	cases := []struct {
		name, method, target string
		body                 map[string]any
	}{
		{"on creation", "POST", "/api/v1/projects/" + string(p.ID) + "/tasks",
			map[string]any{"title": "New", "base_description_hash": fresh.DescriptionHash}},
		{"without a description", "PATCH", "/api/v1/tasks/" + string(task.ID),
			map[string]any{"title": "New", "base_description_hash": fresh.DescriptionHash}},
		{"not a hash", "PATCH", "/api/v1/tasks/" + string(task.ID),
			map[string]any{"description": "x", "base_description_hash": "version 3"}},
		{"a number", "PATCH", "/api/v1/tasks/" + string(task.ID),
			map[string]any{"description": "x", "base_description_hash": 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.snapshot()
			status, raw := h.call(&h.owner, c.method, c.target, c.body)
			if status != http.StatusBadRequest || !strings.Contains(raw, `"field":"base_description_hash"`) {
				t.Errorf("%d %s; want 400 naming base_description_hash", status, raw)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("a refused request changed the store: %+v -> %+v", before, after)
			}
		})
	}
}
