package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// archive writes entries into a gzip-compressed tar, hashing each as it goes.
type archive struct {
	gz      *gzip.Writer
	tw      *tar.Writer
	entries []Entry
}

func newArchive(w io.Writer) *archive {
	// Most file contents (images, PDFs, office documents) are compressed already, so the
	// fastest level gives nearly the same size as the best at a fraction of the time.
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the level is valid
	return &archive{gz: gz, tw: tar.NewWriter(gz)}
}

// add copies exactly size bytes from r into the entry name.
func (a *archive) add(name string, size int64, mtime time.Time, r io.Reader) (Entry, error) {
	return a.addEntry(name, size, mtime, func(w io.Writer) (int64, error) {
		return io.CopyN(w, r, size)
	})
}

// addFrom writes the entry name, whose size bytes come from write.
func (a *archive) addFrom(name string, size int64, mtime time.Time,
	write func(io.Writer) (int64, error)) error {
	_, err := a.addEntry(name, size, mtime, write)
	return err
}

func (a *archive) addEntry(name string, size int64, mtime time.Time,
	write func(io.Writer) (int64, error)) (Entry, error) {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600,
		ModTime: mtime.UTC().Truncate(time.Second)}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return Entry{}, fmt.Errorf("write %s into the archive: %w", name, err)
	}

	h := sha256.New()
	n, err := write(io.MultiWriter(a.tw, h))
	if err != nil {
		return Entry{}, fmt.Errorf("write %s into the archive: %w", name, err)
	}
	if n != size {
		return Entry{}, fmt.Errorf("write %s into the archive: %d bytes, expected %d", name, n, size)
	}
	e := Entry{Path: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}
	a.entries = append(a.entries, e)
	return e, nil
}

// finish writes the manifest as the last entry and completes the compressed stream.
func (a *archive) finish(m Manifest) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	raw = append(raw, '\n')
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: manifestName, Size: int64(len(raw)),
		Mode: 0o600, ModTime: m.Created}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if _, err := a.tw.Write(raw); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := a.tw.Close(); err != nil {
		return fmt.Errorf("finish the archive: %w", err)
	}
	if err := a.gz.Close(); err != nil {
		return fmt.Errorf("finish the archive: %w", err)
	}
	return nil
}
