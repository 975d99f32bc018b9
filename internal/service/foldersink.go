package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/store"
)

// folderSink is the service's foldersync.Sink: each change on disk becomes a folder file
// record, its contents in the blob store and its activity entry, written together.
type folderSink struct{ s *Service }

// systemActor is who imports folder files: nobody signed in did it.
var systemActor = domain.Actor{Kind: domain.ActorSystem}

// Upsert streams the file into the blob store, then records it in one transaction.
func (k folderSink) Upsert(ctx context.Context, projectID string, f foldersync.File,
	open func() (io.ReadCloser, error)) error {
	rc, err := open()
	if err != nil {
		return fmt.Errorf("import %s: %w", f.Rel, err)
	}
	b, err := k.s.blobs.Put(ctxReader{ctx: ctx, r: rc}, math.MaxInt64-1)
	rc.Close()
	if err != nil {
		return fmt.Errorf("import %s: %w", f.Rel, err)
	}
	return k.s.store.Update(func(tx *store.Tx) error {
		_, err := k.s.recordFolderFile(tx, systemActor, domain.ID(projectID), f, b)
		return err
	})
}

// Remove marks the live record of rel deleted and lets go of its contents.
func (k folderSink) Remove(_ context.Context, projectID string, rel string) error {
	return k.s.store.Update(func(tx *store.Tx) error {
		ff, err := tx.FolderFileByRel(domain.ID(projectID), rel)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ff.Deleted = true
		ff.Updated = tx.Now()
		if err := tx.PutFolderFile(ff); err != nil {
			return err
		}
		if _, err := tx.Log(domain.Activity{Actor: systemActor, Action: domain.ActionFolderFileRemoved,
			ProjectID: ff.ProjectID, ObjectID: ff.ID}); err != nil {
			return err
		}
		k.s.dropBlob(tx, ff.SHA256)
		return nil
	})
}

// Known lists the project's live folder files.
func (k folderSink) Known(_ context.Context, projectID string) ([]foldersync.File, error) {
	var out []foldersync.File
	err := k.s.store.View(func(tx *store.Tx) error {
		files, err := tx.FolderFiles(domain.ID(projectID), false)
		for _, f := range files {
			out = append(out, foldersync.File{Rel: f.Rel, Size: f.Size, ModTime: f.ModTime})
		}
		return err
	})
	return out, err
}

// Status keeps the latest state of the project's folder for the staff API.
func (k folderSink) Status(projectID string, st foldersync.Status) {
	k.s.setFolderStatus(domain.ID(projectID), st)
}

// recordFolderFile creates or updates the live record of f.Rel with the content b. Content
// that did not change (a touched file) only updates the size and time, without an entry.
func (s *Service) recordFolderFile(tx *store.Tx, by domain.Actor, projectID domain.ID,
	f foldersync.File, b blob.Blob) (domain.FolderFile, error) {
	if _, err := tx.Project(projectID); err != nil {
		return domain.FolderFile{}, err
	}
	if !s.blobs.Exists(b.SHA256) {
		// A deletion removed the same content between our write and this record; the
		// engine checks the file again later.
		return domain.FolderFile{}, fmt.Errorf("import %s: contents removed meanwhile: %w",
			f.Rel, domain.ErrConflict)
	}

	now := tx.Now()
	ff, err := tx.FolderFileByRel(projectID, f.Rel)
	action := domain.ActionFolderFileUpdated
	switch {
	case errors.Is(err, domain.ErrNotFound):
		ff = domain.FolderFile{ID: domain.NewID(), ProjectID: projectID, Rel: f.Rel, Created: now}
		action = domain.ActionFolderFileAdded
	case err != nil:
		return domain.FolderFile{}, err
	case ff.SHA256 == b.SHA256:
		action = ""
	}

	oldSHA := ff.SHA256
	ff.Size, ff.ModTime, ff.Updated = f.Size, f.ModTime, now
	ff.SHA256, ff.ContentType = b.SHA256, b.ContentType
	if err := tx.PutFolderFile(ff); err != nil {
		return domain.FolderFile{}, err
	}
	if action == "" {
		return ff, nil
	}

	if _, err := tx.Log(domain.Activity{Actor: by, Action: action, ProjectID: projectID,
		ObjectID: ff.ID}); err != nil {
		return domain.FolderFile{}, err
	}
	if oldSHA != "" && oldSHA != ff.SHA256 {
		s.dropBlob(tx, oldSHA)
	}
	return ff, nil
}

// dropBlob removes the content sha once no record refers to it. See dropBlobs.
func (s *Service) dropBlob(tx *store.Tx, sha string) {
	if tx.BlobInUse(sha) {
		return
	}
	if err := s.blobs.Remove(sha); err != nil {
		s.logger.Warn("remove file contents", "error", err)
	}
}

// ctxReader stops reading once ctx ends, so an import of a large file honours it.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
