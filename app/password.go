//go:build desktop

package app

import (
	"errors"

	"portico/internal/domain"
)

// SetOwnerPassword gives the local owner a password, without asking for the current one:
// the desktop made the owner with a random password that no one knows, so there is none
// to ask for. With it, the owner can sign in to the same data folder when it runs as a
// server (`portico serve`). It ends the owner's other sessions, never the window's.
// Only the window reaches this method; the staff API has no route that does the same.
func (a *App) SetOwnerPassword(next string) error {
	if a.setPassword == nil {
		return errors.New("setting a password is not available")
	}
	err := a.setPassword(next)
	var invalid *domain.ValidationError
	if errors.As(err, &invalid) {
		return errors.New(invalid.Message) // "password must be at least …": a sentence for people
	}
	return err
}
