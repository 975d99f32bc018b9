package staffapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"portico/internal/domain"
)

// TestBodyNotUTF8 sends JSON bodies holding bytes that are not UTF-8 to several routes:
// each is refused with 400 naming the field, and nothing is stored, where encoding/json on
// its own would have saved U+FFFD in their place.
func TestBodyNotUTF8(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Encoding", false)
	task := h.task(&h.owner, p.ID, "Target")
	d := h.doc(&h.owner, p.ID, "Brief", "first")
	docs := "/api/v1/projects/" + string(p.ID) + "/docs"
	docURL := "/api/v1/docs/" + string(d.ID)
	taskURL := "/api/v1/tasks/" + string(task.ID)

	tests := []struct {
		name         string
		who          *account
		method, path string
		body         string
		field        string
	}{
		{"doc body", &h.owner, "POST", docs, `{"title":"T","body":"` + "\xff\xfe" + `"}`, "body"},
		{"doc title", &h.owner, "POST", docs, `{"title":"Br` + "\xc3" + `ef"}`, "title"},
		{"doc change", &h.owner, "PATCH", docURL, `{"body":"a` + "\xed\xa0\x80" + `b"}`, "body"},
		{"task title", &h.owner, "POST", "/api/v1/projects/" + string(p.ID) + "/tasks",
			`{"title":"` + "\x80" + `"}`, "title"},
		{"nested field", &h.owner, "PATCH", taskURL,
			`{"assignee":{"kind":"staff","id":"` + "\xff" + `"}}`, "assignee.id"},
		{"in a key", &h.owner, "PATCH", taskURL, `{"ti` + "\xff" + `tle":"x"}`, ""},
		{"comment", &h.owner, "POST", taskURL + "/comments", `{"body":"ok ` + "\xfe" + `"}`, "body"},
		{"markdown preview", &h.owner, "POST", "/api/v1/markdown/preview",
			`{"text":"` + "\xc0\xaf" + `"}`, "text"},
		{"sign-in, no session", nil, "POST", "/api/v1/session",
			`{"email":"owner@agency.test","password":"` + "\xff" + `"}`, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			status, raw := h.call(tt.who, tt.method, tt.path, tt.body)
			var e errorBody
			if err := json.Unmarshal([]byte(raw), &e); err != nil {
				t.Fatalf("%d %q is not a JSON error", status, raw)
			}
			if status != http.StatusBadRequest || e.Field != tt.field ||
				!strings.Contains(e.Error, "not valid UTF-8") {
				t.Errorf("%d %+v; want 400, field %q, \"not valid UTF-8\"", status, e, tt.field)
			}
			if tt.field != "" && !strings.HasPrefix(e.Error, tt.field+" ") {
				t.Errorf("message %q does not start with the field", e.Error)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("the store changed: %+v → %+v", before, after)
			}
		})
	}

	var got domain.Doc
	h.mustJSON(&h.owner, "GET", docURL, nil, http.StatusOK, &got)
	if got.Body != "first" || got.Version != 1 {
		t.Errorf("the doc changed: %+v", got)
	}
}

// TestBodyUTF8Kept checks that text in every range of UTF-8, sent raw or escaped, is
// stored exactly as sent.
func TestBodyUTF8Kept(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Encoding", false)
	text := "Grüße · ✓ Ελληνικά 中文 😀"
	raw := `{"title":"Notes","body":"` + text + ` \u00e9\ud83d\ude00"}`
	var d domain.Doc
	status, answer := h.call(&h.owner, "POST", "/api/v1/projects/"+string(p.ID)+"/docs", raw)
	if status != http.StatusCreated {
		t.Fatalf("%d %s", status, answer)
	}
	if err := json.Unmarshal([]byte(answer), &d); err != nil {
		t.Fatal(err)
	}
	if want := text + " é😀"; d.Body != want {
		t.Errorf("body %q, want %q", d.Body, want)
	}
}

func TestInvalidUTF8Field(t *testing.T) {
	tests := []struct {
		name, raw string
		field     string
		bad       bool
	}{
		{"valid", `{"a":"ü","b":[1,"✓"]}`, "", false},
		{"top-level value", `{"a":"x","b":"` + "\xff" + `"}`, "b", true},
		{"after a nested object", `{"a":{"b":"c"},"d":"` + "\xff" + `"}`, "d", true},
		{"in a list", `{"a":[{"x":1},"` + "\xff" + `"]}`, "a", true},
		{"in an object in a list", `{"a":[{"b":"` + "\xff" + `"}]}`, "a.b", true},
		{"after an empty object", `{"a":{},"b":"` + "\xff" + `"}`, "b", true},
		{"a bare string", `"` + "\xff" + `"`, "", true},
		{"not JSON", "\xff", "", true},
		{"a pair of escapes", `{"a":"\ud83d\ude00 and \u00e9"}`, "", false},
		{"an escaped backslash before u", `{"a":"\\ud800"}`, "", false},
		{"a lone high escape", `{"a":"x","t":"lone \ud800 end"}`, "t", true},
		{"a high escape at the end", `{"t":"\uD83D"}`, "t", true},
		{"a lone low escape", `{"t":"\udc00"}`, "t", true},
		{"a high escape before a letter", `{"t":"\ud83d\u0041"}`, "t", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, bad := invalidUTF8([]byte(tt.raw))
			if field != tt.field || bad != tt.bad {
				t.Errorf("got %q, %v; want %q, %v", field, bad, tt.field, tt.bad)
			}
		})
	}
}
