package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/gabriel-vasile/mimetype"
)

const (
	// copyBufferSize is the chunk size for streaming an upload to disk: large enough for
	// few system calls, small enough that many parallel uploads stay cheap.
	copyBufferSize = 256 << 10
	// sniffSize is how many leading bytes are kept for content type detection; it matches
	// mimetype's default read limit.
	sniffSize = 4096
	// emptyContentType is the type given to zero-byte content, which has nothing to sniff.
	emptyContentType = "application/octet-stream"
)

var copyBuffers = sync.Pool{New: func() any {
	b := make([]byte, copyBufferSize)
	return &b
}}

// Put streams r to disk and stores it under its SHA-256, holding at most a fixed buffer in
// memory. If more than limit bytes arrive, it stops and fails with ErrTooLarge. If r fails,
// Put fails with r's error. In both cases nothing is left behind. Content that is already
// stored is not written twice: the new copy is dropped and the same Blob is returned.
func (s *Store) Put(r io.Reader, limit int64) (Blob, error) {
	if limit < 0 {
		return Blob{}, fmt.Errorf("put blob: negative limit %d", limit)
	}

	tmp, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return Blob{}, fmt.Errorf("put blob: create temp file: %w", err)
	}
	b, err := s.write(tmp, r, limit)
	if err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return Blob{}, err
	}

	if err := s.commit(tmp.Name(), b.SHA256); err != nil {
		_ = os.Remove(tmp.Name())
		return Blob{}, err
	}
	return b, nil
}

// write copies r into tmp while hashing it, sniffs the content type from the first bytes,
// then syncs and closes tmp.
func (s *Store) write(tmp *os.File, r io.Reader, limit int64) (Blob, error) {
	h := sha256.New()
	src := &io.LimitedReader{R: r, N: limitPlusOne(limit)}
	dst := io.MultiWriter(tmp, h)

	head, err := readHead(src)
	if err != nil {
		return Blob{}, err
	}
	if _, err := dst.Write(head); err != nil {
		return Blob{}, fmt.Errorf("put blob: write: %w", err)
	}

	rest, err := copyBuffered(dst, src)
	if err != nil {
		return Blob{}, err
	}
	size := int64(len(head)) + rest
	if size > limit {
		return Blob{}, fmt.Errorf("put blob: more than %d bytes: %w", limit, ErrTooLarge)
	}

	if err := syncClose(tmp); err != nil {
		return Blob{}, err
	}
	return Blob{SHA256: hexSum(h), Size: size, ContentType: sniff(head)}, nil
}

// readHead reads up to sniffSize bytes; fewer means the content is that short.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("put blob: read: %w", err)
	}
	return head[:n], nil
}

// copyBuffered copies src to dst through a pooled buffer. Neither side implements
// ReaderFrom or WriterTo, so io.CopyBuffer really uses the buffer and memory stays flat.
func copyBuffered(dst io.Writer, src *io.LimitedReader) (int64, error) {
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)

	n, err := io.CopyBuffer(dst, src, *buf)
	if err != nil {
		return n, fmt.Errorf("put blob: copy: %w", err)
	}
	return n, nil
}

// commit moves a complete temp file to its final name, or drops it when that content is
// already stored.
func (s *Store) commit(tmpName, sha string) error {
	final, err := s.Path(sha)
	if err != nil {
		return err
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("put blob: create directory: %w", err)
	}

	if _, err := os.Lstat(final); err == nil {
		if err := os.Remove(tmpName); err != nil {
			return fmt.Errorf("put blob: drop duplicate: %w", err)
		}
		return nil
	}
	if err := os.Rename(tmpName, final); err != nil {
		return fmt.Errorf("put blob: rename: %w", err)
	}
	return syncDir(dir)
}

// limitPlusOne lets one byte past limit through, so an upload of exactly limit bytes
// passes and a longer one is noticed.
func limitPlusOne(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}

func syncClose(f *os.File) error {
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("put blob: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("put blob: close: %w", err)
	}
	return nil
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("put blob: open directory: %w", err)
	}
	defer d.Close()

	if err := d.Sync(); err != nil {
		return fmt.Errorf("put blob: sync directory: %w", err)
	}
	return nil
}

func hexSum(h hash.Hash) string {
	return hex.EncodeToString(h.Sum(nil))
}

// sniff names the content type of head, the first bytes of the content.
func sniff(head []byte) string {
	if len(head) == 0 {
		return emptyContentType
	}
	return mimetype.Detect(head).String()
}
