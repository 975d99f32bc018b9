package portal

import (
	"errors"
	"net/http"

	"portico/internal/domain"
)

// readForm parses a url-encoded form of at most limit bytes. A body over the limit is an
// *http.MaxBytesError (413); anything else unreadable is a validation error (400).
func readForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	err := r.ParseForm()
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		return err
	}

	if err != nil {
		return domain.Invalid("form", "the form could not be read")
	}

	return nil
}
