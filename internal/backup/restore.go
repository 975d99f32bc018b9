package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrNotEmpty is returned by Restore for a folder that already holds something.
var ErrNotEmpty = errors.New("folder is not empty")

// maxManifest bounds the manifest's size: a folder with a million files lists about
// 150 MB, far beyond any agency's, and anything larger is not a Portico manifest.
const maxManifest = 256 << 20

// Restore unpacks the archive read from r into dir, which must be absent or empty; it never
// overwrites anything. Every entry is hashed while it is written and checked against the
// manifest, and only a complete, matching archive is moved into dir: until then it lives
// in a temporary folder inside dir, removed on failure (with dir, if Restore created it).
func Restore(r io.Reader, dir string) (Manifest, error) {
	created, err := prepareEmpty(dir)
	if err != nil {
		return Manifest{}, err
	}
	m, err := restoreInto(r, dir)
	if err != nil && created {
		os.RemoveAll(dir)
	}
	return m, err
}

func restoreInto(r io.Reader, dir string) (Manifest, error) {
	staging, err := os.MkdirTemp(dir, ".restore-")
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(staging)

	got, m, err := unpack(r, staging)
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	if err := m.check(got); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	if err := moveInto(staging, dir); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	return m, nil
}

// prepareEmpty creates dir, or checks that it is an empty folder. It reports whether it
// created dir.
func prepareEmpty(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, fmt.Errorf("restore: %w", err)
		}
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("restore: %s holds %s: %w; restore only into a new or empty "+
			"folder", dir, entries[0].Name(), ErrNotEmpty)
	}
	return false, nil
}

// unpack writes every entry of the archive under dir and returns what it wrote, as
// measured while writing, and the manifest.
func unpack(r io.Reader, dir string) (map[string]Entry, Manifest, error) {
	var m Manifest
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, m, fmt.Errorf("not a Portico backup (no gzip stream): %w", err)
	}
	got := map[string]Entry{}
	seenManifest := false
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, m, fmt.Errorf("read the archive: it is cut short: %w", err)
		}
		if err != nil {
			return nil, m, fmt.Errorf("read the archive: %w", err)
		}
		name, err := entryName(hdr)
		if err != nil {
			return nil, m, err
		}
		if _, dup := got[name]; dup || (name == manifestName && seenManifest) {
			return nil, m, fmt.Errorf("the archive holds %s twice", name)
		}
		switch {
		case hdr.Typeflag == tar.TypeDir:
			continue
		case name == manifestName:
			seenManifest = true
			if m, err = readManifest(tr); err != nil {
				return nil, m, err
			}
		default:
			if got[name], err = writeEntry(tr, dir, name, hdr); err != nil {
				return nil, m, err
			}
		}
	}
	// Reading to the end checks the gzip stream's own checksum.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, m, fmt.Errorf("read the archive: %w", err)
	}
	if !seenManifest {
		return nil, m, errors.New("the archive has no manifest: it is cut short or not a " +
			"Portico backup")
	}
	return got, m, nil
}

var contentPath = regexp.MustCompile(`^files/([0-9a-f]{2})/([0-9a-f]{64})$`)

// entryName checks that an entry is one a backup writes: a regular file (or a folder) at
// a known place, never outside the folder being restored.
func entryName(hdr *tar.Header) (string, error) {
	name := strings.TrimSuffix(hdr.Name, "/")
	if path.Clean(name) != name || !filepath.IsLocal(name) {
		return "", fmt.Errorf("unexpected entry %q in the archive", hdr.Name)
	}
	inFolder := name == filesDir || name == certsDir ||
		strings.HasPrefix(name, filesDir+"/") || strings.HasPrefix(name, certsDir+"/")
	switch {
	case hdr.Typeflag == tar.TypeDir && inFolder:
		return name, nil
	case hdr.Typeflag != tar.TypeReg:
		return "", fmt.Errorf("unexpected entry %q in the archive (not a regular file)", hdr.Name)
	case name == databaseName || name == manifestName || strings.HasPrefix(name, certsDir+"/"):
		return name, nil
	}
	if sub := contentPath.FindStringSubmatch(name); sub != nil && sub[2][:2] == sub[1] {
		return name, nil
	}
	return "", fmt.Errorf("unexpected entry %q in the archive", hdr.Name)
}

func readManifest(r io.Reader) (Manifest, error) {
	var m Manifest
	raw, err := io.ReadAll(io.LimitReader(r, maxManifest+1))
	if err != nil {
		return m, fmt.Errorf("read the manifest: %w", err)
	}
	if len(raw) > maxManifest {
		return m, errors.New("the manifest is too large")
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("decode the manifest: %w", err)
	}
	return m, nil
}

// writeEntry writes the current entry to dir/name (mode 0600, folders 0700), durably,
// and returns its measured size and hash.
func writeEntry(r io.Reader, dir, name string, hdr *tar.Header) (Entry, error) {
	target := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return Entry{}, fmt.Errorf("restore %s: %w", name, err)
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Entry{}, fmt.Errorf("restore %s: %w", name, err)
	}
	defer f.Close()

	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Entry{}, fmt.Errorf("restore %s: the archive is cut short: %w", name, err)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("restore %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return Entry{}, fmt.Errorf("restore %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return Entry{}, fmt.Errorf("restore %s: %w", name, err)
	}
	_ = os.Chtimes(target, hdr.ModTime, hdr.ModTime) // a nicety; the contents are what count
	return Entry{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// check compares what was unpacked with what the manifest promises.
func (m Manifest) check(got map[string]Entry) error {
	if m.Format < 1 || m.Format > FormatVersion {
		return fmt.Errorf("the archive has format %d; this Portico reads format %d (it was "+
			"made by Portico %s)", m.Format, FormatVersion, m.Version)
	}
	var problems []error
	problem := func(name, what string) { problems = append(problems, fmt.Errorf("%s: %s", name, what)) }
	listed := map[string]bool{}
	for _, want := range m.Files {
		listed[want.Path] = true
		have, ok := got[want.Path]
		switch {
		case !ok:
			problem(want.Path, "in the manifest but not in the archive")
		case have.Size != want.Size || have.SHA256 != want.SHA256:
			problem(want.Path, "damaged (its SHA-256 differs from the manifest's)")
		}
	}
	for name := range got {
		if !listed[name] {
			problem(name, "in the archive but not in the manifest")
		}
	}
	if !listed[databaseName] {
		problems = append(problems, errors.New("the archive has no database"))
	}
	return errors.Join(problems...)
}

// moveInto moves the unpacked folder's contents into dir: the folders first, then the
// database, by a link that fails rather than replace one that appeared meanwhile.
func moveInto(staging, dir string) error {
	for _, name := range []string{filesDir, certsDir} {
		err := os.Rename(filepath.Join(staging, name), filepath.Join(dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	src := filepath.Join(staging, databaseName)
	if err := os.Link(src, filepath.Join(dir, databaseName)); err != nil {
		return err
	}
	if err := os.Remove(src); err != nil {
		return err
	}
	return syncDir(dir)
}
