//go:build desktop

package app

import "path/filepath"

// filesDropped is the "files:dropped" event.
type filesDropped struct {
	TaskID string   `json:"taskID"`
	Paths  []string `json:"paths"`
}

// dropIgnored is the "files:drop-ignored" event.
type dropIgnored struct {
	Paths  []string `json:"paths"`
	Reason string   `json:"reason"`
}

// uploadFailed is the "upload:failed" event.
type uploadFailed struct {
	TaskID string `json:"taskID"`
	Name   string `json:"name"`
	Error  string `json:"error"`
}

// dropped attaches files dropped on the window to the task the page named with
// SetDropTarget, one after another. With no task open it only tells the page, which can
// say to open a task first.
func (a *App) dropped(paths []string) {
	if len(paths) == 0 {
		return
	}
	taskID := a.currentDropTarget()
	if taskID == "" {
		a.emit("files:drop-ignored", dropIgnored{Paths: paths,
			Reason: "Open a task to attach files to it."})
		return
	}
	a.emit("files:dropped", filesDropped{TaskID: taskID, Paths: paths})
	for _, path := range paths {
		if _, err := a.upload(taskID, path); err != nil {
			a.emit("upload:failed", uploadFailed{TaskID: taskID, Name: filepath.Base(path),
				Error: err.Error()})
		}
	}
}
