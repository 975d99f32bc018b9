package service

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"portico/internal/access"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/store"
)

// ErrTooLarge is returned for an upload over the size limit.
var ErrTooLarge = errors.New("file is too large")

// Upload names a file being added to a task.
type Upload struct {
	Name string
	Body io.Reader
}

// AttachFile stores a staff member's file on a task.
func (s *Service) AttachFile(byID, taskID domain.ID, up Upload) (domain.File, error) {
	if err := s.store.View(func(tx *store.Tx) error {
		_, _, err := StaffTask(tx, byID, taskID)
		return err
	}); err != nil {
		return domain.File{}, err
	}
	return s.storeFile(staffActor(byID), taskID, up, func(tx *store.Tx) (domain.Task, error) {
		t, _, err := StaffTask(tx, byID, taskID)
		return t, err
	}, nil)
}

// ClientUpload stores a client's file on a task they can see and, if the project has a
// linked folder, queues it for that folder and writes it there when the folder can take it.
func (s *Service) ClientUpload(clientID, taskID domain.ID, up Upload) (domain.File, error) {
	if err := s.store.View(func(tx *store.Tx) error {
		_, err := access.Task(tx, clientID, taskID)
		return err
	}); err != nil {
		return domain.File{}, err
	}
	var waiting int
	f, err := s.storeFile(clientActor(clientID), taskID, up, func(tx *store.Tx) (domain.Task, error) {
		return access.Task(tx, clientID, taskID)
	}, func(tx *store.Tx, f domain.File) (err error) {
		waiting, err = queueUploadCopy(tx, f)
		return err
	})
	switch {
	case err != nil || waiting == 0:
	case waiting == 1:
		s.copyWaitingUploads(f.ProjectID) // in the folder when the client's request ends
	default:
		// Earlier uploads go first, and the client's request should not wait for them.
		s.copyWaitingUploadsSoon(f.ProjectID)
	}
	return f, err
}

// storeFile streams the body to the blob store outside any transaction, then records the
// file, re-checking the right to the task in the writing transaction since access may
// have changed during a long upload. recorded, when set, runs in that transaction too.
func (s *Service) storeFile(by domain.Actor, taskID domain.ID, up Upload,
	task func(*store.Tx) (domain.Task, error),
	recorded func(*store.Tx, domain.File) error) (domain.File, error) {
	name := blob.SanitizeName(up.Name)
	b, err := s.blobs.Put(up.Body, s.cfg.MaxUpload)
	if errors.Is(err, blob.ErrTooLarge) {
		return domain.File{}, fmt.Errorf("%w: the limit is %d bytes", ErrTooLarge, s.cfg.MaxUpload)
	}
	if err != nil {
		return domain.File{}, fmt.Errorf("store upload: %w", err)
	}
	var f domain.File
	err = s.store.Update(func(tx *store.Tx) error {
		t, err := task(tx)
		if err != nil {
			return err
		}
		if !s.blobs.Exists(b.SHA256) {
			// A deletion removed the same content between our write and this record.
			return fmt.Errorf("the upload was interrupted by a deletion; please upload again: %w",
				domain.ErrConflict)
		}
		f = domain.File{ID: domain.NewID(), TaskID: t.ID, ProjectID: t.ProjectID, Name: name,
			SHA256: b.SHA256, Size: b.Size, ContentType: b.ContentType, Uploader: by, Created: tx.Now()}
		if err := tx.PutFile(f); err != nil {
			return err
		}
		if _, err := tx.Log(domain.Activity{Actor: by, Action: domain.ActionFileUploaded,
			ProjectID: t.ProjectID, TaskID: t.ID, ObjectID: f.ID}); err != nil {
			return err
		}
		if recorded == nil {
			return nil
		}
		return recorded(tx, f)
	})
	return f, err
}

// DeleteFile removes a file record, and its contents once no other record shares them.
func (s *Service) DeleteFile(byID, fileID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		f, err := tx.File(fileID)
		if err != nil {
			return err
		}
		if _, _, err := StaffTask(tx, byID, f.TaskID); err != nil {
			return notFoundf("file", fileID)
		}
		if err := tx.DeleteFile(f); err != nil {
			return err
		}
		if err := s.log(tx, byID, domain.ActionFileDeleted, f.ProjectID, f.TaskID, f.ID); err != nil {
			return err
		}
		return s.dropBlobs(tx, []domain.File{f})
	})
}

// dropBlobs removes the contents of deleted files that no record refers to any more. It
// runs inside the deleting transaction, so an upload of the same content cannot record a
// reference in between (storeFile checks the content still exists in its own
// transaction). A failed removal leaves an unreferenced file, which is only wasted space.
func (s *Service) dropBlobs(tx *store.Tx, deleted []domain.File) error {
	for _, f := range deleted {
		if tx.BlobInUse(f.SHA256) {
			continue
		}
		if err := s.blobs.Remove(f.SHA256); err != nil {
			s.logger.Warn("remove file contents", "file_id", f.ID, "error", err)
		}
	}
	return nil
}

func trimSpace(s string) string { return strings.TrimSpace(s) }
