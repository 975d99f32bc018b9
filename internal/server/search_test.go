package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/internal/server"
)

// TestClientSearchFollowsSharing searches as a client over real HTTPS: a task in a shared
// milestone and its comment are found, a hidden task never is, and once the milestone is
// unshared the client's very next search finds neither, without waiting for the index.
func TestClientSearchFollowsSharing(t *testing.T) {
	h := start(t)
	token := h.setupOwner()
	project, _ := h.sharedProject(token)
	ms := h.api("POST", "/api/v1/projects/"+project+"/milestones", token,
		map[string]any{"title": "Phase one", "shared": true}, 201)["id"].(string)
	task := h.api("POST", "/api/v1/projects/"+project+"/tasks", token,
		map[string]any{"title": "Quokka artwork", "shared": true, "milestone_id": ms}, 201)["id"].(string)
	h.api("POST", "/api/v1/tasks/"+task+"/comments", token,
		map[string]any{"body": "Quokka sketches attached", "internal": false}, 201)
	h.api("POST", "/api/v1/tasks/"+task+"/comments", token,
		map[string]any{"body": "Quokka budget is tight", "internal": true}, 201)

	h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	client := h.browser()
	h.acceptInvite(client, h.smtp.WaitFor(t, "dana@client.example", 30*time.Second).Link(t, "/invite/"))

	found := h.waitSearch(client, "quokka", "2 results")
	for _, want := range []string{"/t/" + task, "Quokka artwork", "sketches attached"} {
		if !strings.Contains(found, want) {
			t.Errorf("the client's results lack %q", want)
		}
	}
	for _, hidden := range []string{"budget", "Hidden three"} {
		if strings.Contains(found, hidden) {
			t.Errorf("the client's results show %q", hidden)
		}
	}
	if body := h.clientSearch(client, "hidden three"); !strings.Contains(body, "Nothing found") {
		t.Errorf("the client finds the hidden task:\n%s", body)
	}

	h.api("PATCH", "/api/v1/milestones/"+ms, token, map[string]any{"shared": false}, 200)
	body := h.clientSearch(client, "quokka")
	if !strings.Contains(body, "Nothing found") || strings.Contains(body, "Quokka artwork") ||
		strings.Contains(body, "sketches") {
		t.Fatalf("right after unsharing, the client still finds the milestone's task:\n%s", body)
	}

	var staff struct{ Total int }
	raw := h.apiRaw("GET", "/api/v1/search?q=quokka", token)
	if err := json.Unmarshal(raw, &staff); err != nil || staff.Total != 3 {
		t.Errorf("staff search after unsharing: %s", raw)
	}
}

// TestReindexThroughControlSocket rebuilds the index of a running server: the command
// says the rebuild started and ended, and search works again afterwards.
func TestReindexThroughControlSocket(t *testing.T) {
	h := start(t)
	token := h.setupOwner()
	h.sharedProject(token)
	h.waitStaffSearch(token, "shared", 2)

	var messages bytes.Buffer
	err := server.Command{Name: "reindex", DataDir: h.srv.DataDir(), Stdout: io.Discard,
		Stderr: &messages}.Run(context.Background())
	if err != nil {
		t.Fatalf("reindex: %v (%s)", err, messages.String())
	}
	for _, want := range []string{"rebuild started in the running Portico", "search index rebuilt"} {
		if !strings.Contains(messages.String(), want) {
			t.Errorf("reindex said %q, without %q", messages.String(), want)
		}
	}
	h.waitStaffSearch(token, "hidden", 1)
}

// clientSearch runs a portal search and returns the page, matches unmarked and
// entities decoded.
func (h *harness) clientSearch(client *http.Client, q string) string {
	h.t.Helper()
	page := h.page(client, "/search?q="+url.QueryEscape(q), 200)
	return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(page))
}

// waitSearch searches as a client until the page says want: the index follows changes a
// moment after they are committed.
func (h *harness) waitSearch(client *http.Client, q, want string) string {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		body := h.clientSearch(client, q)
		if strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("searching %q never said %q:\n%s", q, want, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitStaffSearch searches through the staff API until q finds total records.
func (h *harness) waitStaffSearch(token, q string, total int) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		raw := h.apiRaw("GET", "/api/v1/search?q="+url.QueryEscape(q), token)
		var res struct{ Total int }
		if json.Unmarshal(raw, &res) == nil && res.Total == total {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("staff search %q never found %d records: %s", q, total, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// apiRaw calls the staff API and returns the body whatever the status.
func (h *harness) apiRaw(method, path, token string) []byte {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.staff+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := h.browser().Do(req)
	if err != nil {
		h.t.Fatal(fmt.Errorf("%s %s: %w", method, path, err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return raw
}
