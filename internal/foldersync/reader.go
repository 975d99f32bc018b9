package foldersync

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// opener returns the function an Upsert reads a file with. The file is opened inside the
// folder only (no symbolic link leads out of it) and must still be the one that was found
// stable; what is read is checked against it, so a Sink never stores a truncated or mixed
// copy without an error.
func (f *folder) opener(disk string, want File) func() (io.ReadCloser, error) {
	dir, ctx := f.dir, f.ctx
	return func() (io.ReadCloser, error) {
		fh, err := openInside(dir, disk)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w: %w", want.Rel, ErrChanged, err)
		}

		info, err := fh.Stat()
		if err != nil || !info.Mode().IsRegular() || !sameFile(want, info) {
			_ = fh.Close()
			return nil, fmt.Errorf("open %s: %w", want.Rel, ErrChanged)
		}
		return &checkedReader{ctx: ctx, file: fh, want: want}, nil
	}
}

// openInside opens the file disk of the folder dir, refusing any path that leads out of
// it. The folder is opened for this one call only: a handle kept open would stop the
// drive it is on from being unmounted.
func openInside(dir, disk string) (*os.File, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.OpenFile(filepath.FromSlash(disk), os.O_RDONLY|openFlags, 0)
}

// checkedReader reads a file and fails with ErrChanged if its size or modification time
// moved away from what was found stable, or when ctx is done.
type checkedReader struct {
	ctx  context.Context
	file *os.File
	want File
	read int64
}

// Read reads from the file, failing with ErrChanged once the file is seen to differ.
func (r *checkedReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}

	n, err := r.file.Read(p)
	r.read += int64(n)
	if r.read > r.want.Size {
		return n, r.changed()
	}
	if err == io.EOF {
		info, statErr := r.file.Stat()
		if r.read != r.want.Size || statErr != nil || !sameFile(r.want, info) {
			return n, r.changed()
		}
	}
	return n, err
}

func (r *checkedReader) changed() error {
	return fmt.Errorf("read %s: %w", r.want.Rel, ErrChanged)
}

// Close closes the file.
func (r *checkedReader) Close() error {
	return r.file.Close()
}
