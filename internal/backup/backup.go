// Package backup writes a Portico data folder into one archive and restores it from one.
// The archive is a gzip-compressed tar that mirrors the data folder: portico.db (a bbolt
// snapshot), files/ (the contents that snapshot's file records refer to) and certs/ (the
// local CA, ACME accounts and certificates), followed by manifest.json, which lists every
// entry with its size and SHA-256. The search index is left out: it is rebuilt from the
// database. Unpacked with tar into an empty folder, an archive is a working data folder;
// Restore does the same and checks every byte against the manifest on the way.
package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"portico/internal/blob"
	"portico/internal/store"
)

// FormatVersion is the version of the archive layout and manifest this build writes.
// Restore refuses archives with a higher version.
const FormatVersion = 1

// Manifest describes an archive. It is the archive's last entry, manifest.json.
type Manifest struct {
	Format int `json:"format"`
	// Version is the Portico version that wrote the archive.
	Version string `json:"portico_version"`
	// Schema is the database schema version of that Portico.
	Schema  uint64    `json:"schema_version"`
	Created time.Time `json:"created"`
	// Files lists every entry but the manifest itself, in archive order.
	Files []Entry `json:"files"`
	// Problems lists what was wrong in the data folder while it was copied (a file's
	// contents missing or changed on disk); the archive holds everything else.
	Problems []string `json:"problems,omitempty"`
}

// Entry is one file in the archive.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Incomplete returns an *IncompleteError when file contents were missing or corrupt in the
// data folder while it was copied, and nil when the archive holds the whole folder.
func (m Manifest) Incomplete() error {
	if len(m.Problems) == 0 {
		return nil
	}
	return &IncompleteError{Problems: m.Problems}
}

// IncompleteError says that a backup was written in full, but for file contents that were
// missing or corrupt in the data folder: missing ones are left out, corrupt ones copied as
// found. The archive restores; the files concerned need attention in the original folder.
type IncompleteError struct {
	// Problems are the manifest's, one sentence per file content.
	Problems []string
}

// IncompletePrefix starts the message of every IncompleteError, so that a command that got
// the error as text from another process (through the control socket) can tell it apart
// from a failure that left no usable backup.
const IncompletePrefix = "backup incomplete: "

func (e *IncompleteError) Error() string {
	what := "1 file was"
	if n := len(e.Problems); n != 1 {
		what = fmt.Sprintf("%d files were", n)
	}
	return IncompletePrefix + what + " missing or corrupt in the data folder (see the " +
		"warnings above); everything else is in the backup. Run `portico verify` to see " +
		"which tasks the files belong to"
}

// Size returns the total size of the archived files, before compression.
func (m Manifest) Size() int64 {
	var n int64
	for _, e := range m.Files {
		n += e.Size
	}
	return n
}

// Source is the data folder being backed up: its open store and file contents, and the
// folder holding certificates.
type Source struct {
	Store    *store.Store
	Blobs    *blob.Store
	CertsDir string
	// Version is this Portico's version, written into the manifest.
	Version string
}

// Write writes a consistent backup of src to w and returns its manifest. It may run while
// the server takes writes. The database is copied in one read transaction; the file
// contents that this copy refers to are copied after it, under a blob hold, so a file
// deleted meanwhile still reaches the archive (contents are never changed in place, only
// added and removed). Copying contents outside the read transaction keeps it short: a
// long bbolt read transaction would stall writers whenever the file has to grow.
func Write(ctx context.Context, src Source, w io.Writer) (Manifest, error) {
	// The hold comes first and the snapshot waits for writes in flight, so no content the
	// snapshot refers to can be deleted for good before it is copied.
	release := src.Blobs.Hold()
	defer release()

	m := Manifest{Format: FormatVersion, Version: src.Version, Schema: store.SchemaVersion,
		Created: time.Now().UTC().Truncate(time.Second)}
	a := newArchive(w)
	var shas []string
	err := src.Store.Snapshot(func(tx *store.Tx) error {
		var err error
		if shas, err = referencedContents(tx); err != nil {
			return err
		}
		return a.addFrom(databaseName, tx.Size(), m.Created, tx.WriteTo)
	})
	if err != nil {
		return m, fmt.Errorf("back up the database: %w", err)
	}

	if m.Problems, err = a.addContents(ctx, src.Blobs, shas); err != nil {
		return m, err
	}
	if err := a.addCerts(ctx, src.CertsDir); err != nil {
		return m, err
	}
	m.Files = a.entries
	if err := a.finish(m); err != nil {
		return m, err
	}
	return m, nil
}

// Names of the entries at the archive's top level.
const (
	databaseName = "portico.db"
	manifestName = "manifest.json"
	filesDir     = "files"
	certsDir     = "certs"
)

// contentName is the archive path of the content named sha, the same as in the data folder.
func contentName(sha string) string { return filesDir + "/" + sha[:2] + "/" + sha }

func referencedContents(tx *store.Tx) ([]string, error) {
	set, err := tx.FileBlobs()
	if err != nil {
		return nil, fmt.Errorf("list file contents: %w", err)
	}
	shas := make([]string, 0, len(set))
	for sha := range set {
		shas = append(shas, sha)
	}
	slices.Sort(shas)
	return shas, nil
}

// addContents copies each content into the archive and returns what was wrong with any.
func (a *archive) addContents(ctx context.Context, blobs *blob.Store, shas []string) ([]string, error) {
	var problems []string
	for _, sha := range shas {
		if err := ctx.Err(); err != nil {
			return problems, err
		}
		problem, err := a.addContent(blobs, sha)
		if err != nil {
			return problems, err
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	return problems, nil
}

func (a *archive) addContent(blobs *blob.Store, sha string) (problem string, err error) {
	name := contentName(sha)
	f, err := blobs.OpenHeld(sha)
	if errors.Is(err, blob.ErrNotFound) {
		return name + ": missing from the data folder, left out", nil
	}
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", name, err)
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", name, err)
	}
	e, err := a.add(name, info.Size(), info.ModTime(), f)
	if err != nil {
		return "", err
	}
	if e.SHA256 != sha {
		return name + ": corrupt in the data folder (the contents no longer match their " +
			"name), copied as found", nil
	}
	return "", nil
}

// addCerts copies the certificate storage, leaving out certmagic's lock files, which only
// mean something to the process that made them.
func (a *archive) addCerts(ctx context.Context, dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // no certificates yet, or a file replaced while walking
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "locks" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return a.addFile(certsDir+"/"+filepath.ToSlash(rel), path)
	})
	if err != nil {
		return fmt.Errorf("back up certificates: %w", err)
	}
	return nil
}

// addFile copies the file at path; one that vanished since it was listed is skipped
// (certmagic replaces files by renaming a temporary one over them).
func (a *archive) addFile(name, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = a.add(name, info.Size(), info.ModTime(), f)
	return err
}
