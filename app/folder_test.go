//go:build desktop

package app

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"portico/internal/foldersync"
	"portico/internal/server"
)

func TestPickFolder(t *testing.T) {
	ta := newTestAppWith(t, func(cfg *server.Config) { cfg.FoldersAnywhere = true })
	if err := ta.srv.Service().StartFolders(foldersync.Options{}); err != nil {
		t.Fatal(err)
	}
	task := ta.call("GET", "/api/v1/tasks/"+ta.task(), nil, 200)
	project := task["project_id"].(string)
	folderURL := "/api/v1/projects/" + project + "/folder"

	// Cancelled: nothing is linked.
	if got, err := ta.PickFolder(project); got != "" || err != nil {
		t.Fatalf("cancelled dialog: %q, %v", got, err)
	}
	if got := ta.call("GET", folderURL, nil, 200); got["path"] != "" {
		t.Fatalf("a cancelled dialog linked %v", got["path"])
	}

	// Chosen: linked through the staff API, which answers with the folder.
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ta.pickedDir = dir
	got, err := ta.PickFolder(project)
	if err != nil {
		t.Fatal(err)
	}
	var view struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal([]byte(got), &view); err != nil || view.Path != dir {
		t.Fatalf("PickFolder answered %q (%v), want the folder %s", got, err, dir)
	}

	// Refused by the API: its message comes back as the error.
	ta.pickedDir = filepath.Join(dir, "missing")
	if _, err := ta.PickFolder(project); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Fatalf("linking a missing folder: %v, want the API's refusal", err)
	}
}
