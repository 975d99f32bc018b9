package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/server"
)

// TestFolderSyncEndToEnd links a project to a real folder under --folders-root and follows
// a file from the disk to the client's browser and back out: it appears for staff, stays
// hidden until shared, downloads byte for byte, hides again when unshared, and leaves the
// lists (but not the activity log) when deleted on disk. A client's upload lands in the
// folder once, without being imported again.
func TestFolderSyncEndToEnd(t *testing.T) {
	root := t.TempDir()
	h := startWith(t, func(cfg *server.Config) { cfg.FoldersRoot = root })
	token := h.setupOwner()
	project, tasks := h.sharedProject(token)
	folderURL := "/api/v1/projects/" + project + "/folder"

	h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	client := h.browser()
	h.acceptInvite(client, h.smtp.WaitFor(t, "dana@client.example", 30*time.Second).Link(t, "/invite/"))

	refused := h.api("PUT", folderURL, token, map[string]string{"path": t.TempDir()}, 400)
	if msg, _ := refused["error"].(string); !strings.Contains(msg, "folders root") {
		t.Errorf("a folder outside the root is refused with %q, want it to name the root", msg)
	}

	dir := filepath.Join(root, "acme")
	mustWrite(t, filepath.Join(dir, "brief", "notes.txt"), []byte("first draft\n"))
	linked := h.api("PUT", folderURL, token, map[string]string{"path": dir}, 200)
	if linked["path"] == "" {
		t.Fatalf("linking answered %v", linked)
	}

	notes := h.waitFolderFile(token, project, "brief/notes.txt")
	id := notes["id"].(string)
	if notes["shared"] != false {
		t.Errorf("a new folder file starts shared: %v", notes)
	}
	if page := h.page(client, "/p/"+project, 200); strings.Contains(page, "notes.txt") {
		t.Error("the project page lists an unshared folder file")
	}
	h.page(client, "/ff/"+id, 404)

	h.api("PATCH", "/api/v1/folder-files/"+id, token, map[string]bool{"shared": true}, 200)
	if page := h.page(client, "/p/"+project, 200); !strings.Contains(page, "/ff/"+id) {
		t.Errorf("the project page does not link the shared folder file:\n%s", page)
	}
	if got := h.get(client, "/ff/"+id, 200); !bytes.Equal(got, []byte("first draft\n")) {
		t.Errorf("downloaded %q", got)
	}
	h.api("PATCH", "/api/v1/folder-files/"+id, token, map[string]bool{"shared": false}, 200)
	h.page(client, "/ff/"+id, 404)

	h.checkUploadLandsOnce(client, token, project, tasks[0], dir)

	h.api("PATCH", "/api/v1/folder-files/"+id, token, map[string]bool{"shared": true}, 200)
	if err := os.Remove(filepath.Join(dir, "brief", "notes.txt")); err != nil {
		t.Fatal(err)
	}
	h.waitFolderGone(token, project, "brief/notes.txt")
	h.page(client, "/ff/"+id, 404)
	if n := h.countActivity(token, project, "folder.file.removed", id); n != 1 {
		t.Errorf("the activity log has %d removals of the deleted file, want 1", n)
	}
}

// checkUploadLandsOnce uploads a file to a task titled "Shared one" through the portal and
// checks it is written under "From clients/Shared one/" and listed once, as added once.
func (h *harness) checkUploadLandsOnce(client *http.Client, token, project, task, dir string) {
	h.t.Helper()
	_, digest := h.uploadSized(client, task, 256<<10)
	onDisk, err := os.ReadFile(filepath.Join(dir, "From clients", "Shared one", "logo final.bin"))
	if err != nil {
		h.t.Fatalf("the upload is not in the folder: %v", err)
	}
	if sha256.Sum256(onDisk) != digest {
		h.t.Fatal("the upload in the folder differs from what was sent")
	}

	rel := "From clients/Shared one/logo final.bin"
	f := h.waitFolderFile(token, project, rel)
	time.Sleep(3 * time.Second) // several stability windows, for an import that must not come
	count := 0
	for _, g := range h.folderFiles(token, project) {
		if strings.HasPrefix(g["rel"].(string), "From clients/") {
			count++
		}
	}
	if count != 1 {
		h.t.Errorf("the folder lists %d files under From clients, want 1", count)
	}
	if n := h.countActivity(token, project, "folder.file.added", f["id"].(string)); n != 1 {
		h.t.Errorf("the upload was added to the folder %d times, want 1", n)
	}
	if n := h.countActivity(token, project, "folder.file.updated", f["id"].(string)); n != 0 {
		h.t.Errorf("the upload was imported again %d times", n)
	}
}

// folderFiles lists the project's folder files as staff see them.
func (h *harness) folderFiles(token, project string) []map[string]any {
	h.t.Helper()
	view := h.api("GET", "/api/v1/projects/"+project+"/folder", token, nil, 200)
	var out []map[string]any
	for _, f := range view["files"].([]any) {
		out = append(out, f.(map[string]any))
	}
	return out
}

// waitFolderFile polls the staff API until the folder lists rel, and returns it.
func (h *harness) waitFolderFile(token, project, rel string) map[string]any {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, f := range h.folderFiles(token, project) {
			if f["rel"] == rel {
				return f
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("the folder did not list %s within a minute: %v", rel, h.folderFiles(token, project))
	return nil
}

// waitFolderGone polls the staff API until the folder no longer lists rel.
func (h *harness) waitFolderGone(token, project, rel string) {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		found := false
		for _, f := range h.folderFiles(token, project) {
			found = found || f["rel"] == rel
		}
		if !found {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("the folder still lists %s after a minute", rel)
}

// countActivity counts the project's activity entries with action about objectID.
func (h *harness) countActivity(token, project, action, objectID string) int {
	h.t.Helper()
	page := h.api("GET", fmt.Sprintf("/api/v1/projects/%s/activity?limit=100", project), token,
		nil, 200)
	raw, _ := json.Marshal(page["entries"])
	var entries []struct {
		Action   string `json:"action"`
		ObjectID string `json:"object_id"`
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action && e.ObjectID == objectID {
			n++
		}
	}
	return n
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
