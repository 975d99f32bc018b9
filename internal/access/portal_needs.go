package access

import (
	"portico/internal/domain"
	"portico/internal/store"
)

// AuthorName returns the display name a client is shown for the author of a comment or
// file they may see: the staff member's or client's name, never an email address. It is
// "" when the author is gone or has no name, and the caller picks a neutral label. The
// caller must already know the object is visible to the client (Comment, File, ViewTask).
func AuthorName(tx *store.Tx, author domain.Actor) string {
	_, name, _, err := tx.User(author)
	if err != nil {
		return ""
	}
	return name
}
