package domain

import "time"

// FolderFile is a file of a project's linked folder, as Portico last imported it. Rel is
// its path inside the folder, slash-separated and in Unicode NFC; ModTime keeps the file's
// modification time at full precision, so a restart can tell unchanged files apart.
// Shared opens it to the project's clients; it starts off. A file deleted from the folder
// keeps its record with Deleted set, so the activity log still names something, and is
// never listed again; if the same path reappears, it is a new record.
type FolderFile struct {
	ID          ID        `json:"id"`
	ProjectID   ID        `json:"project_id"`
	Rel         string    `json:"rel"`
	Size        int64     `json:"size"`
	ModTime     time.Time `json:"mod_time"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	Shared      bool      `json:"shared"`
	Deleted     bool      `json:"deleted,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

// Actions on folder files; their ObjectID is the folder file's ID.
const (
	ActionFolderFileAdded    Action = "folder.file.added"
	ActionFolderFileUpdated  Action = "folder.file.updated"
	ActionFolderFileRemoved  Action = "folder.file.removed"
	ActionFolderFileShared   Action = "folder.file.shared"
	ActionFolderFileUnshared Action = "folder.file.unshared"
)

// Actions on a project's folder link; their ObjectID is the project's ID. The entry never
// names the folder's path: the log names objects by ID.
const (
	ActionFolderLinked   Action = "folder.linked"
	ActionFolderUnlinked Action = "folder.unlinked"
)
