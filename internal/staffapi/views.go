package staffapi

import (
	"time"

	"portico/internal/domain"
	"portico/internal/service"
)

// The records below are what the API returns. People are copied field by field into
// explicit structs, so a password hash can never reach a response.

// staffView is a staff member as the API shows them.
type staffView struct {
	ID       domain.ID   `json:"id"`
	Email    string      `json:"email"`
	Name     string      `json:"name"`
	Role     domain.Role `json:"role"`
	Disabled bool        `json:"disabled"`
	// Status is "pending" until the member has set a password, then "active".
	Status  string    `json:"status"`
	Created time.Time `json:"created"`
}

func viewStaff(s domain.Staff) staffView {
	status := "active"
	if s.PasswordHash == "" {
		status = "pending"
	}
	return staffView{ID: s.ID, Email: s.Email, Name: s.Name, Role: s.Role, Disabled: s.Disabled,
		Status: status, Created: s.Created}
}

// clientView is a client account as the API shows it.
type clientView struct {
	ID       domain.ID `json:"id"`
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Disabled bool      `json:"disabled"`
	// Status is "pending" until the client accepts an invite, then "accepted".
	Status   string    `json:"status"`
	Created  time.Time `json:"created"`
	Accepted time.Time `json:"accepted,omitzero"`
}

func viewClient(c domain.Client) clientView {
	status := "accepted"
	if c.Accepted.IsZero() && c.PasswordHash == "" {
		status = "pending"
	}
	return clientView{ID: c.ID, Email: c.Email, Name: c.Name, Disabled: c.Disabled,
		Status: status, Created: c.Created, Accepted: c.Accepted}
}

// memberView is a client's membership of one project.
type memberView struct {
	clientView
	Added time.Time `json:"added"`
}

// inviteView answers adding or re-inviting a client. Link is present only when a new link
// was made; it is shown this once and stored nowhere in clear.
type inviteView struct {
	Client clientView `json:"client"`
	Link   string     `json:"link,omitempty"`
	Mailed bool       `json:"mailed"`
}

// progress counts a set of tasks and how many are done.
type progress struct {
	Tasks int `json:"tasks"`
	Done  int `json:"done"`
}

func (p *progress) add(t domain.Task) {
	p.Tasks++
	if t.Status == domain.StatusDone {
		p.Done++
	}
}

// projectView is a project with the progress over all its tasks.
type projectView struct {
	domain.Project
	// DescriptionHTML is the description as the portal renders it: sanitized HTML.
	DescriptionHTML string   `json:"description_html"`
	Progress        progress `json:"progress"`
	// Folder is the state of the linked folder, so a project page can flag an offline
	// one without reading the folder.
	Folder service.FolderStatus `json:"folder"`
}

// taskView is a task with its description rendered as the portal renders it. The staff UI
// shows this HTML rather than parsing markdown itself, so staff see what clients see.
// DescriptionHash names the description's version, for base_description_hash.
type taskView struct {
	domain.Task
	DescriptionHTML string `json:"description_html"`
	DescriptionHash string `json:"description_hash"`
}

func viewTask(t domain.Task) taskView {
	return taskView{Task: t, DescriptionHTML: renderMarkdown(t.Description),
		DescriptionHash: service.DescriptionHash(t.Description)}
}

// commentView is a comment with its body rendered as the portal renders it.
type commentView struct {
	domain.Comment
	BodyHTML string `json:"body_html"`
}

func viewComments(cs []domain.Comment) []commentView {
	out := make([]commentView, 0, len(cs))
	for _, c := range cs {
		out = append(out, viewComment(c))
	}
	return out
}

func viewComment(c domain.Comment) commentView {
	return commentView{Comment: c, BodyHTML: renderMarkdown(c.Body)}
}

// milestoneView is a milestone with the progress over its tasks.
type milestoneView struct {
	domain.Milestone
	Progress progress `json:"progress"`
}

// fileView is a file record with the address of its contents.
type fileView struct {
	domain.File
	ContentURL string `json:"content_url"`
}

func viewFile(f domain.File) fileView {
	return fileView{File: f, ContentURL: "/api/v1/files/" + string(f.ID) + "/content"}
}

// list wraps a slice so that an empty list is [] rather than null.
func list[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
