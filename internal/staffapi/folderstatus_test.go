package staffapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/foldersync"
	"portico/internal/service"
	"portico/internal/store"
)

// nextFolderStatus returns the next folder state on the stream, skipping activity entries
// and comments. A state must come without an id, so it never moves Last-Event-ID.
func (s *sseStream) nextFolderStatus(t *testing.T) events.FolderStatus {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case ev, ok := <-s.C:
			if !ok {
				t.Fatal("the stream ended")
			}
			if ev.Name != folderStatusEvent {
				continue
			}
			if ev.ID != 0 {
				t.Fatalf("a folder state came with id %d", ev.ID)
			}
			var st events.FolderStatus
			if err := json.Unmarshal([]byte(ev.Data), &st); err != nil {
				t.Fatalf("folder state %q: %v", ev.Data, err)
			}
			return st
		case <-deadline:
			t.Fatal("no folder state within the deadline")
		}
	}
}

// waitFolderState reads folder states until project reaches state, and returns it.
func (s *sseStream) waitFolderState(t *testing.T, project domain.ID,
	state string) events.FolderStatus {
	t.Helper()
	for {
		st := s.nextFolderStatus(t)
		if st.ProjectID == project && st.State == state {
			return st
		}
	}
}

// folderHarness is a harness with folder sync started under a temporary folders root, its
// checks quick so that a folder going away is noticed within the test's deadlines.
func folderHarness(t *testing.T) (*harness, string) {
	t.Helper()
	root := t.TempDir()
	h := newHarness(t, withFoldersRoot(root))
	err := h.svc.StartFolders(foldersync.Options{Stability: 50 * time.Millisecond,
		RootCheckInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return h, root
}

func (h *harness) linkFolder(who *account, project domain.ID, dir string) {
	h.t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	h.mustJSON(who, "PUT", "/api/v1/projects/"+string(project)+"/folder",
		map[string]string{"path": dir}, 200, nil)
}

// TestFolderStatusReachesStaffStreams follows a linked folder through its states on open
// staff streams: read, watched, gone, back, unlinked. No state is written to the activity
// log, and a staff member who may not open the project hears nothing of its folder.
func TestFolderStatusReachesStaffStreams(t *testing.T) {
	h, root := folderHarness(t)
	team := h.project(&h.owner, h.team, "Team", true)
	private := h.project(&h.member, h.member.Personal, "Member's private", true)
	owner := h.openEvents(&h.owner, "")
	member := h.openEvents(&h.member, "")
	other := h.openEvents(&h.other, "")

	h.linkFolder(&h.member, private.ID, filepath.Join(root, "private"))
	member.waitFolderState(t, private.ID, "online")
	dir := filepath.Join(root, "team")
	h.linkFolder(&h.owner, team.ID, dir)
	// States reach each stream in the order they were set, so any leak of the private
	// folder's states would come before the team folder is watched.
	for st := other.nextFolderStatus(t); st.State != "online"; st = other.nextFolderStatus(t) {
		if st.ProjectID != team.ID {
			t.Fatalf("another member learnt of a private folder: %+v", st)
		}
	}
	owner.waitFolderState(t, team.ID, "online")
	head := h.activityHead()

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	gone := owner.waitFolderState(t, team.ID, "offline")
	if !strings.Contains(gone.Message, dir) {
		t.Errorf("the offline state says %q, want it to name the folder", gone.Message)
	}
	var view service.FolderView
	h.mustJSON(&h.owner, "GET", "/api/v1/projects/"+string(team.ID)+"/folder", nil, 200, &view)
	if view.Status.State != "offline" || view.Status.Message != gone.Message {
		t.Errorf("the folder reads %+v after the stream said %+v", view.Status, gone)
	}

	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	owner.waitFolderState(t, team.ID, "online")
	other.waitFolderState(t, team.ID, "online")
	if got := h.activityHead(); got != head {
		t.Errorf("folder states wrote %d activity entries, want none", got-head)
	}

	h.mustJSON(&h.owner, "DELETE", "/api/v1/projects/"+string(team.ID)+"/folder", nil, 204, nil)
	owner.waitFolderState(t, team.ID, "unlinked")
}

// activityHead is the seq of the newest activity entry.
func (h *harness) activityHead() uint64 {
	var head uint64
	h.store.View(func(tx *store.Tx) error {
		head = tx.LastActivitySeq()
		return nil
	})
	return head
}
