package store

import (
	"fmt"

	"portico/internal/domain"
)

// The tasks_by_project index stores one flag byte per task so that a client's project
// page can skip hidden tasks without decoding them.
const flagShared = 1

// Task returns the task with id.
func (tx *Tx) Task(id domain.ID) (domain.Task, error) {
	raw := tx.tx.Bucket(bucketTasks).Get([]byte(id))
	if raw == nil {
		return domain.Task{}, fmt.Errorf("task %s: %w", id, domain.ErrNotFound)
	}
	return decodeTask(raw)
}

// Tasks returns a project's tasks in creation order. With sharedOnly, tasks whose own
// shared switch is off are skipped (milestone and project rules are the caller's).
func (tx *Tx) Tasks(projectID domain.ID, sharedOnly bool) ([]domain.Task, error) {
	var out []domain.Task
	err := children(tx, bucketTasksByProject, projectID, func(id domain.ID, flags []byte) error {
		if sharedOnly && (len(flags) == 0 || flags[0]&flagShared == 0) {
			return nil
		}
		t, err := tx.Task(id)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

// PutTask creates or replaces a task.
func (tx *Tx) PutTask(t domain.Task) error {
	flags := byte(0)
	if t.Shared {
		flags |= flagShared
	}
	if err := tx.tx.Bucket(bucketTasksByProject).Put(pair(t.ProjectID, t.ID), []byte{flags}); err != nil {
		return err
	}
	if err := tx.tx.Bucket(bucketTasks).Put([]byte(t.ID), encodeTask(t)); err != nil {
		return fmt.Errorf("write task %s: %w", t.ID, err)
	}
	return nil
}

// DeleteTask removes a task with its comments and file records (not the blobs, which
// other files may share).
func (tx *Tx) DeleteTask(t domain.Task) error {
	comments, err := tx.Comments(t.ID)
	if err != nil {
		return err
	}
	for _, c := range comments {
		if err := tx.DeleteComment(c); err != nil {
			return err
		}
	}
	files, err := tx.Files(t.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := tx.DeleteFile(f); err != nil {
			return err
		}
	}
	if err := del(tx, bucketTasksByProject, pair(t.ProjectID, t.ID)); err != nil {
		return err
	}
	return del(tx, bucketTasks, []byte(t.ID))
}

// Comment returns the comment with id.
func (tx *Tx) Comment(id domain.ID) (domain.Comment, error) {
	return get[domain.Comment](tx, bucketComments, []byte(id))
}

// Comments returns a task's comments, oldest first.
func (tx *Tx) Comments(taskID domain.ID) ([]domain.Comment, error) {
	return listed[domain.Comment](tx, bucketCommentsByTask, bucketComments, taskID)
}

// PutComment creates or replaces a comment on a task or a doc.
func (tx *Tx) PutComment(c domain.Comment) error {
	index, parent := commentIndex(c)
	if err := tx.tx.Bucket(index).Put(pair(parent, c.ID), nil); err != nil {
		return err
	}
	return put(tx, bucketComments, []byte(c.ID), c)
}

// DeleteComment removes a comment.
func (tx *Tx) DeleteComment(c domain.Comment) error {
	index, parent := commentIndex(c)
	if err := del(tx, index, pair(parent, c.ID)); err != nil {
		return err
	}
	return del(tx, bucketComments, []byte(c.ID))
}

// commentIndex names the index that lists a comment under its doc or its task.
func commentIndex(c domain.Comment) (index []byte, parent domain.ID) {
	if c.DocID != "" {
		return bucketCommentsByDoc, c.DocID
	}
	return bucketCommentsByTask, c.TaskID
}

// File returns the file record with id.
func (tx *Tx) File(id domain.ID) (domain.File, error) {
	return get[domain.File](tx, bucketFiles, []byte(id))
}

// Files returns a task's files, oldest first.
func (tx *Tx) Files(taskID domain.ID) ([]domain.File, error) {
	return listed[domain.File](tx, bucketFilesByTask, bucketFiles, taskID)
}

// PutFile creates or replaces a file record.
func (tx *Tx) PutFile(f domain.File) error {
	if err := tx.tx.Bucket(bucketFilesByTask).Put(pair(f.TaskID, f.ID), nil); err != nil {
		return err
	}
	if err := tx.tx.Bucket(bucketFilesByBlob).Put(pair(domain.ID(f.SHA256), f.ID), nil); err != nil {
		return err
	}
	return put(tx, bucketFiles, []byte(f.ID), f)
}

// DeleteFile removes a file record.
func (tx *Tx) DeleteFile(f domain.File) error {
	if err := del(tx, bucketFilesByTask, pair(f.TaskID, f.ID)); err != nil {
		return err
	}
	if err := del(tx, bucketFilesByBlob, pair(domain.ID(f.SHA256), f.ID)); err != nil {
		return err
	}
	return del(tx, bucketFiles, []byte(f.ID))
}

// BlobInUse reports whether any file record, or any live folder file, refers to the
// content with this SHA-256.
func (tx *Tx) BlobInUse(sha string) bool {
	used := tx.folderBlobInUse(sha)
	_ = children(tx, bucketFilesByBlob, domain.ID(sha), func(domain.ID, []byte) error {
		used = true
		return errStop
	})
	return used
}

// FileBlobs returns the SHA-256 of every file record and live folder file, for
// verification and cleanup.
func (tx *Tx) FileBlobs() (map[string]bool, error) {
	files, err := all[domain.File](tx, bucketFiles)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(files))
	for _, f := range files {
		out[f.SHA256] = true
	}
	return out, tx.folderBlobs(out)
}
