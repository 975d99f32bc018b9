package staffapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"portico/internal/domain"
)

func (h *harness) doc(who *account, projectID domain.ID, title, body string) domain.Doc {
	h.t.Helper()
	var d domain.Doc
	h.mustJSON(who, "POST", "/api/v1/projects/"+string(projectID)+"/docs",
		map[string]any{"title": title, "body": body}, http.StatusCreated, &d)
	return d
}

// TestDocLifecycle walks a doc through every route, as the staff UI does, and checks the
// staff stream reports each step live, a client's comment included.
func TestDocLifecycle(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Docs", false)
	clientID := h.addClient(p.ID)
	stream := h.openEvents(&h.member, "")
	d := h.doc(&h.owner, p.ID, "Brief", "first")
	if d.Version != 1 || d.Shared || d.Body != "first" || d.UpdatedBy.ID != h.owner.ID {
		t.Fatalf("created %+v; want version 1, hidden (auto-share is off)", d)
	}
	docURL := "/api/v1/docs/" + string(d.ID)

	status, raw := h.call(&h.owner, "GET", "/api/v1/projects/"+string(p.ID)+"/docs", nil)
	if status != http.StatusOK || !strings.Contains(raw, `"title":"Brief"`) ||
		strings.Contains(raw, `"body"`) {
		t.Errorf("list: %d %s; want summaries without bodies", status, raw)
	}

	var saved domain.Doc
	h.mustJSON(&h.member, "PATCH", docURL, map[string]any{"body": "second", "base_version": 1},
		http.StatusOK, &saved)
	if saved.Version != 2 || saved.UpdatedBy.ID != h.member.ID {
		t.Errorf("saved %+v; want version 2 by the member", saved)
	}
	status, raw = h.call(&h.owner, "PATCH", docURL, map[string]any{"body": "lost", "base_version": 1})
	if status != http.StatusConflict || !strings.Contains(raw, "someone else") {
		t.Errorf("stale save: %d %s", status, raw)
	}
	h.mustJSON(&h.owner, "PATCH", docURL, map[string]any{"shared": true}, http.StatusOK, &saved)
	if saved.Version != 2 || !saved.Shared {
		t.Errorf("shared switch gave %+v", saved)
	}

	var versions []map[string]any
	h.mustJSON(&h.owner, "GET", docURL+"/versions", nil, http.StatusOK, &versions)
	if len(versions) != 2 || versions[0]["n"] != 2.0 || versions[1]["size"] != 5.0 ||
		versions[0]["body"] != nil {
		t.Errorf("versions %v; want 2 then 1, without bodies", versions)
	}
	var v1 domain.DocVersion
	h.mustJSON(&h.owner, "GET", docURL+"/versions/1", nil, http.StatusOK, &v1)
	if v1.Body != "first" || v1.Author.ID != h.owner.ID {
		t.Errorf("version 1 = %+v", v1)
	}
	h.mustJSON(&h.owner, "POST", docURL+"/versions/1/restore", nil, http.StatusOK, &saved)
	if saved.Version != 3 || saved.Body != "first" || !saved.Shared {
		t.Errorf("restored %+v; want version 3 with the first body, still shared", saved)
	}
	h.mustJSON(&h.owner, "GET", docURL+"/versions/3", nil, http.StatusOK, &v1)
	if v1.RestoredFrom != 1 {
		t.Errorf("version 3 restored_from %d, want 1", v1.RestoredFrom)
	}

	var c domain.Comment
	h.mustJSON(&h.owner, "POST", docURL+"/comments", map[string]any{"body": "note", "internal": true},
		http.StatusCreated, &c)
	if c.DocID != d.ID || c.TaskID != "" || !c.Internal {
		t.Errorf("comment %+v", c)
	}
	client, err := h.svc.ClientDocComment(clientID, d.ID, "from the client")
	if err != nil {
		t.Fatal(err)
	}
	var comments []domain.Comment
	h.mustJSON(&h.member, "GET", docURL+"/comments", nil, http.StatusOK, &comments)
	if len(comments) != 2 || comments[1].ID != client.ID {
		t.Errorf("comments %+v", comments)
	}
	h.mustJSON(&h.owner, "DELETE", "/api/v1/comments/"+string(c.ID), nil, http.StatusNoContent, nil)
	h.mustJSON(&h.owner, "DELETE", docURL, nil, http.StatusNoContent, nil)
	gone := []string{docURL, docURL + "/versions", docURL + "/versions/1", docURL + "/comments"}
	for _, path := range gone {
		if status, _ := h.call(&h.owner, "GET", path, nil); status != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d", path, status)
		}
	}

	got := stream.expectActions(t, domain.ActionDocCreated, domain.ActionDocUpdated,
		domain.ActionDocShared, domain.ActionDocRestored, domain.ActionCommentAdded,
		domain.ActionCommentAdded, domain.ActionCommentDeleted, domain.ActionDocDeleted)
	for _, ev := range got {
		if ev.Entry.DocID != d.ID || ev.Entry.ProjectID != p.ID || ev.Entry.TaskID != "" {
			t.Errorf("entry %+v does not name the doc and its project", ev.Entry)
		}
	}
	if e := got[5].Entry; e.Actor.Kind != domain.ActorClient || e.ObjectID != client.ID {
		t.Errorf("the client's comment reached staff as %+v", e)
	}
	if strings.Contains(h.allActivity(), "from the client") {
		t.Error("the activity log copies comment content")
	}
}

