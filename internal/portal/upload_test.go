package portal

import (
	"crypto/tls"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/service"
)

// TestUploadNames uploads hostile file names: each is stored sanitized and downloads
// byte-identical with a Content-Disposition that carries no control or bidi characters.
func TestUploadNames(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	cases := []struct {
		name, upload, want string
	}{
		{"parent traversal", "../../x", "x"},
		{"dot dot", "..", "unnamed"},
		{"absolute path", "/etc/passwd", "passwd"},
		{"backslash", `a\b`, "b"},
		{"CR LF", "report\r\nSet-Cookie: x=1.txt", "reportSet-Cookie: x=1.txt"},
		{"right-to-left override", "invoice\u202Etxt.exe", "invoicetxt.exe"},
		{"non-ASCII", "Café menu.pdf", "Café menu.pdf"},
		{"quotes as a browser escapes them", "say %22hi%22.txt", `say "hi".txt`},
		{"percent kept", "100%25.txt", "100%25.txt"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			content := fmt.Sprintf("contents of case %d: %s", i, tc.name)
			res := b.upload("/t/"+string(w.tShared)+"/files", namedFile{tc.upload, content})
			if res.status != http.StatusSeeOther {
				t.Fatalf("upload: status %d, want 303", res.status)
			}
			files := w.files(t, w.tShared)
			got := files[len(files)-1]
			if got.Name != tc.want {
				t.Errorf("stored name %q, want %q", got.Name, tc.want)
			}
			checkDownload(t, b, got.ID, content)
		})
	}
}

func checkDownload(t *testing.T, b *browser, fileID domain.ID, content string) {
	t.Helper()
	res := b.get("/f/" + string(fileID))
	if res.status != http.StatusOK {
		t.Fatalf("download: status %d", res.status)
	}
	if res.body != content {
		t.Errorf("download: got %q, want %q", res.body, content)
	}
	cd := res.header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q is not an attachment", cd)
	}
	if strings.ContainsAny(cd, "\r\n\u202E/\\") {
		t.Errorf("Content-Disposition %q carries unsafe characters", cd)
	}
}

// TestUploadEdgeCases covers an empty file and two different files with one name.
func TestUploadEdgeCases(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	path := "/t/" + string(w.tShared) + "/files"
	before := len(w.files(t, w.tShared))

	if res := b.upload(path, namedFile{"empty.txt", ""}); res.status != http.StatusSeeOther {
		t.Fatalf("zero-byte upload: status %d", res.status)
	}
	res := b.upload(path, namedFile{"same.txt", "first version"})
	if res.status != http.StatusSeeOther {
		t.Fatalf("first same-name upload: status %d", res.status)
	}
	if res := b.upload(path, namedFile{"same.txt", "second version"}); res.status != http.StatusSeeOther {
		t.Fatalf("second same-name upload: status %d", res.status)
	}
	files := w.files(t, w.tShared)[before:]
	if len(files) != 3 {
		t.Fatalf("%d files stored, want 3", len(files))
	}
	wants := []struct{ name, content string }{
		{"empty.txt", ""}, {"same.txt", "first version"}, {"same.txt", "second version"},
	}
	for i, want := range wants {
		if files[i].Name != want.name || files[i].Size != int64(len(want.content)) {
			t.Errorf("file %d: %q of %d bytes, want %q of %d", i, files[i].Name, files[i].Size,
				want.name, len(want.content))
		}
		checkDownload(t, b, files[i].ID, want.content)
	}
}

