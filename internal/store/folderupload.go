package store

import (
	"bytes"
	"fmt"

	"portico/internal/domain"
)

// Client uploads waiting to be written into their project's linked folder are listed in
// folder_uploads under "projectID/fileID", with no value. A file's ID is made in the
// transaction that records it, and IDs grow, so a project's waiting uploads list in the
// order they were uploaded. An entry outlives its file when the file or its task is
// deleted; whoever reads the queue skips and drops such entries.

// QueueFolderUpload records that the client upload f waits to be written into its
// project's linked folder.
func (tx *Tx) QueueFolderUpload(f domain.File) error {
	if err := tx.tx.Bucket(bucketFolderUploads).Put(pair(f.ProjectID, f.ID), nil); err != nil {
		return fmt.Errorf("queue upload %s for the folder: %w", f.ID, err)
	}
	return nil
}

// FolderUploads returns the IDs of the project's uploads waiting for its linked folder, in
// upload order. Files deleted since they were queued are still listed.
func (tx *Tx) FolderUploads(projectID domain.ID) ([]domain.ID, error) {
	var out []domain.ID
	err := children(tx, bucketFolderUploads, projectID, func(id domain.ID, _ []byte) error {
		out = append(out, id)
		return nil
	})
	return out, err
}

// DropFolderUpload takes the upload fileID out of the project's queue; dropping one that is
// not queued does nothing.
func (tx *Tx) DropFolderUpload(projectID, fileID domain.ID) error {
	return del(tx, bucketFolderUploads, pair(projectID, fileID))
}

// DropFolderUploads empties the project's queue, for a folder that is unlinked.
func (tx *Tx) DropFolderUploads(projectID domain.ID) error {
	prefix := []byte(string(projectID) + "/")
	var keys [][]byte
	c := tx.tx.Bucket(bucketFolderUploads).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k)) // deleting while the cursor walks skips keys
	}
	for _, k := range keys {
		if err := del(tx, bucketFolderUploads, k); err != nil {
			return err
		}
	}
	return nil
}
