package service

import (
	"errors"
	"sync"
	"time"

	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/store"
)

// A client's upload to a project with a linked folder is also written into that folder,
// under "From clients/<task title>/". The upload is queued in the transaction that records
// it and leaves the queue in the one that records its copy as a folder file, so each upload
// is written once, also across a restart, and one that cannot be written now (the folder
// offline, a full disk, no permission) waits in the database until it can be.

// uploadCopies runs the copying of each project's waiting uploads: one pass at a time per
// project, so they are written in upload order and never twice.
type uploadCopies struct {
	mu      sync.Mutex
	running map[domain.ID]bool // a pass runs for the project
	again   map[domain.ID]bool // the running pass should look at the queue once more
	retry   map[domain.ID]*time.Timer
	closed  bool
	// every is how long a failed write waits before the next try, while the folder is
	// there; a folder that comes back online is written to at once.
	every time.Duration
}

// queueUploadCopy queues the client upload f for the project's linked folder, if it has
// one, in the transaction that records f. It returns how many uploads of the project wait
// now, f included; 0 when f was not queued.
func queueUploadCopy(tx *store.Tx, f domain.File) (int, error) {
	if _, err := tx.FolderLink(f.ProjectID); errors.Is(err, domain.ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if err := tx.QueueFolderUpload(f); err != nil {
		return 0, err
	}
	ids, err := tx.FolderUploads(f.ProjectID)
	return len(ids), err
}

// waitingUploads counts the project's uploads still to be written into its folder.
func waitingUploads(tx *store.Tx, projectID domain.ID) (int, error) {
	ids, err := tx.FolderUploads(projectID)
	n := 0
	for _, id := range ids {
		if _, err := tx.File(id); err == nil {
			n++ // a deleted file is dropped by the next pass, and not waited for
		}
	}
	return n, err
}

// copyWaitingUploads writes the project's waiting uploads into its folder, in upload order,
// until one cannot be written. If a pass already runs for the project, that pass looks at
// the queue again when it is done, and this call returns at once.
func (s *Service) copyWaitingUploads(projectID domain.ID) {
	c := &s.folders.copies
	c.mu.Lock()
	if c.running[projectID] {
		c.again[projectID] = true
		c.mu.Unlock()
		return
	}
	if c.running == nil {
		c.running, c.again = map[domain.ID]bool{}, map[domain.ID]bool{}
	}
	c.running[projectID] = true
	c.mu.Unlock()

	for {
		s.copyUploadPass(projectID)

		c.mu.Lock()
		again := c.again[projectID]
		delete(c.again, projectID)
		if !again {
			delete(c.running, projectID)
		}
		c.mu.Unlock()
		if !again {
			return
		}
	}
}

// copyWaitingUploadsSoon starts copyWaitingUploads in the background, for callers that must
// return quickly (a folder's status change) or run after a delay (a retry). Close waits
// for it; once folder sync is closed, it starts nothing.
func (s *Service) copyWaitingUploadsSoon(projectID domain.ID) {
	c := &s.folders.copies
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		s.background.Go(func() { s.copyWaitingUploads(projectID) })
	}
}

// retryUploadCopies tries the project's waiting uploads again after a while, unless a
// try is already planned.
func (s *Service) retryUploadCopies(projectID domain.ID) {
	c := &s.folders.copies
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.retry[projectID] != nil {
		return
	}
	if c.retry == nil {
		c.retry = map[domain.ID]*time.Timer{}
	}
	every := c.every
	if every <= 0 {
		every = foldersync.DefaultRescanInterval
	}
	c.retry[projectID] = time.AfterFunc(every, func() {
		c.mu.Lock()
		delete(c.retry, projectID)
		c.mu.Unlock()
		s.copyWaitingUploadsSoon(projectID)
	})
}

