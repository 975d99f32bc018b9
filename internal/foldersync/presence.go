package foldersync

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// fileID tells a folder from another that took its place.
type fileID struct{ dev, ino uint64 }

// waitForRoot reports the folder offline while it is missing and returns true once it is
// there, false when stopped.
func (f *folder) waitForRoot() bool {
	for {
		why := f.rootPresent()
		if why == "" {
			return true
		}
		f.setStatus(Status{State: StateOffline, Message: why})
		if !f.sleep(f.opts.RootCheckInterval) {
			return false
		}
	}
}

// rootPresent checks the folder and, when it can be scanned, sets dir and returns "";
// otherwise it says why not. A folder that is empty while the project has files from it is
// taken for the mount point of a drive that is not mounted: scanning it would remove every
// file. Any file put into it makes it an emptied folder instead.
func (f *folder) rootPresent() string {
	missing := fmt.Sprintf("The folder %s is not available (a drive unmounted, or the folder "+
		"moved or deleted). Nothing is removed from the project; the folder is read again "+
		"when it is back.", f.root)

	dir, err := filepath.EvalSymlinks(f.root)
	if err != nil {
		return missing
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return missing
	}
	if f.opts.Allow != nil {
		if err := f.opts.Allow(f.projectID, dir); err != nil {
			return fmt.Sprintf("The folder %s is not allowed (%v); it now leads to %s. "+
				"Nothing is removed from the project.", f.root, err, dir)
		}
	}
	if !f.fresh && f.hasFiles() && isEmptyDir(dir) {
		return fmt.Sprintf("The folder %s is empty while the project has files from it: is "+
			"its drive mounted? Nothing is removed from the project. If the files were "+
			"deleted on purpose, put any file into the folder and it is read again.", f.root)
	}

	f.rootID = identity(info)
	f.fresh = false

	f.mu.Lock()
	f.dir = dir
	f.mu.Unlock()
	return ""
}

// rootStill reports whether the folder being watched is still the one in place: not
// moved, deleted, replaced or unmounted (which changes the device under its path).
func (f *folder) rootStill() bool {
	dir, err := filepath.EvalSymlinks(f.root)
	if err != nil || dir != f.dir {
		return false
	}
	info, err := os.Stat(dir)
	return err == nil && info.IsDir() && identity(info) == f.rootID
}

// hasFiles reports whether the Sink has any file of the folder.
func (f *folder) hasFiles() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.index {
		if !e.writing {
			return true
		}
	}
	return false
}

// isEmptyDir reports whether dir holds nothing that would be synced.
func isEmptyDir(dir string) bool {
	names, err := readNames(dir)
	if err != nil {
		return false
	}
	for _, name := range names {
		if !Ignored(name) {
			return false
		}
	}
	return true
}

func readNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// readable checks that a folder can be listed.
func readable(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}
