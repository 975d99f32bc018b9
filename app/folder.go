//go:build desktop

package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// PickFolder shows the native folder dialog and links the chosen folder to the project
// through the staff API, like the typed path of the browser. It returns the project's
// folder as the API answers it (a JSON object), or "" when the dialog was cancelled.
func (a *App) PickFolder(projectID string) (string, error) {
	dir, err := a.pickFolder("Link a folder to the project")
	if err != nil {
		return "", fmt.Errorf("choose a folder: %w", err)
	}
	if dir == "" {
		return "", nil
	}

	body, err := json.Marshal(map[string]string{"path": dir})
	if err != nil {
		return "", fmt.Errorf("link the folder: %w", err)
	}
	resp, err := a.Request(http.MethodPut,
		"/api/v1/projects/"+url.PathEscape(projectID)+"/folder", string(body))
	if err != nil {
		return "", err
	}
	if resp.Status != http.StatusOK {
		return "", apiError("link the folder", resp.Status, []byte(resp.Body))
	}
	return resp.Body, nil
}
