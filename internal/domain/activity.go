package domain

import "time"

// Action names what an activity entry records.
type Action string

// Actions written to the activity log.
const (
	ActionProjectCreated   Action = "project.created"
	ActionProjectUpdated   Action = "project.updated"
	ActionProjectArchived  Action = "project.archived"
	ActionProjectRestored  Action = "project.restored"
	ActionProjectShared    Action = "project.shared"
	ActionProjectUnshared  Action = "project.unshared"
	ActionMilestoneCreated Action = "milestone.created"
	ActionMilestoneUpdated Action = "milestone.updated"
	ActionMilestoneDeleted Action = "milestone.deleted"
	ActionTaskCreated      Action = "task.created"
	ActionTaskUpdated      Action = "task.updated"
	ActionTaskCompleted    Action = "task.completed"
	ActionTaskReopened     Action = "task.reopened"
	ActionTaskDeleted      Action = "task.deleted"
	ActionCommentAdded     Action = "comment.added"
	ActionCommentDeleted   Action = "comment.deleted"
	ActionDocCreated       Action = "doc.created"
	ActionDocUpdated       Action = "doc.updated"
	ActionDocRestored      Action = "doc.restored"
	ActionDocShared        Action = "doc.shared"
	ActionDocUnshared      Action = "doc.unshared"
	ActionDocDeleted       Action = "doc.deleted"
	ActionFileUploaded     Action = "file.uploaded"
	ActionFileDeleted      Action = "file.deleted"
	ActionClientAdded      Action = "client.added"
	ActionClientRemoved    Action = "client.removed"
	ActionClientDisabled   Action = "client.disabled"
	ActionClientEnabled    Action = "client.enabled"
	ActionClientAccepted   Action = "client.accepted"
	ActionInviteIssued     Action = "invite.issued"
	ActionResetIssued      Action = "reset.issued"
	ActionStaffAdded       Action = "staff.added"
	ActionStaffUpdated     Action = "staff.updated"
	ActionWorkspaceCreated Action = "workspace.created"
)

// Activity is one entry of the append-only, hash-chained activity log. Hash covers every
// other field, PrevHash included, so changing or removing an old entry breaks the chain.
// Entries name objects by ID and never copy content, so a deleted comment leaves only the
// fact of its deletion. DocID names the doc of doc entries and of comments on a doc; it is
// left out of the hash's input when empty, so entries written before docs existed keep
// their hashes.
type Activity struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Actor     Actor     `json:"actor"`
	Action    Action    `json:"action"`
	ProjectID ID        `json:"project_id,omitempty"`
	TaskID    ID        `json:"task_id,omitempty"`
	DocID     ID        `json:"doc_id,omitempty"`
	ObjectID  ID        `json:"object_id,omitempty"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}
