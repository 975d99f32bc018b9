package foldersync

import (
	"context"
	"errors"
	"io"
	"time"
)

// File is one file of a linked folder as the Sink sees it.
type File struct {
	// Rel is the path relative to the folder, slash-separated, in Unicode NFC.
	Rel string
	// Size is the size in bytes.
	Size int64
	// ModTime is the file's modification time. A Sink must keep it at full precision: at
	// start-up, a file whose size and ModTime equal what Known returns is not read again.
	ModTime time.Time
}

// Sink receives what happens in linked folders. A Syncer calls it from one goroutine per
// linked project, so calls for one project never overlap, while calls for different
// projects may run concurrently. Its methods must not call the Syncer's Link, Unlink or
// Close, which wait for those goroutines.
type Sink interface {
	// Upsert is called when the file f.Rel appeared or changed and has been stable for the
	// stability window. open reads its contents; the reader fails with an error wrapping
	// ErrChanged if the file changes while it is read, and Upsert should then return that
	// error (wrapped) so the file is checked again later. Upsert must honour ctx.
	Upsert(ctx context.Context, projectID string, f File, open func() (io.ReadCloser, error)) error
	// Remove is called when the file rel was deleted or moved out of the folder. It is never
	// called while the folder itself is missing. Removing a rel the Sink does not have is
	// not an error.
	Remove(ctx context.Context, projectID string, rel string) error
	// Known lists the files the Sink has for the project, so that the scan when a folder is
	// linked can tell new, changed and deleted files apart. It returns an empty list, not
	// an error, for a project with no files yet.
	Known(ctx context.Context, projectID string) ([]File, error)
	// Status reports the state of the project's folder whenever it changes. It must return
	// quickly.
	Status(projectID string, s Status)
}

// State is the condition of a linked folder.
type State string

// States of a linked folder.
const (
	// StateScanning: the folder is being read and compared with what the Sink has.
	StateScanning State = "scanning"
	// StateOnline: the folder is watched and changes arrive within the stability window.
	StateOnline State = "online"
	// StateDegraded: changes are picked up by periodic rescans only; Status.Message says why
	// and what the host can do.
	StateDegraded State = "degraded"
	// StateOffline: the folder is missing (drive unmounted, folder moved or deleted).
	// Nothing is removed while offline; the folder is rescanned when it comes back.
	StateOffline State = "offline"
)

// Status is what a Sink is told about a linked folder.
type Status struct {
	State State
	// Message explains a degraded or offline state in words staff can act on.
	Message string
}

var (
	// ErrChanged is returned while reading a file that changed since it was found stable.
	ErrChanged = errors.New("file changed while being read")
	// ErrNotLinked is returned for a project that has no linked folder.
	ErrNotLinked = errors.New("project has no linked folder")
	// ErrOffline is returned when writing into a linked folder that is missing.
	ErrOffline = errors.New("linked folder is offline")
	// ErrOutsideRoot is returned by CheckUnderRoot for a path that leaves the root.
	ErrOutsideRoot = errors.New("folder is outside the allowed root")
	// ErrClosed is returned after the Syncer was closed.
	ErrClosed = errors.New("folder sync closed")
)
