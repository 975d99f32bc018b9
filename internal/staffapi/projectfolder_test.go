package staffapi

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

// projectFolderAnswer is the part of a project answer this test reads.
type projectFolderAnswer struct {
	ID     domain.ID            `json:"id"`
	Folder service.FolderStatus `json:"folder"`
}

// TestProjectCarriesFolderState checks that every project answer carries the linked
// folder's state, the same the folder route and the stream report, so the project page
// can flag an offline folder without reading the folder's files.
func TestProjectCarriesFolderState(t *testing.T) {
	h, root := folderHarness(t)
	var created projectFolderAnswer
	h.mustJSON(&h.owner, "POST", "/api/v1/projects", map[string]any{"workspace_id": h.team,
		"name": "Site"}, http.StatusCreated, &created)
	projectURL := "/api/v1/projects/" + string(created.ID)
	if created.Folder.State != "unlinked" {
		t.Errorf("a new project's folder is %+v, want unlinked", created.Folder)
	}
	stream := h.openEvents(&h.owner, "")

	// check reads the project alone, in the list and after a change, and compares.
	check := func(step string, want service.FolderStatus) {
		t.Helper()
		var one, changed projectFolderAnswer
		var all []projectFolderAnswer
		h.mustJSON(&h.owner, "GET", projectURL, nil, http.StatusOK, &one)
		h.mustJSON(&h.owner, "GET", "/api/v1/projects", nil, http.StatusOK, &all)
		h.mustJSON(&h.owner, "PATCH", projectURL, map[string]any{"name": "Site"}, http.StatusOK,
			&changed)
		if one.Folder != want || changed.Folder != want {
			t.Errorf("%s: project answers %+v and %+v, want %+v", step, one.Folder,
				changed.Folder, want)
		}
		if len(all) != 1 || all[0].Folder != want {
			t.Errorf("%s: the list answers %+v, want the folder %+v", step, all, want)
		}
	}
	check("unlinked", service.FolderStatus{State: "unlinked"})

	dir := filepath.Join(root, "site")
	h.linkFolder(&h.owner, created.ID, dir)
	stream.waitFolderState(t, created.ID, "online")
	check("online", service.FolderStatus{State: "online"})

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	gone := stream.waitFolderState(t, created.ID, "offline")
	if gone.Message == "" {
		t.Error("the offline state has no message")
	}
	check("offline", service.FolderStatus{State: "offline", Message: gone.Message})

	h.mustJSON(&h.owner, "DELETE", projectURL+"/folder", nil, http.StatusNoContent, nil)
	check("unlinked again", service.FolderStatus{State: "unlinked"})
}
