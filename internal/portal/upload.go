package portal

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

const (
	// uploadSlack is what a multipart body may carry beyond the file itself: boundaries,
	// part headers and a few small fields.
	uploadSlack = 1 << 20
	// maxParts bounds the parts read from one upload form.
	maxParts = 64
	// fileField is the form field that carries files.
	fileField = "file"
)

// upload streams each file of a multipart form, part by part, into the service, which
// writes it to disk without holding it in memory. The body is cut off past the upload
// limit (413), and a file that does not arrive whole leaves nothing behind.
func (p *Portal) upload(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	limit := p.svc.Config().MaxUpload + uploadSlack
	if r.ContentLength > limit {
		p.fail(w, r, service.ErrTooLarge)
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		err = domain.Invalid("file", "files must be sent with the upload form")
		p.uploadRefused(w, r, c, id, err)
		return
	}

	n, err := p.storeParts(mr, c.ID, id)
	if err == nil && n == 0 {
		err = domain.Invalid("file", "choose a file to upload")
	}

	if err != nil && r.Context().Err() != nil {
		// The client cancelled the upload (or went away): nothing failed here.
		p.log.Debug("upload cancelled by the client", "path", logPath(r.URL.Path), "error", err)
		return
	}

	if err != nil {
		p.uploadRefused(w, r, c, id, err)
		return
	}

	http.Redirect(w, r, "/t/"+string(id)+"#files", http.StatusSeeOther)
}

// storeParts hands every file part to the service in turn and returns how many it stored.
func (p *Portal) storeParts(mr *multipart.Reader, clientID, taskID domain.ID) (int, error) {
	stored := 0
	for range maxParts {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return stored, nil
		}

		if err != nil {
			return stored, partError(err)
		}

		name := web.FormFileName(part.FileName())
		if part.FormName() != fileField || name == "" {
			part.Close()
			continue
		}

		_, err = p.svc.ClientUpload(clientID, taskID, service.Upload{Name: name, Body: part})
		part.Close()
		if err != nil {
			return stored, readError(err)
		}

		stored++
	}

	return stored, domain.Invalid("file", "the upload form has too many parts")
}

// partError turns a multipart body that does not parse into a validation error, keeping
// the size limit's error as it is.
func partError(err error) error {
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		return err
	}

	invalid := domain.Invalid("file", "the upload could not be read; please try again")
	return fmt.Errorf("%w: %w", invalid, err)
}

// readError keeps the service's errors as they are, except that a file which broke off
// before its end is a validation error rather than a server failure.
func readError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		invalid := domain.Invalid("file", "the file did not arrive whole; please try again")
		return fmt.Errorf("%w: %w", invalid, err)
	}

	return err
}

// uploadRefused shows the task page again with the reason for a validation error;
// anything else gets its own page.
func (p *Portal) uploadRefused(w http.ResponseWriter, r *http.Request, c client, id domain.ID,
	err error) {
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) {
		p.fail(w, r, err)
		return
	}

	p.showTask(w, r, c, id, http.StatusBadRequest, func(page *taskPage) {
		page.UploadError = userMessage(err)
	})
}
