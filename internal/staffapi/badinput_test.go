package staffapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"portico/internal/domain"
)

func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Bad input", true)
	task := h.task(&h.owner, p.ID, "Target")
	tasks := "/api/v1/projects/" + string(p.ID) + "/tasks"
	taskURL := "/api/v1/tasks/" + string(task.ID)
	unknown := string(domain.NewID())
	huge := `{"title":"` + strings.Repeat("a", maxJSONBody) + `"}`

	tests := []struct {
		name         string
		method, path string
		body         string
		contentType  string
		status       int
		field        string
		message      string
	}{
		{"malformed JSON", "POST", tasks, `{"title":`, "", 400, "", "not valid JSON"},
		{"not JSON at all", "POST", tasks, `title=x`, "", 400, "", "not valid JSON"},
		{"empty body", "POST", tasks, ``, "", 400, "", "empty"},
		{"array instead of object", "POST", tasks, `[1,2]`, "", 400, "", "JSON object"},
		{"two objects", "POST", tasks, `{"title":"a"}{"title":"b"}`, "", 400, "", "exactly one"},
		{"wrong type", "POST", tasks, `{"title": 5}`, "", 400, "title", "must be a string"},
		{"wrong nested type", "POST", tasks, `{"title":"a","assignee":{"kind":"staff","id":7}}`, "",
			400, "assignee.id", "must be a string"},
		{"wrong bool", "POST", tasks, `{"title":"a","shared":"yes"}`, "", 400, "shared", "true or false"},
		{"unknown field", "POST", tasks, `{"title":"a","colour":"red"}`, "", 400, "colour", "unknown"},
		{"oversize body", "POST", tasks, huge, "", 413, "", "larger than"},
		{"other content type", "POST", tasks, `{"title":"a"}`, "text/plain", 415, "", "application/json"},
		{"missing title", "POST", tasks, `{}`, "", 400, "title", "required"},
		{"empty title", "POST", tasks, `{"title":"   "}`, "", 400, "title", "empty"},
		{"title with a line break", "POST", tasks, `{"title":"a\nb"}`, "", 400, "title", "single line"},
		{"bad date", "POST", tasks, `{"title":"a","due":"2026-13-40"}`, "", 400, "due", "YYYY-MM-DD"},
		{"bad status", "PATCH", taskURL, `{"status":"finished"}`, "", 400, "status", "todo"},
		{"assignee not in project", "PATCH", taskURL,
			`{"assignee":{"kind":"client","id":"` + unknown + `"}}`, "", 400, "assignee", "client"},
		{"bad milestone", "PATCH", taskURL, `{"milestone_id":"` + unknown + `"}`, "", 400,
			"milestone_id", "milestone"},
		{"unknown task", "PATCH", "/api/v1/tasks/" + unknown, `{"title":"x"}`, "", 404, "", "not found"},
		{"malformed task id", "PATCH", "/api/v1/tasks/xyz", `{"title":"x"}`, "", 404, "", "not found"},
		{"malformed task id with symbols", "DELETE", "/api/v1/tasks/01H!!!", "", "", 404, "", ""},
		{"unknown project", "POST", "/api/v1/projects/" + unknown + "/tasks", `{"title":"x"}`, "", 404,
			"", "not found"},
		{"bad milestone date", "POST", "/api/v1/projects/" + string(p.ID) + "/milestones",
			`{"title":"M","due":"2026-02-30"}`, "", 400, "due", "YYYY-MM-DD"},
		{"empty project name", "POST", "/api/v1/projects",
			`{"workspace_id":"` + string(h.team) + `","name":""}`, "", 400, "name", "empty"},
		{"portal without on", "PUT", "/api/v1/projects/" + string(p.ID) + "/portal", `{}`, "", 400,
			"on", "required"},
		{"empty comment", "POST", taskURL + "/comments", `{"body":"  "}`, "", 400, "body", "empty"},
		{"bad client email", "POST", "/api/v1/projects/" + string(p.ID) + "/clients",
			`{"email":"not-an-address"}`, "", 400, "email", "valid email"},
		{"bad activity limit", "GET", "/api/v1/projects/" + string(p.ID) + "/activity?limit=abc", "",
			"", 400, "limit", ""},
		{"bad archived flag", "GET", "/api/v1/projects?archived=maybe", "", "", 400, "archived", ""},
		{"bad last event id", "GET", "/api/v1/events?last_event_id=-1", "", "", 400,
			"last_event_id", ""},
		{"bad staff role", "POST", "/api/v1/staff", `{"email":"x@agency.test","name":"X","role":"god"}`,
			"", 400, "role", "owner or member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			var body any
			if tt.body != "" {
				body = tt.body
			}
			var headers []string
			if tt.contentType != "" {
				headers = []string{"Content-Type", tt.contentType}
			}
			status, raw := h.call(&h.owner, tt.method, tt.path, body, headers...)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, raw)
			}
			var e errorBody
			if err := json.Unmarshal([]byte(raw), &e); err != nil || e.Error == "" {
				t.Fatalf("error body %q is not {\"error\": ...}", raw)
			}
			if e.Field != tt.field || !strings.Contains(e.Error, tt.message) {
				t.Errorf("got %+v, want field %q and a message with %q", e, tt.field, tt.message)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("the store changed: %+v → %+v", before, after)
			}
		})
	}
	var got domain.Task
	h.mustJSON(&h.owner, "GET", taskURL, nil, http.StatusOK, &got)
	if got.Title != "Target" || got.Status != domain.StatusTodo || got.Due != "" {
		t.Errorf("the task changed: %+v", got)
	}
}
