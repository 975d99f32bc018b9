//go:build desktop

package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// uploadProgress is the "upload:progress" event.
type uploadProgress struct {
	TaskID string `json:"taskID"`
	Name   string `json:"name"`
	Sent   int64  `json:"sent"`
	Total  int64  `json:"total"`
}

// Progress events are sent at most this often, and always for the first and last byte.
const (
	progressEvery    = 100 * time.Millisecond
	progressMinBytes = 1 << 20
)

// PickAndUpload shows the native open-file dialog and attaches the chosen file to the
// task, streaming it from disk. It returns the new file as the staff API answers it (a
// JSON object), or "" when the dialog was cancelled.
func (a *App) PickAndUpload(taskID string) (string, error) {
	path, err := a.pickFile("Attach a file to the task")
	if err != nil {
		return "", fmt.Errorf("choose a file: %w", err)
	}
	if path == "" {
		return "", nil
	}
	return a.upload(taskID, path)
}

// upload streams the file at path to the task through the staff API, emitting progress
// events, and returns the API's answer.
func (a *App) upload(taskID, path string) (string, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("attach %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("attach %s: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("attach %s: only files can be attached, not folders", name)
	}

	progress := uploadProgress{TaskID: taskID, Name: name, Total: info.Size()}
	body := &progressReader{r: f, every: progressEvery, minBytes: progressMinBytes,
		report: func(sent int64) {
			progress.Sent = sent
			a.emit("upload:progress", progress)
		}}
	target := "/api/v1/tasks/" + url.PathEscape(taskID) + "/files?name=" + url.QueryEscape(name)
	req, err := a.staff.newRequest(http.MethodPost, target, body, info.Size())
	if err != nil {
		return "", fmt.Errorf("attach %s: %w", name, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")

	rec := httptest.NewRecorder()
	body.flush()
	a.staff.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		return "", apiError("attach "+name, rec.Code, rec.Body.Bytes())
	}
	body.finish()
	return rec.Body.String(), nil
}

// progressReader reports how much of a body has been read, throttled so a large file does
// not flood the page with events.
type progressReader struct {
	r        io.Reader
	report   func(sent int64)
	every    time.Duration
	minBytes int64
	sent     int64
	reported int64
	last     time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.sent += int64(n)
	if n > 0 && p.sent-p.reported >= p.minBytes && time.Since(p.last) >= p.every {
		p.flush()
	}
	return n, err
}

// finish reports the final count, unless it was the last one reported.
func (p *progressReader) finish() {
	if p.sent != p.reported {
		p.flush()
	}
}

func (p *progressReader) flush() {
	p.reported, p.last = p.sent, time.Now()
	p.report(p.sent)
}
