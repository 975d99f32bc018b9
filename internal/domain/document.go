package domain

import "time"

// Doc is a markdown document in a project, written by staff. Title and Body are the
// content of its newest version, numbered Version; Shared opens it to the project's
// clients, under the same project rules as tasks.
type Doc struct {
	ID        ID        `json:"id"`
	ProjectID ID        `json:"project_id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Shared    bool      `json:"shared"`
	Version   int       `json:"version"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	UpdatedBy Actor     `json:"updated_by"`
}

// DocVersion is a doc's content as one save left it. Versions are numbered from 1 and
// never change afterwards; restoring an old version adds a new one with the same content
// and names the old one in RestoredFrom.
type DocVersion struct {
	DocID        ID        `json:"doc_id"`
	N            int       `json:"n"`
	Title        string    `json:"title"`
	Body         string    `json:"body"`
	Author       Actor     `json:"author"`
	Created      time.Time `json:"created"`
	RestoredFrom int       `json:"restored_from,omitempty"`
}

// MaxDocBody bounds a doc's markdown, in bytes. Every save keeps a whole copy, so the
// bound is also what one save may add to the database.
const MaxDocBody = 200_000
