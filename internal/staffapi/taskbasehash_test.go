package staffapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestTaskBaseHashValues sends base_description_hash values that are no hash at all: each
// is bad input naming the field, while the task's hash in capitals still counts as it.
func TestTaskBaseHashValues(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Site", false)
	task := h.task(&h.owner, p.ID, "Write copy")
	taskURL := "/api/v1/tasks/" + string(task.ID)
	var fresh taskAnswer
	h.mustJSON(&h.owner, "GET", taskURL, nil, http.StatusOK, &fresh)

	bad := []string{`""`, `-5`, `true`, `["` + fresh.DescriptionHash + `"]`,
		`"` + fresh.DescriptionHash[:63] + `"`, `"` + strings.Repeat("g", 64) + `"`,
		`"` + fresh.DescriptionHash + `00"`}
	for _, value := range bad {
		before := h.snapshot()
		status, raw := h.call(&h.owner, "PATCH", taskURL,
			`{"description":"x","base_description_hash":`+value+`}`)
		if status != http.StatusBadRequest || !strings.Contains(raw, `"field":"base_description_hash"`) {
			t.Errorf("base_description_hash %s: %d %s; want 400 naming the field", value, status, raw)
		}
		if after := h.snapshot(); after != before {
			t.Errorf("base_description_hash %s changed the store", value)
		}
	}

	h.mustJSON(&h.owner, "PATCH", taskURL, map[string]any{"description": "new text",
		"base_description_hash": strings.ToUpper(fresh.DescriptionHash)}, http.StatusOK, nil)
}