// stopUploadCopies plans no more passes; Close waits for those in the background to end.
func (s *Service) stopUploadCopies() {
	c := &s.folders.copies
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, t := range c.retry {
		t.Stop()
	}
	clear(c.retry)
}

// copyUploadPass writes the project's waiting uploads in order and stops at the first
// that fails, so that a later upload is never written before an earlier one.
func (s *Service) copyUploadPass(projectID domain.ID) {
	syncer := s.folderSyncer()
	if syncer == nil {
		return
	}
	var ids []domain.ID
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		ids, err = tx.FolderUploads(projectID)
		return err
	})
	for _, id := range ids {
		if err != nil {
			break
		}
		err = s.copyWaitingUpload(syncer, projectID, id)
	}
	if err != nil {
		s.uploadCopyFailed(projectID, err)
	}
}

// uploadCopyFailed logs why the project's uploads wait and plans the next try.
func (s *Service) uploadCopyFailed(projectID domain.ID, err error) {
	switch {
	case errors.Is(err, foldersync.ErrClosed), errors.Is(err, foldersync.ErrNotLinked):
		// Folder sync stopped, or never started for this folder: nothing can be written.
	case errors.Is(err, foldersync.ErrOffline):
		// The folder's return to online starts the next pass.
		s.logger.Info("client uploads wait for the linked folder", "project_id", projectID)
	default:
		s.logger.Warn("copy client upload into linked folder; it waits to be tried again",
			"project_id", projectID, "error", err)
		s.retryUploadCopies(projectID)
	}
}

// copyWaitingUpload writes one waiting upload into the project's folder and records it as
// a folder file. An upload whose file, task or contents are gone leaves the queue unwritten.
func (s *Service) copyWaitingUpload(syncer *foldersync.Syncer, projectID, fileID domain.ID) error {
	var f domain.File
	var title string
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		if f, err = tx.File(fileID); err != nil {
			return err
		}
		if _, err := tx.FolderLink(projectID); err != nil {
			return err
		}
		t, err := tx.Task(f.TaskID)
		title = t.Title
		return err
	})
	if errors.Is(err, domain.ErrNotFound) {
		return s.dropWaitingUpload(projectID, fileID)
	}
	if err != nil {
		return err
	}

	content, err := s.blobs.Open(f.SHA256)
	if errors.Is(err, blob.ErrNotFound) {
		// Deleted between the read above and now; a file that is still there has lost its
		// contents, which no later try can bring back.
		s.logger.Warn("client upload has no contents to copy into the linked folder",
			"project_id", projectID, "file_id", fileID)
		return s.dropWaitingUpload(projectID, fileID)
	}
	if err != nil {
		return err
	}
	written, err := syncer.WriteIncoming(string(projectID), foldersync.ClientUploadsDir(title),
		f.Name, content)
	content.Close()
	if err != nil {
		return err
	}
	return s.recordCopiedUpload(f, written)
}

// recordCopiedUpload records an upload written into the folder as a folder file, so that
// it is not imported again, and takes it out of the queue in the same transaction.
func (s *Service) recordCopiedUpload(f domain.File, written foldersync.File) error {
	b := blob.Blob{SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType}
	err := s.store.Update(func(tx *store.Tx) error {
		if err := tx.DropFolderUpload(f.ProjectID, f.ID); err != nil {
			return err
		}
		_, err := s.recordFolderFile(tx, f.Uploader, f.ProjectID, written, b)
		return err
	})
	if err == nil {
		return nil
	}
	// The file is in the folder now: whatever went wrong, it must not be written twice.
	// The next start-up scan imports it, as it does any file Portico has no record of.
	s.logger.Warn("record client upload copied into linked folder", "project_id", f.ProjectID,
		"path", written.Rel, "error", err)
	return s.dropWaitingUpload(f.ProjectID, f.ID)
}

func (s *Service) dropWaitingUpload(projectID, fileID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		return tx.DropFolderUpload(projectID, fileID)
	})
}
