package foldersync

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"portico/internal/blob"
)

// ClientsDir is the folder, inside a linked folder, that client uploads are written to.
const ClientsDir = "From clients"

// maxCopies bounds the "name (n).ext" numbering of WriteIncoming.
const maxCopies = 1000

// unportable are characters that Windows, exFAT and SMB shares refuse in names; linked
// folders often live on such drives, so uploads avoid them everywhere.
var unportable = strings.NewReplacer("<", "_", ">", "_", ":", "_", `"`, "_", "|", "_",
	"?", "_", "*", "_")

// ClientUploadsDir is the folder, relative to a linked folder, for the client uploads of
// one task: "From clients/<task title>", the title made into a single safe folder name.
func ClientUploadsDir(taskTitle string) string {
	return ClientsDir + "/" + safeSegment(strings.NewReplacer("/", "-", `\`, "-").Replace(taskTitle))
}

// WriteIncoming writes r into the project's linked folder as relDir/name, for example a
// client's upload into ClientUploadsDir(task title), and returns the file as the Sink would
// see it. Every segment of relDir and name is sanitized (no traversal, no hidden names,
// NFC, characters that Windows drives refuse replaced); an existing name gets a number,
// "name (2).ext". The contents go to a hidden temporary file first and appear under their
// name in one step, never overwriting anything, and never outside the folder even through
// symbolic links.
//
// The written file is recorded as already synced: the watcher's events for it lead to no
// Upsert, while later edits on disk do. The caller already has the contents and should
// record the returned File for the project, so that Sink.Known lists it after a restart;
// a file missing from Known is imported by the next start-up scan.
func (s *Syncer) WriteIncoming(projectID, relDir, name string, r io.Reader) (File, error) {
	f, err := s.folder(projectID)
	if err != nil {
		return File{}, fmt.Errorf("write into folder: %w", err)
	}

	var dir []string
	for seg := range strings.SplitSeq(filepath.ToSlash(relDir), "/") {
		if strings.TrimSpace(seg) != "" {
			dir = append(dir, safeSegment(seg))
		}
	}
	return f.writeIncoming(path.Join(dir...), safeSegment(name), r)
}

// safeSegment makes one path segment safe and visible: sanitized like an uploaded file
// name, without leading dots or "~$" (which would hide it from the folder's sync), and
// without characters that Windows drives refuse.
func safeSegment(s string) string {
	s = blob.SanitizeName(s)
	s = strings.TrimLeft(strings.TrimPrefix(s, "~$"), ".")
	s = blob.SanitizeName(unportable.Replace(s))
	if ignoredSegment(s) {
		// A name the sync ignores (report.swp, draft~, Thumbs.db) would be dropped by
		// the next scan; a trailing underscore keeps it recognisable and synced.
		s += "_"
	}
	return s
}

func (f *folder) writeIncoming(dir, name string, r io.Reader) (File, error) {
	f.mu.Lock()
	top := f.dir
	f.mu.Unlock()
	if top == "" {
		return File{}, fmt.Errorf("write into folder: %w", ErrOffline)
	}

	root, err := os.OpenRoot(top)
	if err != nil {
		return File{}, fmt.Errorf("write into folder: %w", err)
	}
	defer root.Close()
	if dir != "" {
		if err := root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
			return File{}, fmt.Errorf("write into folder: create %s: %w", dir, err)
		}
	}

	tmp, err := writeTemp(root, dir, r)
	if err != nil {
		return File{}, err
	}
	defer root.Remove(tmp)

	info, err := root.Lstat(tmp)
	if err != nil {
		return File{}, fmt.Errorf("write into folder: %w", err)
	}
	return f.placeIncoming(root, tmp, dir, name, info)
}

// writeTemp copies r into a new hidden file in dir and returns its name.
func writeTemp(root *os.Root, dir string, r io.Reader) (string, error) {
	var random [8]byte
	_, _ = rand.Read(random[:])
	name := filepath.FromSlash(path.Join(dir, ".portico-incoming-"+hex.EncodeToString(random[:])))

	fh, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("write into folder: %w", err)
	}

	_, err = io.Copy(fh, r)
	if err == nil {
		err = fh.Sync()
	}
	if closeErr := fh.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		_ = root.Remove(name)
		return "", fmt.Errorf("write into folder: %w", err)
	}
	return name, nil
}

// placeIncoming gives the temporary file its first free name, recording it as synced
// before it appears so that the watcher leaves it alone.
func (f *folder) placeIncoming(root *os.Root, tmp, dir, name string, info fs.FileInfo) (File, error) {
	for i := 1; i <= maxCopies; i++ {
		disk := path.Join(dir, numbered(name, i))
		n := relName(disk)
		e := f.reserve(n, disk, info)
		if e == nil {
			continue
		}

		err := place(root, tmp, filepath.FromSlash(disk))

		f.mu.Lock()
		if err != nil {
			delete(f.index, n)
		} else {
			e.writing = false
		}
		f.mu.Unlock()

		switch {
		case err == nil:
			return e.file, nil
		case !errors.Is(err, fs.ErrExist):
			return File{}, fmt.Errorf("write into folder: %w", err)
		}
	}
	return File{}, fmt.Errorf("write into folder: %d files named like %s already", maxCopies, name)
}

// reserve records n as being written, unless the project already has a file of that name.
func (f *folder) reserve(n, disk string, info fs.FileInfo) *entry {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.index[n]; ok {
		return nil
	}
	if _, ok := f.shadow[n]; ok {
		return nil
	}
	e := &entry{disk: disk, file: fileOf(n, info), writing: true}
	f.index[n] = e
	return e
}

// place links tmp to name, failing with fs.ErrExist rather than replacing a file. Drives
// without hard links (FAT, exFAT) fall back to checking, then renaming.
func place(root *os.Root, tmp, name string) error {
	err := root.Link(tmp, name)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}

	if !errors.Is(err, syscall.EPERM) && !errors.Is(err, errors.ErrUnsupported) &&
		!errors.Is(err, syscall.EMLINK) {
		return err
	}
	if _, err := root.Lstat(name); err == nil {
		return fs.ErrExist
	}
	return root.Rename(tmp, name)
}

// numbered is name for the first copy and "stem (i).ext" after.
func numbered(name string, i int) string {
	if i == 1 {
		return name
	}
	ext := path.Ext(name)
	if ext == name {
		ext = ""
	}
	return fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(name, ext), i, ext)
}
