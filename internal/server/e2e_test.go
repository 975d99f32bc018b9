package server_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const uploadSize = 50 << 20

// TestClientPortalEndToEnd follows one client from the invite email to Unshare, over real
// HTTPS and real SMTP, and checks that staff saw each of the client's actions live.
func TestClientPortalEndToEnd(t *testing.T) {
	h := start(t)
	token := h.setupOwner()
	project, tasks := h.sharedProject(token)

	staffReq, _ := http.NewRequest("GET", h.staff+"/api/v1/events", nil)
	staffReq.Header.Set("Authorization", "Bearer "+token)
	staffEvents := sse(t, h.browser(), staffReq)

	inv := h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	if inv["mailed"] != true {
		t.Fatalf("invite not mailed: %v", inv)
	}
	clientID := inv["client"].(map[string]any)["id"].(string)
	h.api("PATCH", "/api/v1/tasks/"+tasks[0], token,
		map[string]any{"assignee": map[string]string{"kind": "client", "id": clientID}}, 200)
	link := h.smtp.WaitFor(t, "dana@client.example", 30*time.Second).Link(t, "/invite/")

	client := h.browser()
	h.acceptInvite(client, link)

	body := h.page(client, "/p/"+project, 200)
	for _, title := range []string{"Shared one", "Shared two"} {
		if !strings.Contains(body, title) {
			t.Errorf("project page lacks %q", title)
		}
	}
	if strings.Contains(body, "Hidden three") {
		t.Error("project page shows the hidden task")
	}
	h.page(client, "/t/"+tasks[2], 404)

	clientEvents := sse(t, client, mustRequest("GET", h.portal+"/p/"+project+"/events"))

	h.post(client, "/t/"+tasks[0]+"/complete", nil, 303)
	fileID, digest := h.upload(client, tasks[0])
	h.post(client, "/t/"+tasks[0]+"/comments", url.Values{"body": {"Here is the logo."}}, 303)

	download := h.get(client, "/f/"+fileID, 200)
	if got := sha256.Sum256(download); got != digest {
		t.Fatal("downloaded file differs from the upload")
	}

	wantInOrder(t, staffEvents, "task.completed", "file.uploaded", "comment.added")

	h.api("POST", "/api/v1/projects/"+project+"/unshare", token, nil, 200)
	for _, path := range []string{"/p/" + project, "/t/" + tasks[0], "/f/" + fileID, "/p/" + project + "/events"} {
		h.page(client, path, 404)
	}
	h.post(client, "/t/"+tasks[0]+"/comments", url.Values{"body": {"still here?"}}, 404)
	waitClosed(t, clientEvents, 30*time.Second)
}

// sharedProject creates a project with three tasks, two of them shared and the first
// assigned later to the client, and turns its portal on.
func (h *harness) sharedProject(token string) (string, []string) {
	workspaces := h.apiList("/api/v1/workspaces", token)
	var team string
	for _, ws := range workspaces {
		if ws["kind"] == "shared" {
			team = ws["id"].(string)
		}
	}
	p := h.api("POST", "/api/v1/projects", token, map[string]any{"workspace_id": team,
		"name": "Website relaunch", "auto_share": false}, 201)
	project := p["id"].(string)
	h.api("PUT", "/api/v1/projects/"+project+"/portal", token, map[string]bool{"on": true}, 200)
	var tasks []string
	for i, title := range []string{"Shared one", "Shared two", "Hidden three"} {
		task := h.api("POST", "/api/v1/projects/"+project+"/tasks", token,
			map[string]any{"title": title, "shared": i < 2}, 201)
		tasks = append(tasks, task["id"].(string))
	}
	return project, tasks
}

// acceptInvite opens the emailed link and sets a password; the link is then used up.
func (h *harness) acceptInvite(client *http.Client, link string) {
	h.t.Helper()
	path := strings.TrimPrefix(link, h.portal)
	form := h.page(client, path, 200)
	if !strings.Contains(form, "password") {
		h.t.Fatalf("invite page has no password form:\n%s", form)
	}
	h.page(client, path, 200) // a second GET must not use the link up
	h.post(client, path, url.Values{"password": {"client password 1"}, "confirm": {"client password 1"}}, 303)
	h.page(client, path, 410)
}

func mustRequest(method, target string) *http.Request {
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		panic(err)
	}
	return req
}

func (h *harness) get(client *http.Client, path string, want int) []byte {
	h.t.Helper()
	resp, err := client.Get(h.portal + path)
	if err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		h.t.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, want)
	}
	return body
}

func (h *harness) page(client *http.Client, path string, want int) string {
	h.t.Helper()
	return string(h.get(client, path, want))
}

func (h *harness) post(client *http.Client, path string, form url.Values, want int) {
	h.t.Helper()
	resp, err := client.PostForm(h.portal+path, form)
	if err != nil {
		h.t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		h.t.Fatalf("POST %s: status %d, want %d", path, resp.StatusCode, want)
	}
}

// upload streams a 50 MB multipart upload to a task and returns the new file's ID (read
// from the staff API) and the SHA-256 of what was sent.
func (h *harness) upload(client *http.Client, taskID string) (string, [32]byte) {
	return h.uploadSized(client, taskID, uploadSize)
}

func (h *harness) uploadSized(client *http.Client, taskID string, size int64) (string, [32]byte) {
	h.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	sum := sha256.New()
	go func() {
		part, err := mw.CreateFormFile("file", "logo final.bin")
		if err == nil {
			rng := rand.NewChaCha8([32]byte{7})
			_, err = io.CopyN(io.MultiWriter(part, sum), rng, size)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", h.portal+"/t/"+taskID+"/files", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatalf("upload: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("upload: status %d, want 303", resp.StatusCode)
	}
	var digest [32]byte
	copy(digest[:], sum.Sum(nil))
	page := h.page(client, "/t/"+taskID, 200)
	i := strings.Index(page, "/f/")
	if i < 0 {
		h.t.Fatalf("task page has no file link after upload")
	}
	id := page[i+3 : i+3+26]
	return id, digest
}

// wantInOrder reads staff events until the wanted actions have been seen in this order.
func wantInOrder(t *testing.T, events <-chan string, want ...string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	var seen []string
	for len(want) > 0 {
		select {
		case data, ok := <-events:
			if !ok {
				t.Fatalf("staff stream ended; saw %v, still waiting for %v", seen, want)
			}
			var entry struct {
				Action string `json:"action"`
			}
			if json.Unmarshal([]byte(data), &entry) != nil {
				continue
			}
			seen = append(seen, entry.Action)
			if i := slices.Index(want, entry.Action); i > 0 {
				t.Fatalf("staff stream out of order: saw %v before %v", seen, want[:i])
			} else if i == 0 {
				want = want[1:]
			}
		case <-deadline:
			t.Fatalf("staff stream: saw %v, still waiting for %v", seen, want)
		}
	}
}

// waitClosed waits for a stream to end, draining what it still sends.
func waitClosed(t *testing.T, events <-chan string, limit time.Duration) {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal(fmt.Sprintf("client stream still open %s after access ended", limit))
		}
	}
}
