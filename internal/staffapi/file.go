package staffapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
	"portico/internal/web"
)

// uploadOverhead is what a multipart body may carry beyond the file itself: part headers,
// boundaries and small form fields.
const uploadOverhead = 1 << 20

// listFiles lists a task's files, oldest first.
func (a *api) listFiles(w http.ResponseWriter, r *http.Request, me caller) {
	var out []fileView
	err := a.readTask(r, me, func(tx *store.Tx, t domain.Task) error {
		files, err := tx.Files(t.ID)
		for _, f := range files {
			out = append(out, viewFile(f))
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list(out))
}

// uploadFile attaches a file to a task. A multipart/form-data body is read part by part
// and its first part named "file" is stored; any other body is the file itself, named by
// ?name=. Either way the contents stream to disk and never sit whole in memory.
func (a *api) uploadFile(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	limit := a.svc.Config().MaxUpload
	body := &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit+uploadOverhead)}
	r.Body = body

	var f domain.File
	if isMultipart(r) {
		f, err = a.uploadPart(r, me, id)
	} else {
		f, err = a.uploadRaw(r, me, id)
	}
	if err != nil && r.Context().Err() != nil {
		// The client cancelled the upload (or went away): nothing failed here.
		a.log.Debug("upload cancelled by the client", "path", r.URL.Path, "error", err)
		return
	}
	if err != nil {
		a.writeError(w, r, uploadError(err, body.hit, limit))
		return
	}
	writeJSON(w, http.StatusCreated, viewFile(f))
}

func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// uploadPart stores the first part named "file" of a multipart body. Parts before it are
// skipped; parts after it are not read.
func (a *api) uploadPart(r *http.Request, me caller, taskID domain.ID) (domain.File, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return domain.File{}, badRequest("file", "the multipart body has no boundary")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return domain.File{}, badRequest("file", "the form has no part named file")
		}
		if err != nil {
			return domain.File{}, malformedPart(err)
		}
		if part.FormName() != "file" {
			continue
		}
		name := web.FormFileName(part.FileName())
		if name == "" {
			name = r.URL.Query().Get("name")
		}
		return a.svc.AttachFile(me.ID, taskID, service.Upload{Name: name, Body: part})
	}
}

// uploadRaw stores the whole request body as one file named by ?name=.
func (a *api) uploadRaw(r *http.Request, me caller, taskID domain.ID) (domain.File, error) {
	name := r.URL.Query().Get("name")
	if name == "" {
		return domain.File{}, badRequest("name",
			"name is required: send ?name=<file name> or a multipart form with a part named file")
	}
	return a.svc.AttachFile(me.ID, taskID, service.Upload{Name: name, Body: r.Body})
}

// malformedPart explains a multipart body that does not parse (a part header with a NUL
// byte, a broken boundary) as the client's mistake, keeping the size limit's error and a
// body cut off before its end for uploadError.
func malformedPart(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	return badRequest("file", "the multipart body is malformed (%v); send the file again, "+
		"or as the raw body with ?name=", err)
}

// uploadError explains a failed upload: over the limit, cut off, or the service's answer.
func uploadError(err error, overLimit bool, limit int64) error {
	if overLimit {
		return &requestError{status: http.StatusRequestEntityTooLarge,
			message: fmt.Sprintf("the file is larger than the limit of %d bytes", limit)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest("file", "the upload was cut off before it ended")
	}
	return err
}

// limitedBody notes when the request body went past its limit, since that error may reach
// the handler wrapped by layers that do not keep it.
type limitedBody struct {
	io.ReadCloser
	hit bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		b.hit = true
	}
	return n, err
}

// downloadFile sends a file's contents as an attachment (raster images inline) with an
// explicit type and an RFC 6266 file name.
func (a *api) downloadFile(w http.ResponseWriter, r *http.Request, me caller) {
	f, err := a.staffFile(r, me)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	content, err := a.svc.OpenBlob(f)
	if err != nil {
		a.writeError(w, r, fmt.Errorf("file %s: %w", f.ID, err))
		return
	}
	defer content.Close()
	blob.ServeFile(w, r, content, blob.Download{Name: f.Name, ContentType: f.ContentType,
		ModTime: f.Created, SHA256: f.SHA256})
}

// staffFile returns the file named in the path when the caller may reach its task.
func (a *api) staffFile(r *http.Request, me caller) (domain.File, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return domain.File{}, err
	}
	var f domain.File
	err = a.svc.Store().View(func(tx *store.Tx) error {
		if f, err = tx.File(id); err != nil {
			return err
		}
		if _, _, err := service.StaffTask(tx, me.ID, f.TaskID); err != nil {
			return fmt.Errorf("file %s: %w", id, domain.ErrNotFound)
		}
		return nil
	})
	return f, err
}

// deleteFile removes a file record; the log keeps only the fact. The contents stay on
// disk while another record shares them.
func (a *api) deleteFile(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.svc.DeleteFile(me.ID, id); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
