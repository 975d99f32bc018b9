package domain

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when a record does not exist, or, for clients, when it exists but
// is hidden from them: the two must be indistinguishable.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when the actor may see a record but not change it.
var ErrForbidden = errors.New("forbidden")

// ErrConflict is returned when a change clashes with existing state, such as an email
// address already in use.
var ErrConflict = errors.New("conflict")

// ValidationError says which field of an input is wrong and why, in words a user can act on.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// Invalid returns a *ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}
