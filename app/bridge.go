//go:build desktop

package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// App is what the page calls in Go: Wails binds its methods as window.go.app.App, each
// returning a promise. It exists because WebKit loses request bodies on their way to the
// asset server, so every write, upload and download goes through here to the same staff
// API handler, in-process, as the local owner.
//
// Files dropped on the window are received by Go, not by the page: the page only says
// which task they are for, with SetDropTarget, and follows the events. It needs none of
// Wails' JavaScript drop functions (OnFileDropOff would also remove Go's listener until
// the next SetDropTarget).
//
// Events App emits (window.runtime.EventsOn):
//   - "upload:progress" {taskID, name, sent, total} while a file is sent;
//   - "upload:failed" {taskID, name, error} when a dropped file could not be attached;
//   - "files:dropped" {taskID, paths} when files dropped on the window start uploading;
//   - "files:drop-ignored" {paths, reason} when files were dropped with no task open.
type App struct {
	staff *ownerHandler
	info  Info

	// emit sends an event to the page; pickFile, pickFolder and saveFile show native
	// dialogs and return "" when cancelled. The shell sets them once the window exists.
	emit       func(name string, data any)
	pickFile   func(title string) (string, error)
	pickFolder func(title string) (string, error)
	saveFile   func(title, name string) (string, error)
	// watchDrops re-registers the window's file-drop listener; nil without a window.
	watchDrops func()
	// setPassword sets the local owner's password, keeping the window's session.
	setPassword func(next string) error

	mu         sync.Mutex
	dropTarget string
}

// Response is a staff API answer as the page receives it from Request.
type Response struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// Info describes the desktop session for the page (Help > About shows the same).
type Info struct {
	Version   string `json:"version"`
	DataDir   string `json:"data_dir"`
	PortalURL string `json:"portal_url"`
	StaffID   string `json:"staff_id"`
}

// maxResponse bounds an answer returned through Request; larger ones (file contents)
// belong to DownloadFile or the asset server.
const maxResponse = 32 << 20

// Request sends one staff API request, with body as its JSON (or "" for none), and
// returns the answer whatever its status; the error is for requests that could not be
// made at all. Only /api/v1/ paths are accepted, and neither the event stream, which the
// page opens with EventSource through the asset server, nor file contents (DownloadFile).
func (a *App) Request(method, path, body string) (Response, error) {
	method = strings.ToUpper(method)
	if err := checkRequest(method, path); err != nil {
		return Response{}, err
	}
	if method == http.MethodDelete && path == "/api/v1/session" {
		return jsonResponse(http.StatusForbidden,
			"the desktop app stays signed in as the local owner; close the window to leave"), nil
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := a.staff.newRequest(method, path, rd, int64(len(body)))
	if err != nil {
		return Response{}, fmt.Errorf("request %s %s: %w", method, path, err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	a.staff.ServeHTTP(rec, req)
	if rec.Body.Len() > maxResponse {
		return Response{}, fmt.Errorf("request %s %s: the answer is too large", method, path)
	}
	return Response{Status: rec.Code, Body: rec.Body.String()}, nil
}

// SetDropTarget names the task that files dropped on the window attach to: the page calls
// it with the task's ID when a task drawer opens and with "" when it closes.
func (a *App) SetDropTarget(taskID string) {
	a.mu.Lock()
	a.dropTarget = taskID
	a.mu.Unlock()
	if a.watchDrops != nil {
		a.watchDrops()
	}
}

// Info returns the version, data folder and portal address of this desktop session.
func (a *App) Info() Info { return a.info }

func (a *App) currentDropTarget() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.dropTarget
}

var errBadRequest = errors.New("bad request")

func checkRequest(method, path string) error {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("%w: method %q is not one the staff API uses", errBadRequest, method)
	}
	if !strings.HasPrefix(path, "/api/v1/") {
		return fmt.Errorf("%w: path %q is not under /api/v1/", errBadRequest, path)
	}
	p, _, _ := strings.Cut(path, "?")
	if p == "/api/v1/events" {
		return fmt.Errorf("%w: open the event stream with EventSource, not Request", errBadRequest)
	}
	if method == http.MethodGet && strings.HasSuffix(p, "/content") {
		return fmt.Errorf("%w: save file contents with DownloadFile, not Request", errBadRequest)
	}
	return nil
}

// jsonResponse makes an answer shaped like the staff API's errors.
func jsonResponse(status int, message string) Response {
	raw, _ := json.Marshal(map[string]string{"error": message})
	return Response{Status: status, Body: string(raw)}
}

// apiError turns a staff API error answer into a Go error with its message.
func apiError(action string, status int, body []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		e.Error = http.StatusText(status)
	}
	return fmt.Errorf("%s: %s", action, e.Error)
}
