//go:build browser

package server_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// latencyRuns is how many completions one benchmark run measures.
const latencyRuns = 20

var latencyLine = regexp.MustCompile(`latency_ms p50=([\d.]+) p99=([\d.]+) max=([\d.]+)`)

// BenchmarkBrowserLiveCompletion measures, in Chromium, how long a client's completion in
// the portal takes to show on the open staff page (frontend/e2e/latency.mjs). One run
// completes latencyRuns tasks and reports their p50, p99 and maximum; b.N is not used, as
// each task can be completed once. It takes about ten seconds:
//
//	go test -tags browser -run '^$' -bench BrowserLive -benchtime 1x ./internal/server/
func BenchmarkBrowserLiveCompletion(b *testing.B) {
	root := repoRoot(b)
	node := lookNode(b, root)
	h := start(b)
	token := h.setupOwner()
	project, tasks := h.assignedTasks(token, latencyRuns)

	out, err := runScript(b, node, filepath.Join(root, "frontend", "e2e", "latency.mjs"), []string{
		"PORTICO_STAFF_URL=" + h.staff,
		"PORTICO_PORTAL_URL=" + h.portal,
		"PORTICO_PROJECT_ID=" + project,
		"PORTICO_TASK_IDS=" + strings.Join(tasks, ","),
		"PORTICO_CERT_SPKI=" + strings.Join(h.certKeys(), ","),
	}, nil)
	if err != nil {
		b.Fatalf("latency script failed: %v\n%s", err, out)
	}
	b.Log(out)

	m := latencyLine.FindStringSubmatch(out)
	if m == nil {
		b.Fatalf("no latency line in the script's output:\n%s", out)
	}
	for i, unit := range []string{"p50-ms", "p99-ms", "max-ms"} {
		v, _ := strconv.ParseFloat(m[i+1], 64)
		b.ReportMetric(v, unit)
	}
	b.ReportMetric(0, "ns/op") // the length of the whole run says nothing here
}

// assignedTasks creates a shared project with n shared tasks, all assigned to a client who
// has accepted the invite (dana@client.example, password "client password 1").
func (h *harness) assignedTasks(token string, n int) (string, []string) {
	project, _ := h.sharedProject(token)
	var tasks []string
	for i := range n {
		task := h.api("POST", "/api/v1/projects/"+project+"/tasks", token,
			map[string]any{"title": fmt.Sprintf("Live task %02d", i+1), "shared": true}, 201)
		tasks = append(tasks, task["id"].(string))
	}
	inv := h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	clientID := inv["client"].(map[string]any)["id"].(string)
	for _, task := range tasks {
		h.api("PATCH", "/api/v1/tasks/"+task, token,
			map[string]any{"assignee": map[string]string{"kind": "client", "id": clientID}}, 200)
	}
	link := h.smtp.WaitFor(h.t, "dana@client.example", 30*time.Second).Link(h.t, "/invite/")
	h.acceptInvite(h.browser(), link)
	return project, tasks
}