// addClient turns the project's portal on, adds a client and returns their ID.
func (h *harness) addClient(projectID domain.ID) domain.ID {
	h.t.Helper()
	h.mustJSON(&h.owner, "PUT", "/api/v1/projects/"+string(projectID)+"/portal",
		map[string]bool{"on": true}, http.StatusOK, nil)
	var inv inviteView
	h.mustJSON(&h.owner, "POST", "/api/v1/projects/"+string(projectID)+"/clients",
		map[string]string{"email": "dana@client.test"}, http.StatusCreated, &inv)
	return inv.Client.ID
}

// TestDocRights checks that a doc in a personal project is out of other staff's reach on
// every route, like a missing one.
func TestDocRights(t *testing.T) {
	h := newHarness(t)
	private := h.project(&h.member, h.member.Personal, "Private", false)
	d := h.doc(&h.member, private.ID, "SECRET-DOC", "SECRET-BODY")
	docURL := "/api/v1/docs/" + string(d.ID)
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/projects/" + string(private.ID) + "/docs", ""},
		{"POST", "/api/v1/projects/" + string(private.ID) + "/docs", `{"title":"x"}`},
		{"GET", docURL, ""},
		{"PATCH", docURL, `{"title":"mine"}`},
		{"DELETE", docURL, ""},
		{"GET", docURL + "/versions", ""},
		{"GET", docURL + "/versions/1", ""},
		{"POST", docURL + "/versions/1/restore", ""},
		{"GET", docURL + "/comments", ""},
		{"POST", docURL + "/comments", `{"body":"hi"}`},
	}
	before := h.snapshot()
	for _, who := range []*account{&h.other, &h.owner} {
		for _, r := range routes {
			var body any
			if r.body != "" {
				body = r.body
			}
			status, raw := h.call(who, r.method, r.path, body)
			if status != http.StatusNotFound || strings.Contains(raw, "SECRET") {
				t.Errorf("%s %s as %s: %d %s", r.method, r.path, who.Email, status, raw)
			}
		}
	}
	if after := h.snapshot(); after != before {
		t.Errorf("refused requests changed the store: %+v → %+v", before, after)
	}
}

func TestDocBadInput(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Bad doc input", false)
	d := h.doc(&h.owner, p.ID, "Target", "body")
	docs := "/api/v1/projects/" + string(p.ID) + "/docs"
	docURL := "/api/v1/docs/" + string(d.ID)
	unknown := string(domain.NewID())
	tooLong, _ := json.Marshal(map[string]string{"body": strings.Repeat("a", domain.MaxDocBody+1)})

	tests := []struct {
		name, method, path, body string
		status                   int
		field, message           string
	}{
		{"missing title", "POST", docs, `{"body":"x"}`, 400, "title", "required"},
		{"empty title", "POST", docs, `{"title":"  "}`, 400, "title", "empty"},
		{"title with a line break", "POST", docs, `{"title":"a\nb"}`, 400, "title", "single line"},
		{"title too long", "POST", docs, `{"title":"` + strings.Repeat("t", 301) + `"}`, 400, "title",
			"longer than 300"},
		{"wrong type", "POST", docs, `{"title":"a","body":5}`, 400, "body", "must be a string"},
		{"unknown field", "POST", docs, `{"title":"a","colour":"red"}`, 400, "colour", "unknown"},
		{"base version on create", "POST", docs, `{"title":"a","base_version":1}`, 400,
			"base_version", "changing"},
		{"malformed JSON", "PATCH", docURL, `{"title":`, 400, "", "not valid JSON"},
		{"body too long", "PATCH", docURL, string(tooLong), 400, "body", "longer than 200000"},
		{"body with NUL", "PATCH", docURL, `{"body":"a\u0000b"}`, 400, "body", "NUL"},
		{"stale base version", "PATCH", docURL, `{"body":"x","base_version":7}`, 409, "",
			"someone else"},
		{"unknown doc", "PATCH", "/api/v1/docs/" + unknown, `{"title":"x"}`, 404, "", "not found"},
		{"malformed doc id", "GET", "/api/v1/docs/nope", "", 404, "", "not found"},
		{"unknown project", "POST", "/api/v1/projects/" + unknown + "/docs", `{"title":"x"}`, 404, "",
			"not found"},
		{"unknown version", "GET", docURL + "/versions/2", "", 404, "", "not found"},
		{"version zero", "GET", docURL + "/versions/0", "", 404, "", "not found"},
		{"version not a number", "POST", docURL + "/versions/one/restore", "", 404, "", "not found"},
		{"version with a leading zero", "GET", docURL + "/versions/01", "", 404, "", "not found"},
		{"restore unknown version", "POST", docURL + "/versions/5/restore", "", 404, "", "not found"},
		{"empty comment", "POST", docURL + "/comments", `{"body":" "}`, 400, "body", "empty"},
		{"wrong method", "PUT", docURL, `{}`, 405, "", "GET, PATCH, DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			var body any
			if tt.body != "" {
				body = tt.body
			}
			status, raw := h.call(&h.owner, tt.method, tt.path, body)
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
}
