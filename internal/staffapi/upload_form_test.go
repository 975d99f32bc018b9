package staffapi

import (
	"net/http"
	"strings"
	"testing"
)

// rawForm is a multipart body written by hand, so its part header can hold what no
// well-behaved writer would put there.
func rawForm(disposition string) (string, string) {
	body := "--b0undary\r\nContent-Disposition: " + disposition + "\r\n" +
		"Content-Type: text/plain\r\n\r\nhello\r\n--b0undary--\r\n"
	return body, "multipart/form-data; boundary=b0undary"
}

func TestUploadFormNames(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Files", true)
	task := h.task(&h.owner, p.ID, "Attachments")
	target := "/api/v1/tasks/" + string(task.ID) + "/files"
	tests := []struct {
		name        string
		disposition string
		want        int
		wantName    string
	}{
		{"NUL in the file name", "form-data; name=\"file\"; filename=\"a\x00b.txt\"",
			http.StatusBadRequest, ""},
		{"quote escaped by the browser", `form-data; name="file"; filename="say %22hi%22.txt"`,
			http.StatusCreated, `say "hi".txt`},
		{"line break escaped by the browser", `form-data; name="file"; filename="two%0D%0Alines.txt"`,
			http.StatusCreated, "twolines.txt"}, // the service drops control characters
		{"percent kept", `form-data; name="file"; filename="100%25.txt"`,
			http.StatusCreated, "100%25.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := rawForm(tt.disposition)
			status, raw := h.call(&h.owner, "POST", target, body, "Content-Type", ct)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, raw)
			}
			if tt.want == http.StatusBadRequest && !strings.Contains(raw, "malformed") {
				t.Errorf("unclear refusal: %s", raw)
			}
			if tt.wantName != "" {
				if f := decodeFile(t, raw); f.Name != tt.wantName {
					t.Errorf("stored as %q, want %q", f.Name, tt.wantName)
				}
			}
		})
	}
	if strings.Contains(h.logs.String(), "level=ERROR") {
		t.Errorf("a refused upload was logged as an error:\n%s", h.logs.String())
	}
}
