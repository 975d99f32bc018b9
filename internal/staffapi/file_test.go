package staffapi

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/internal/blob"
	"portico/internal/domain"
)

// uploadRaw sends content as the whole body, named by ?name=.
func (h *harness) uploadRaw(who *account, taskID domain.ID, name string, content []byte) (int, string) {
	h.t.Helper()
	target := "/api/v1/tasks/" + string(taskID) + "/files?name=" + url.QueryEscape(name)
	return h.call(who, "POST", target, content, "Content-Type", "application/octet-stream")
}

// uploadForm sends content as the part named file of a multipart form, after a text field.
func (h *harness) uploadForm(who *account, taskID domain.ID, name string, content []byte) (int, string) {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "fields before the file are skipped")
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.t.Fatal(err)
	}
	part.Write(content)
	mw.Close()
	target := "/api/v1/tasks/" + string(taskID) + "/files"
	return h.call(who, "POST", target, buf.Bytes(), "Content-Type", mw.FormDataContentType())
}

func (h *harness) download(who *account, f fileView) (*http.Response, []byte) {
	h.t.Helper()
	resp := h.request(who, "GET", f.ContentURL, nil)
	return resp, []byte(readAll(h.t, resp))
}

func decodeFile(t *testing.T, raw string) fileView {
	t.Helper()
	var f fileView
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return f
}

func TestUploadNamesAreSanitizedAndKept(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Files", true)
	task := h.task(&h.owner, p.ID, "Attachments")
	tests := []struct {
		name, upload, want string
		form               bool
	}{
		{"parent path", "../../x", "x", false},
		{"parent path in a form", "../../x", "x", true},
		{"dot dot", "..", "unnamed", false},
		{"absolute path", "/etc/passwd", "passwd", false},
		{"absolute path in a form", "/etc/passwd", "passwd", true},
		{"backslash", `a\b`, "b", false},
		{"backslash in a form", `a\b`, "b", true},
		{"CR LF", "report\r\nSet-Cookie: x.txt", "reportSet-Cookie: x.txt", false},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe", false},
		{"non-ASCII name", "Angebot für Müller.pdf", "Angebot für Müller.pdf", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := []byte(strings.Repeat("content of "+tt.name+"\n", i+1))
			var status int
			var raw string
			if tt.form {
				status, raw = h.uploadForm(&h.owner, task.ID, tt.upload, content)
			} else {
				status, raw = h.uploadRaw(&h.owner, task.ID, tt.upload, content)
			}
			if status != http.StatusCreated {
				t.Fatalf("upload: %d %s", status, raw)
			}
			f := decodeFile(t, raw)
			if f.Name != tt.want || f.Size != int64(len(content)) {
				t.Fatalf("stored as %q (%d bytes), want %q (%d bytes)", f.Name, f.Size, tt.want, len(content))
			}
			resp, got := h.download(&h.owner, f)
			if resp.StatusCode != 200 || !bytes.Equal(got, content) {
				t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(got))
			}
			cd := resp.Header.Get("Content-Disposition")
			if cd != blob.ContentDisposition("attachment", tt.want) || strings.ContainsAny(cd, "\r\n\u202E") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
				resp.Header.Get("Content-Type") == "" {
				t.Errorf("download headers %v", resp.Header)
			}
		})
	}
}

func TestZeroByteAndSameNameFiles(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Files", true)
	task := h.task(&h.owner, p.ID, "Attachments")
	contents := [][]byte{nil, []byte("first version"), []byte("second, different version")}
	names := []string{"empty.txt", "report.txt", "report.txt"}
	var files []fileView
	for i := range contents {
		status, raw := h.uploadRaw(&h.owner, task.ID, names[i], contents[i])
		if status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", names[i], status, raw)
		}
		files = append(files, decodeFile(t, raw))
	}
	var listed []fileView
	h.mustJSON(&h.owner, "GET", "/api/v1/tasks/"+string(task.ID)+"/files", nil, http.StatusOK, &listed)
	if len(listed) != 3 {
		t.Fatalf("listed %d files, want 3", len(listed))
	}
	for i, f := range files {
		t.Run(names[i], func(t *testing.T) {
			resp, got := h.download(&h.owner, f)
			if resp.StatusCode != 200 || !bytes.Equal(got, contents[i]) {
				t.Fatalf("download: %d %q, want %q", resp.StatusCode, got, contents[i])
			}
		})
	}
	if files[1].ID == files[2].ID || files[1].SHA256 == files[2].SHA256 {
		t.Error("two files with one name were merged")
	}
}

func TestUploadOverLimitLeavesNothing(t *testing.T) {
	h := newHarness(t, withMaxUpload(1024))
	p := h.project(&h.owner, h.team, "Files", true)
	task := h.task(&h.owner, p.ID, "Attachments")
	big := bytes.Repeat([]byte("x"), 4096)
	hidden := h.project(&h.member, h.member.Personal, "Private", false)
	hiddenTask := h.task(&h.member, hidden.ID, "Private task")
	tests := []struct {
		name   string
		upload func() (int, string)
		status int
	}{
		{"raw body", func() (int, string) { return h.uploadRaw(&h.owner, task.ID, "big.bin", big) }, 413},
		{"multipart", func() (int, string) { return h.uploadForm(&h.owner, task.ID, "big.bin", big) }, 413},
		{"unknown task", func() (int, string) {
			return h.uploadRaw(&h.owner, domain.NewID(), "a.txt", []byte("a"))
		}, 404},
		{"raw body without a name", func() (int, string) {
			return h.call(&h.owner, "POST", "/api/v1/tasks/"+string(task.ID)+"/files", "abc",
				"Content-Type", "application/octet-stream")
		}, 400},
		{"form without a file part", func() (int, string) {
			body := "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n"
			return h.call(&h.owner, "POST", "/api/v1/tasks/"+string(task.ID)+"/files", body,
				"Content-Type", "multipart/form-data; boundary=b")
		}, 400},
		{"cut-off form", func() (int, string) {
			body := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\npartial"
			return h.call(&h.owner, "POST", "/api/v1/tasks/"+string(task.ID)+"/files", body,
				"Content-Type", "multipart/form-data; boundary=b")
		}, 400},
		{"member of another workspace", func() (int, string) {
			return h.uploadRaw(&h.other, hiddenTask.ID, "a.txt", []byte("a"))
		}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			status, raw := tt.upload()
			if status != tt.status || !strings.Contains(raw, `"error"`) {
				t.Fatalf("status %d, want %d: %s", status, tt.status, raw)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("the store changed: %+v → %+v", before, after)
			}
		})
	}
	if n := h.blobFiles(); n != 0 {
		t.Errorf("%d files left under files/", n)
	}
	status, raw := h.uploadRaw(&h.owner, task.ID, "exact.bin", big[:1024])
	if status != http.StatusCreated {
		t.Errorf("an upload of exactly the limit was refused: %d %s", status, raw)
	}
}
