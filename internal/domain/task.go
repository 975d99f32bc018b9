package domain

import "time"

// Status is where a task stands.
type Status string

// Task statuses. Clients move their own tasks between todo and done.
const (
	StatusTodo  Status = "todo"
	StatusDoing Status = "doing"
	StatusDone  Status = "done"
)

// ValidStatus reports whether s is a known status.
func ValidStatus(s Status) bool {
	return s == StatusTodo || s == StatusDoing || s == StatusDone
}

// ActorKind says what kind of account acted or is assigned.
type ActorKind string

// Actor kinds.
const (
	ActorStaff  ActorKind = "staff"
	ActorClient ActorKind = "client"
	ActorSystem ActorKind = "system"
)

// Actor names who did something (or who is assigned a task).
type Actor struct {
	Kind ActorKind `json:"kind"`
	ID   ID        `json:"id"`
}

// IsZero reports whether no actor is set.
func (a Actor) IsZero() bool { return a.ID == "" }

// IsClient reports whether a is the client with the given ID.
func (a Actor) IsClient(id ID) bool { return a.Kind == ActorClient && a.ID == id }

// Task is a piece of work in a project, optionally inside a milestone.
type Task struct {
	ID          ID        `json:"id"`
	ProjectID   ID        `json:"project_id"`
	MilestoneID ID        `json:"milestone_id,omitempty"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Status      Status    `json:"status"`
	Due         string    `json:"due,omitempty"`
	Assignee    Actor     `json:"assignee,omitzero"`
	Shared      bool      `json:"shared"`
	Order       int64     `json:"order"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	CompletedBy Actor     `json:"completed_by,omitzero"`
}

// Comment is a message on a task or, with DocID set and TaskID empty, on a doc. Internal
// comments are for staff only.
type Comment struct {
	ID        ID        `json:"id"`
	TaskID    ID        `json:"task_id"`
	DocID     ID        `json:"doc_id,omitempty"`
	ProjectID ID        `json:"project_id"`
	Author    Actor     `json:"author"`
	Body      string    `json:"body"`
	Internal  bool      `json:"internal"`
	Created   time.Time `json:"created"`
}

// File is an attachment on a task; its contents live in the blob store under SHA256.
type File struct {
	ID          ID        `json:"id"`
	TaskID      ID        `json:"task_id"`
	ProjectID   ID        `json:"project_id"`
	Name        string    `json:"name"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Uploader    Actor     `json:"uploader"`
	Created     time.Time `json:"created"`
}

// Limits on user input.
const (
	MaxTitle       = 300
	MaxDescription = 100_000
	MaxComment     = 20_000
	MaxName        = 200
)
