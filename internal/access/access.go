// Package access is the one access policy for clients. Every client-facing path (portal
// pages, file downloads, live events, emails) asks it what a client may see and do. The
// rules:
//
//   - a project is visible to a client when its portal is on, it is not archived, it lies
//     in a shared workspace, and the client is an enabled, current member;
//   - a milestone is visible when its project is visible and the milestone is shared;
//   - a task is visible when its project is visible, the task is shared, and its
//     milestone, if any, is visible;
//   - a doc is visible when its project is visible and the doc is shared;
//   - a comment is visible when its task (or, for a comment on a doc, its doc) is visible
//     and it is not internal; a file is visible when its task is visible;
//   - a folder file is visible when its project is visible, it is shared, and it was not
//     deleted from the folder.
//
// Each check follows the object's own chain (file → task → milestone → project, comment →
// doc → project), never an ID taken from a URL, and a hidden object fails exactly like a
// missing one: domain.ErrNotFound.
package access

import (
	"fmt"

	"portico/internal/domain"
	"portico/internal/store"
)

func hidden(kind string, id domain.ID) error {
	return fmt.Errorf("%s %s: %w", kind, id, domain.ErrNotFound)
}

// Project returns the project if the client may see it.
func Project(tx *store.Tx, clientID, projectID domain.ID) (domain.Project, error) {
	p, err := tx.Project(projectID)
	if err != nil || !p.PortalOn || p.Archived {
		return domain.Project{}, hidden("project", projectID)
	}
	ws, err := tx.Workspace(p.WorkspaceID)
	if err != nil || ws.Kind != domain.WorkspaceShared {
		return domain.Project{}, hidden("project", projectID)
	}
	if !tx.IsMember(projectID, clientID) {
		return domain.Project{}, hidden("project", projectID)
	}
	c, err := tx.Client(clientID)
	if err != nil || c.Disabled {
		return domain.Project{}, hidden("project", projectID)
	}
	return p, nil
}

// Milestone returns the milestone if the client may see it.
func Milestone(tx *store.Tx, clientID, milestoneID domain.ID) (domain.Milestone, error) {
	m, err := tx.Milestone(milestoneID)
	if err != nil || !m.Shared {
		return domain.Milestone{}, hidden("milestone", milestoneID)
	}
	if _, err := Project(tx, clientID, m.ProjectID); err != nil {
		return domain.Milestone{}, hidden("milestone", milestoneID)
	}
	return m, nil
}

// Task returns the task if the client may see it.
func Task(tx *store.Tx, clientID, taskID domain.ID) (domain.Task, error) {
	t, err := tx.Task(taskID)
	if err != nil || !t.Shared {
		return domain.Task{}, hidden("task", taskID)
	}
	if t.MilestoneID != "" {
		m, err := Milestone(tx, clientID, t.MilestoneID)
		if err != nil || m.ProjectID != t.ProjectID {
			return domain.Task{}, hidden("task", taskID)
		}
		return t, nil
	}
	if _, err := Project(tx, clientID, t.ProjectID); err != nil {
		return domain.Task{}, hidden("task", taskID)
	}
	return t, nil
}

// Doc returns the doc if the client may see it.
func Doc(tx *store.Tx, clientID, docID domain.ID) (domain.Doc, error) {
	d, err := tx.Doc(docID)
	if err != nil || !d.Shared {
		return domain.Doc{}, hidden("doc", docID)
	}
	if _, err := Project(tx, clientID, d.ProjectID); err != nil {
		return domain.Doc{}, hidden("doc", docID)
	}
	return d, nil
}

// Comment returns the comment, on a task or a doc, if the client may see it.
func Comment(tx *store.Tx, clientID, commentID domain.ID) (domain.Comment, error) {
	c, err := tx.Comment(commentID)
	if err != nil || c.Internal {
		return domain.Comment{}, hidden("comment", commentID)
	}
	if c.DocID != "" {
		_, err = Doc(tx, clientID, c.DocID)
	} else {
		_, err = Task(tx, clientID, c.TaskID)
	}
	if err != nil {
		return domain.Comment{}, hidden("comment", commentID)
	}
	return c, nil
}

// File returns the file record if the client may see it.
func File(tx *store.Tx, clientID, fileID domain.ID) (domain.File, error) {
	f, err := tx.File(fileID)
	if err != nil {
		return domain.File{}, hidden("file", fileID)
	}
	if _, err := Task(tx, clientID, f.TaskID); err != nil {
		return domain.File{}, hidden("file", fileID)
	}
	return f, nil
}

// FolderFile returns the folder file if the client may see it.
func FolderFile(tx *store.Tx, clientID, id domain.ID) (domain.FolderFile, error) {
	f, err := tx.FolderFile(id)
	if err != nil || !f.Shared || f.Deleted {
		return domain.FolderFile{}, hidden("folder file", id)
	}
	if _, err := Project(tx, clientID, f.ProjectID); err != nil {
		return domain.FolderFile{}, hidden("folder file", id)
	}
	return f, nil
}

// Assigned returns the task if the client may see it and it is assigned to them, which is
// what completing or reopening it requires. A visible task assigned to someone else is
// domain.ErrForbidden; a hidden one is domain.ErrNotFound.
func Assigned(tx *store.Tx, clientID, taskID domain.ID) (domain.Task, error) {
	t, err := Task(tx, clientID, taskID)
	if err != nil {
		return t, err
	}
	if !t.Assignee.IsClient(clientID) {
		return domain.Task{}, fmt.Errorf("task %s is not assigned to you: %w", taskID, domain.ErrForbidden)
	}
	return t, nil
}
