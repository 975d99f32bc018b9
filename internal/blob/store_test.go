package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// patternReader yields n bytes of a deterministic, non-repeating-looking pattern without
// holding them in memory.
type patternReader struct {
	n    int64
	seed uint64
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.n {
		b = b[:p.n]
	}
	for i := range b {
		p.seed = p.seed*6364136223846793005 + 1442695040888963407
		b[i] = byte(p.seed >> 56)
	}
	p.n -= int64(len(b))
	return len(b), nil
}

// failingReader returns err after n bytes, like an upload whose connection dropped.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "files")
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s, dir
}

func assertTmpEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatalf("read tmp: %v", err)
	}
	if len(entries) != 0 {
		t.Fatalf("tmp/ holds %d entries, want none", len(entries))
	}
}

func sumOf(r io.Reader) string {
	h := sha256.New()
	_, _ = io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil))
}

func TestOpenCreatesDirsAndRemovesStaleTemps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "tmp", "put-123")
	if err := os.WriteFile(stale, []byte("half an upload"), 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(dir); err != nil {
		t.Fatalf("Open: %v", err)
	}
	assertTmpEmpty(t, dir)

	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("dir mode = %o, want 700", perm)
	}
}

func TestPutStreamsAndDedups(t *testing.T) {
	s, dir := openStore(t)
	const size = 5 << 20
	want := sumOf(&patternReader{n: size, seed: 1})

	for i := range 2 {
		b, err := s.Put(&patternReader{n: size, seed: 1}, size)
		if err != nil {
			t.Fatalf("Put #%d: %v", i, err)
		}
		if b.SHA256 != want || b.Size != size {
			t.Fatalf("Put #%d = %+v, want sha %s size %d", i, b, want, size)
		}
	}

	files, err := filepath.Glob(filepath.Join(dir, want[:2], "*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("stored files = %v (%v), want exactly one", files, err)
	}
	assertTmpEmpty(t, dir)
	if err := s.Verify(want); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestPutContentType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" +
		"\x00\x00\x00\x1f\x15\xc4\x89")
	tests := []struct {
		name    string
		content []byte
		want    string
	}{
		{"empty", nil, "application/octet-stream"},
		{"text", []byte("hello, world\n"), "text/plain; charset=utf-8"},
		{"png", png, "image/png"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "application/pdf"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "image/svg+xml"},
	}
	s, _ := openStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.Put(bytes.NewReader(tt.content), 1<<20)
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if b.ContentType != tt.want {
				t.Errorf("ContentType = %q, want %q", b.ContentType, tt.want)
			}
			if b.Size != int64(len(tt.content)) {
				t.Errorf("Size = %d, want %d", b.Size, len(tt.content))
			}
		})
	}
}

func TestPutZeroBytes(t *testing.T) {
	s, _ := openStore(t)
	b, err := s.Put(strings.NewReader(""), 0)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if b.SHA256 != emptySHA || b.Size != 0 {
		t.Fatalf("Put = %+v, want the empty content", b)
	}

	f, err := s.Open(emptySHA)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer f.Close()
	if got, _ := io.ReadAll(f); len(got) != 0 {
		t.Errorf("read %d bytes, want 0", len(got))
	}
}

func TestPutLimit(t *testing.T) {
	tests := []struct {
		name    string
		size    int64
		limit   int64
		wantErr error
	}{
		{"exactly at limit", 10_000, 10_000, nil},
		{"one byte over", 10_001, 10_000, ErrTooLarge},
		{"far over", 3 << 20, 1 << 20, ErrTooLarge},
		{"over within the sniffed head", 100, 10, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := openStore(t)
			_, err := s.Put(&patternReader{n: tt.size, seed: 7}, tt.limit)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Put error = %v, want %v", err, tt.wantErr)
			}
			assertTmpEmpty(t, dir)
		})
	}
}

func TestPutReaderFailsLeavesNothing(t *testing.T) {
	s, dir := openStore(t)
	cut := errors.New("connection reset")
	r := &failingReader{r: &patternReader{n: 1 << 20, seed: 3}, err: cut}

	if _, err := s.Put(r, 10<<20); !errors.Is(err, cut) {
		t.Fatalf("Put error = %v, want %v", err, cut)
	}
	assertTmpEmpty(t, dir)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("store holds %d entries, want only tmp/", len(entries))
	}
}

func TestOpenRejectsBadNames(t *testing.T) {
	s, _ := openStore(t)
	stored, err := s.Put(strings.NewReader("x"), 10)
	if err != nil {
		t.Fatal(err)
	}

	tests := []string{
		"",
		"../x",
		"abc",
		"../../../../etc/passwd",
		strings.ToUpper(stored.SHA256),
		stored.SHA256[:63] + "/",
		stored.SHA256 + "0",
		strings.Repeat("0", 64),
	}
	for _, sha := range tests {
		t.Run(sha, func(t *testing.T) {
			f, err := s.Open(sha)
			if err == nil {
				f.Close()
			}
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Open(%q) error = %v, want ErrNotFound", sha, err)
			}
		})
	}
}

func TestVerifyDetectsCorruption(t *testing.T) {
	s, _ := openStore(t)
	b, err := s.Put(strings.NewReader("original"), 100)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Path(b.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := s.Verify(b.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Verify error = %v, want ErrCorrupt", err)
	}
	if err := s.Verify(strings.Repeat("a", 64)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Verify(missing) error = %v, want ErrNotFound", err)
	}
}

func TestPutConcurrentSameContent(t *testing.T) {
	s, dir := openStore(t)
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := s.Put(&patternReader{n: 1 << 20, seed: 9}, 2<<20)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Put: %v", err)
		}
	}
	assertTmpEmpty(t, dir)
}
