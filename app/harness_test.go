//go:build desktop

package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"

	"portico/internal/auth"
	"portico/internal/server"
)

// event is one event the bridge emitted.
type event struct {
	name string
	data any
}

// testApp is the bridge over a real data folder, without a window: events are recorded
// and the native dialogs answer what the test sets.
type testApp struct {
	*App
	t      *testing.T
	srv    *server.Server
	secret string

	mu        sync.Mutex
	events    []event
	picked    string
	pickedDir string
	saveTo    string
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	return newTestAppWith(t, func(*server.Config) {})
}

// newTestAppWith is newTestApp with the server's settings changed by configure.
func newTestAppWith(t *testing.T, configure func(*server.Config)) *testApp {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	cfg := server.Config{DataDir: t.TempDir(), PortalAddr: "127.0.0.1:0", StaffAddr: "127.0.0.1:0"}
	configure(&cfg)
	log := slog.New(slog.DiscardHandler)
	srv, err := server.Open(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	secret, owner, err := srv.LocalOwnerSession()
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	sh := newShell(srv, secret, owner, Options{Logger: log})
	ta := &testApp{App: sh.bridge, t: t, srv: srv, secret: secret}
	ta.emit = ta.record
	ta.pickFile = func(string) (string, error) { return ta.picked, nil }
	ta.pickFolder = func(string) (string, error) { return ta.pickedDir, nil }
	ta.saveFile = func(string, string) (string, error) { return ta.saveTo, nil }
	t.Cleanup(func() {
		sh.stop()
		srv.Close()
	})
	return ta
}

func (ta *testApp) record(name string, data any) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	ta.events = append(ta.events, event{name, data})
}

func (ta *testApp) recorded() []event {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	return append([]event(nil), ta.events...)
}

// call sends a request through the bridge and decodes the answer, checking its status.
func (ta *testApp) call(method, path string, body any, want int) map[string]any {
	ta.t.Helper()
	raw := ""
	if body != nil {
		b, _ := json.Marshal(body)
		raw = string(b)
	}
	resp, err := ta.Request(method, path, raw)
	if err != nil {
		ta.t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.Status != want {
		ta.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.Status, want, resp.Body)
	}
	out := map[string]any{}
	if len(resp.Body) > 0 && resp.Body[0] == '{' {
		if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
			ta.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return out
}

// task creates a project in the team workspace with one task and returns the task's ID.
func (ta *testApp) task() string {
	ta.t.Helper()
	resp, err := ta.Request("GET", "/api/v1/workspaces", "")
	if err != nil {
		ta.t.Fatal(err)
	}
	var workspaces []map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &workspaces); err != nil {
		ta.t.Fatalf("workspaces: %v: %s", err, resp.Body)
	}
	var team string
	for _, ws := range workspaces {
		if ws["kind"] == "shared" {
			team = ws["id"].(string)
		}
	}
	p := ta.call("POST", "/api/v1/projects", map[string]any{"workspace_id": team,
		"name": "Desktop test"}, 201)
	task := ta.call("POST", "/api/v1/projects/"+p["id"].(string)+"/tasks",
		map[string]any{"title": "Send the logo"}, 201)
	return task["id"].(string)
}
