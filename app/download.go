//go:build desktop

package app

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
)

// DownloadFile shows the native save dialog, proposing name, and streams the file's
// contents from the staff API to the chosen path. It returns that path, or "" when the
// dialog was cancelled. Nothing is left behind when the download fails.
func (a *App) DownloadFile(fileID, name string) (string, error) {
	dest, err := a.saveFile("Save the file", filepath.Base(name))
	if err != nil {
		return "", fmt.Errorf("choose where to save: %w", err)
	}
	if dest == "" {
		return "", nil
	}
	return dest, a.download(fileID, dest)
}

// download writes the file's contents next to dest under a temporary name, then renames
// it into place.
func (a *App) download(fileID, dest string) error {
	action := "save " + filepath.Base(dest)
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".portico-download-*")
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	// CreateTemp makes the file private to its owner; a saved download is not.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", action, err)
	}

	req, err := a.staff.newRequest(http.MethodGet,
		"/api/v1/files/"+url.PathEscape(fileID)+"/content", nil, -1)
	if err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", action, err)
	}
	w := &fileResponse{file: tmp, header: http.Header{}}
	a.staff.ServeHTTP(w, req)
	closeErr := tmp.Close()

	switch {
	case w.status() != http.StatusOK:
		return apiError(action, w.status(), w.errBody.Bytes())
	case w.err != nil:
		return fmt.Errorf("%s: %w", action, w.err)
	case closeErr != nil:
		return fmt.Errorf("%s: %w", action, closeErr)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// fileResponse is an http.ResponseWriter that writes a 200 answer's body to a file and
// keeps a little of any other answer, for its error message.
type fileResponse struct {
	file    *os.File
	header  http.Header
	code    int
	err     error
	errBody bytes.Buffer
}

const maxErrorBody = 64 << 10

func (w *fileResponse) Header() http.Header { return w.header }

func (w *fileResponse) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *fileResponse) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.code != http.StatusOK {
		if room := maxErrorBody - w.errBody.Len(); room > 0 {
			w.errBody.Write(p[:min(len(p), room)])
		}
		return len(p), nil
	}
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.file.Write(p)
	w.err = err
	return n, err
}

func (w *fileResponse) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}
