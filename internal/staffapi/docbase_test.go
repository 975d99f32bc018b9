package staffapi

import (
	"net/http"
	"strings"
	"testing"

	"portico/internal/domain"
)

// TestDocBaseVersionBadInput checks that a base_version below 1, which no doc ever had, is
// bad input (400 naming the field), while another version than the doc's is a conflict.
func TestDocBaseVersionBadInput(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Docs", false)
	d := h.doc(&h.owner, p.ID, "Brief", "first")
	docURL := "/api/v1/docs/" + string(d.ID)
	h.mustJSON(&h.owner, "PATCH", docURL, map[string]any{"body": "second"}, http.StatusOK, nil)

	tests := []struct {
		name   string
		body   string
		status int
		field  string
		text   string
	}{
		{"negative", `{"body":"x","base_version":-5}`, 400, "base_version", "1 or more"},
		{"zero", `{"body":"x","base_version":0}`, 400, "base_version", "1 or more"},
		{"the switch alone", `{"shared":true,"base_version":-1}`, 400, "base_version", "1 or more"},
		{"a fraction", `{"body":"x","base_version":1.5}`, 400, "base_version", "whole number"},
		{"a string", `{"body":"x","base_version":"2"}`, 400, "base_version", "whole number"},
		{"too large", `{"body":"x","base_version":99999999999999999999}`, 400, "base_version",
			"out of range"},
		{"older", `{"body":"x","base_version":1}`, 409, "", "someone else"},
		{"newer, as after a restored backup", `{"body":"x","base_version":3}`, 409, "",
			"someone else"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			status, raw := h.call(&h.owner, "PATCH", docURL, tt.body)
			if status != tt.status || !strings.Contains(raw, tt.text) ||
				(tt.field != "" && !strings.Contains(raw, `"field":"`+tt.field+`"`)) {
				t.Errorf("%d %s; want %d naming %q with %q", status, raw, tt.status, tt.field, tt.text)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("the store changed: %+v → %+v", before, after)
			}
		})
	}

	var saved domain.Doc
	h.mustJSON(&h.owner, "PATCH", docURL, map[string]any{"body": "third", "base_version": 2},
		http.StatusOK, &saved)
	if saved.Version != 3 || saved.Body != "third" {
		t.Errorf("a save from the current version gave %+v", saved)
	}
}

// TestRestoreCurrentContent checks that restoring the content a doc has already answers
// the doc as it is and writes nothing: no version, no activity, no live event.
func TestRestoreCurrentContent(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Docs", false)
	d := h.doc(&h.owner, p.ID, "Brief", "first")
	docURL := "/api/v1/docs/" + string(d.ID)
	var at domain.Doc
	h.mustJSON(&h.owner, "PATCH", docURL, map[string]any{"body": "second"}, http.StatusOK, nil)
	h.mustJSON(&h.owner, "POST", docURL+"/versions/1/restore", nil, http.StatusOK, &at)
	if at.Version != 3 || at.Body != "first" {
		t.Fatalf("restore of version 1 gave %+v; want version 3 with the first body", at)
	}

	stream := h.openEvents(&h.member, "")
	// Version 3 is the current one; version 1 has the same title and body.
	for _, n := range []string{"3", "1"} {
		before := h.snapshot()
		var got domain.Doc
		h.mustJSON(&h.owner, "POST", docURL+"/versions/"+n+"/restore", nil, http.StatusOK, &got)
		if got.Version != 3 || got.Body != "first" || !got.Updated.Equal(at.Updated) ||
			got.UpdatedBy != at.UpdatedBy {
			t.Errorf("restore of version %s answered %+v; want the doc as it was, %+v", n, got, at)
		}
		if after := h.snapshot(); after != before {
			t.Errorf("restore of version %s changed the store: %+v → %+v", n, before, after)
		}
	}

	// A real change afterwards is the next entry the stream sends: the restores sent none.
	h.mustJSON(&h.owner, "POST", docURL+"/versions/2/restore", nil, http.StatusOK, &at)
	if at.Version != 4 || at.Body != "second" {
		t.Errorf("restore of version 2 gave %+v", at)
	}
	stream.expectActions(t, domain.ActionDocRestored)
}
