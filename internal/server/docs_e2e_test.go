package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestDocsEndToEnd shares one of two docs through the real server: the client sees the
// shared doc only, comments on it through the portal, and staff get that comment live;
// the client's own stream carries nothing of the hidden doc.
func TestDocsEndToEnd(t *testing.T) {
	h := start(t)
	token := h.setupOwner()
	project, _ := h.sharedProject(token)
	docs := "/api/v1/projects/" + project + "/docs"
	shared := h.api("POST", docs, token, map[string]any{"title": "Project brief",
		"body": "## Goals\n\nA faster site.", "shared": true}, 201)["id"].(string)
	hidden := h.api("POST", docs, token, map[string]any{"title": "Internal pricing",
		"body": "SECRET-PRICES", "shared": false}, 201)["id"].(string)

	h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	client := h.browser()
	h.acceptInvite(client, h.smtp.WaitFor(t, "dana@client.example", 30*time.Second).Link(t, "/invite/"))

	page := h.page(client, "/p/"+project, 200)
	if !strings.Contains(page, "/d/"+shared) || strings.Contains(page, "Internal pricing") {
		t.Errorf("the project page does not list exactly the shared doc:\n%s", page)
	}
	if doc := h.page(client, "/d/"+shared, 200); !strings.Contains(doc, "<h2>Goals</h2>") {
		t.Errorf("the doc page does not render the doc:\n%s", doc)
	}
	h.page(client, "/d/"+hidden, 404)

	staffReq, _ := http.NewRequest("GET", h.staff+"/api/v1/events", nil)
	staffReq.Header.Set("Authorization", "Bearer "+token)
	staffEvents := sse(t, h.browser(), staffReq)
	clientEvents := sse(t, client, mustRequest("GET", h.portal+"/p/"+project+"/events"))

	h.api("PATCH", "/api/v1/docs/"+hidden, token, map[string]any{"body": "SECRET-PRICES v2"}, 200)
	h.api("POST", "/api/v1/docs/"+hidden+"/comments", token, map[string]any{"body": "SECRET-NOTE"}, 201)
	h.api("POST", "/api/v1/docs/"+shared+"/comments", token,
		map[string]any{"body": "SECRET-INTERNAL", "internal": true}, 201)
	h.post(client, "/d/"+shared+"/comments", url.Values{"body": {"Approved."}}, 303)

	wantInOrder(t, staffEvents, "doc.updated", "comment.added", "comment.added", "comment.added")
	seen := untilDocComment(t, clientEvents, shared)
	for _, data := range seen {
		if strings.Contains(data, hidden) || strings.Contains(data, "SECRET") {
			t.Errorf("the client's stream sent %s", data)
		}
	}
	if n := len(seen); n != 1 {
		t.Errorf("the client's stream sent %d events, want only their own comment: %v", n, seen)
	}
}

// untilDocComment reads a client's stream until a comment on the doc arrives, and returns
// every event read.
func untilDocComment(t *testing.T, events <-chan string, docID string) []string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	var seen []string
	for {
		select {
		case data, ok := <-events:
			if !ok {
				t.Fatalf("client stream ended; saw %v", seen)
			}
			seen = append(seen, data)
			var ev struct {
				Action string `json:"action"`
				DocID  string `json:"doc_id"`
			}
			if json.Unmarshal([]byte(data), &ev) == nil && ev.Action == "comment.added" &&
				ev.DocID == docID {
				return seen
			}
		case <-deadline:
			t.Fatalf("client stream: saw %v, no comment on the doc", seen)
		}
	}
}
