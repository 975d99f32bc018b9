package staffapi

import (
	"bytes"
	"encoding/json"
	"fmt"

	"portico/internal/events"
	"portico/internal/service"
	"portico/internal/store"
)

// folderStatusEvent names the server-sent event that carries a linked folder's new state.
const folderStatusEvent = "folder-status"

// sendFolderStatuses writes, as one flush, the folder states of the projects the staff
// member may reach. They go out without an id: a state is not an entry of the activity
// log, so it must not move the client's Last-Event-ID, and a reconnecting client reloads
// the state it shows instead of having it replayed.
func (s *stream) sendFolderStatuses(statuses []events.FolderStatus) error {
	var buf bytes.Buffer
	err := s.api.svc.Store().View(func(tx *store.Tx) error {
		for _, st := range statuses {
			if _, err := service.StaffProject(tx, s.staffID, st.ProjectID); err != nil {
				continue // not a project this staff member may open (or no longer enabled)
			}
			data, err := json.Marshal(st)
			if err != nil {
				return fmt.Errorf("encode folder status of project %s: %w", st.ProjectID, err)
			}
			fmt.Fprintf(&buf, "event: %s\ndata: %s\n\n", folderStatusEvent, data)
		}
		return nil
	})
	if err != nil || buf.Len() == 0 {
		return err
	}
	return s.write(buf.Bytes())
}
