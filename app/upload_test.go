//go:build desktop

package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes size pseudo-random bytes to a new file and returns its path and
// SHA-256.
func writeFile(t *testing.T, name string, size int) (string, string) {
	t.Helper()
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{1}).Read(data)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return path, hex.EncodeToString(sum[:])
}

func TestPickAndUploadStreamsTheFile(t *testing.T) {
	ta := newTestApp(t)
	taskID := ta.task()
	const size = 5<<20 + 123
	ta.picked, _ = writeFile(t, "brand guide.pdf", size)
	_, digest := writeFile(t, "same-bytes", size)

	out, err := ta.PickAndUpload(taskID)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Name   string `json:"name"`
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
		TaskID string `json:"task_id"`
	}
	if err := json.Unmarshal([]byte(out), &file); err != nil {
		t.Fatalf("answer %q: %v", out, err)
	}
	if file.Name != "brand guide.pdf" || file.Size != size || file.SHA256 != digest ||
		file.TaskID != taskID {
		t.Fatalf("uploaded file = %+v", file)
	}

	var sent []int64
	for _, e := range ta.recorded() {
		p, ok := e.data.(uploadProgress)
		if e.name != "upload:progress" || !ok || p.TaskID != taskID || p.Total != size {
			t.Fatalf("unexpected event %s %+v", e.name, e.data)
		}
		sent = append(sent, p.Sent)
	}
	if len(sent) < 2 || sent[0] != 0 || sent[len(sent)-1] != size {
		t.Fatalf("progress = %v, want 0 … %d", sent, size)
	}
}

func TestProgressReaderThrottles(t *testing.T) {
	const size = 10<<20 + 5
	var reports []int64
	p := &progressReader{r: bytes.NewReader(make([]byte, size)), every: 0, minBytes: 1 << 20,
		report: func(sent int64) { reports = append(reports, sent) }}
	p.flush()
	buf := make([]byte, 64<<10)
	for {
		if _, err := p.Read(buf); err != nil {
			break
		}
	}
	p.finish()
	if len(reports) != 12 || reports[0] != 0 || reports[len(reports)-1] != size {
		t.Fatalf("reports = %v, want 0, every MiB, then %d", reports, size)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i] <= reports[i-1] {
			t.Fatalf("reports not increasing: %v", reports)
		}
	}
}

func TestPickAndUploadCancelled(t *testing.T) {
	ta := newTestApp(t)
	ta.picked = ""
	out, err := ta.PickAndUpload(ta.task())
	if out != "" || err != nil {
		t.Fatalf("cancelled dialog = %q, %v; want \"\", nil", out, err)
	}
}

func TestUploadErrors(t *testing.T) {
	ta := newTestApp(t)
	taskID := ta.task()
	file, _ := writeFile(t, "a.txt", 10)
	for _, tc := range []struct {
		name, taskID, path, want string
	}{
		{"a folder", taskID, t.TempDir(), "only files"},
		{"a missing file", taskID, filepath.Join(t.TempDir(), "gone.txt"), "no such file"},
		{"an unknown task", "01JMX0Q6Y4W7ZK3E2N8VBRT5HD", file, "attach a.txt"},
		{"a task ID that is a path", "../projects", file, "attach a.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ta.upload(tc.taskID, tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestDrop(t *testing.T) {
	ta := newTestApp(t)
	taskID := ta.task()
	good, _ := writeFile(t, "logo.svg", 2048)
	missing := filepath.Join(t.TempDir(), "missing.png")

	ta.dropped([]string{good})
	if got := ta.recorded(); len(got) != 1 || got[0].name != "files:drop-ignored" {
		t.Fatalf("drop with no task open: events %+v", got)
	}

	ta.SetDropTarget(taskID)
	ta.dropped([]string{good, missing})
	var names []string
	for _, e := range ta.recorded()[1:] {
		names = append(names, e.name)
	}
	want := "files:dropped upload:progress upload:progress upload:failed"
	if strings.Join(names, " ") != want {
		t.Fatalf("events = %v, want %s", names, want)
	}
	failed := ta.recorded()[4].data.(uploadFailed)
	if failed.Name != "missing.png" || failed.TaskID != taskID {
		t.Fatalf("failure event = %+v", failed)
	}

	resp := ta.call("GET", "/api/v1/tasks/"+taskID, nil, 200)
	files, err := ta.Request("GET", "/api/v1/tasks/"+taskID+"/files", "")
	if err != nil || !strings.Contains(files.Body, "logo.svg") {
		t.Fatalf("task %v files: %+v %v", resp["id"], files, err)
	}
}

func TestDownloadFile(t *testing.T) {
	ta := newTestApp(t)
	taskID := ta.task()
	src, _ := writeFile(t, "report.bin", 3<<20)
	out, err := ta.upload(taskID, src)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(out), &file)

	dir := t.TempDir()
	ta.saveTo = filepath.Join(dir, "saved.bin")
	got, err := ta.DownloadFile(file.ID, "report.bin")
	if err != nil || got != ta.saveTo {
		t.Fatalf("DownloadFile = %q, %v", got, err)
	}
	want, _ := os.ReadFile(src)
	saved, _ := os.ReadFile(ta.saveTo)
	if !bytes.Equal(saved, want) {
		t.Fatal("saved file differs from the upload")
	}

	ta.saveTo = filepath.Join(dir, "nothing.bin")
	if _, err := ta.DownloadFile("01JMX0Q6Y4W7ZK3E2N8VBRT5HD", "x"); err == nil {
		t.Fatal("downloading an unknown file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("failed download left files behind: %v", entries)
	}

	ta.saveTo = ""
	if got, err := ta.DownloadFile(file.ID, "report.bin"); got != "" || err != nil {
		t.Fatalf("cancelled save = %q, %v", got, err)
	}
}