// TestUploadRefused covers uploads that must leave nothing behind.
func TestUploadRefused(t *testing.T) {
	const limit = 4096
	w := newWorld(t, service.Config{MaxUpload: limit})
	b := w.browser(t, w.memberSession)
	path := "/t/" + string(w.tShared) + "/files"
	cases := []struct {
		name    string
		request func() *http.Request
		want    int
	}{
		{"just over the limit", func() *http.Request {
			return uploadRequest(b, path, strings.Repeat("x", limit+1), true)
		}, http.StatusRequestEntityTooLarge},
		{"declared far over the limit", func() *http.Request {
			return uploadRequest(b, path, strings.Repeat("x", 2*uploadSlack), true)
		}, http.StatusRequestEntityTooLarge},
		{"streamed far over the limit", func() *http.Request {
			return uploadRequest(b, path, strings.Repeat("x", 2*uploadSlack), false)
		}, http.StatusRequestEntityTooLarge},
		{"no file chosen", func() *http.Request {
			return uploadRequest(b, path, "", true, "")
		}, http.StatusBadRequest},
		{"not multipart", func() *http.Request {
			h := http.Header{"Content-Type": {"text/plain"}}
			return b.request(http.MethodPost, path, strings.NewReader("hello"), h)
		}, http.StatusBadRequest},
		{"NUL in a file name", func() *http.Request {
			body := "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; " +
				"filename=\"a\x00b.txt\"\r\n\r\nhello\r\n--b0undary--\r\n"
			h := http.Header{"Content-Type": {"multipart/form-data; boundary=b0undary"}}
			return b.request(http.MethodPost, path, strings.NewReader(body), h)
		}, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.files(t, w.tShared))
			blobs := blobFiles(t, w.dir)
			res := b.send(tc.request())
			if res.status != tc.want {
				t.Fatalf("status %d, want %d", res.status, tc.want)
			}
			if n := len(w.files(t, w.tShared)); n != before {
				t.Errorf("%d file records added", n-before)
			}
			if after := blobFiles(t, w.dir); after != blobs {
				t.Errorf("blob files went from %d to %d", blobs, after)
			}
		})
	}
}

// uploadRequest builds a one-file upload; with sized false the body is sent chunked, so
// the server cannot refuse it by its declared length. names overrides the file name.
func uploadRequest(b *browser, path, content string, sized bool, names ...string) *http.Request {
	name := "big.bin"
	if len(names) > 0 {
		name = names[0]
	}
	body, contentType := multipartBody(b.t, namedFile{name, content})
	h := http.Header{"Content-Type": {contentType}}
	if sized {
		return b.request(http.MethodPost, path, body, h)
	}
	req := b.request(http.MethodPost, path, io.MultiReader(body), h)
	req.ContentLength = -1
	return req
}

// blobFiles counts the files under the blob store, temporary ones included.
func blobFiles(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "files"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUploadAborted cuts a connection in the middle of an upload: no file record, no
// blob and no temporary file may remain.
func TestUploadAborted(t *testing.T) {
	w := newWorld(t, service.Config{})
	blobs := blobFiles(t, w.dir)
	before := len(w.files(t, w.tShared))

	conn, err := tls.Dial("tcp", w.srv.Listener.Addr().String(),
		w.srv.Client().Transport.(*http.Transport).TLSClientConfig)
	if err != nil {
		t.Fatal(err)
	}
	body, contentType := multipartBody(t, namedFile{"aborted.bin", strings.Repeat("y", 4<<20)})
	head := fmt.Sprintf("POST /t/%s/files HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n"+
		"Content-Length: %d\r\nCookie: portico_client=%s\r\n\r\n",
		w.tShared, w.srv.Listener.Addr(), contentType, body.Len(), w.memberSession)
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body.Bytes()[:1<<20]); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(w.dir, "files", "tmp")
	waitFor(t, "the upload to reach disk", func() bool { return countDir(t, tmp) > 0 })
	conn.Close()
	waitFor(t, "the temporary file to go", func() bool { return countDir(t, tmp) == 0 })

	if n := len(w.files(t, w.tShared)); n != before {
		t.Errorf("%d file records added by an aborted upload", n-before)
	}
	if after := blobFiles(t, w.dir); after != blobs {
		t.Errorf("blob files went from %d to %d", blobs, after)
	}
}

func countDir(t testing.TB, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// waitFor polls cond for up to ten seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
