package service

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"portico/internal/domain"
	"portico/internal/store"
)

// TaskInput describes a task to create or change; nil fields stay as they are (on
// creation, Shared defaults to the project's auto-share toggle and Status to todo).
// BaseDescriptionHash, when set with a new Description, is the DescriptionHash of the text
// the editor started from: if someone else saved another description since, the change is
// refused with ErrConflict instead of overwriting their text.
type TaskInput struct {
	MilestoneID *domain.ID     `json:"milestone_id"`
	Title       *string        `json:"title"`
	Description *string        `json:"description"`
	Status      *domain.Status `json:"status"`
	Due         *string        `json:"due"`
	Assignee    *domain.Actor  `json:"assignee"`
	Shared      *bool          `json:"shared"`
	Order       *int64         `json:"order"`

	BaseDescriptionHash *string `json:"base_description_hash"`
}

// CreateTask adds a task to a project.
func (s *Service) CreateTask(byID, projectID domain.ID, in TaskInput) (domain.Task, error) {
	var t domain.Task
	err := s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if in.Title == nil {
			return domain.Invalid("title", "is required")
		}
		if in.BaseDescriptionHash != nil {
			return domain.Invalid("base_description_hash", "is for changing a task's description")
		}
		now := tx.Now()
		t = domain.Task{ID: domain.NewID(), ProjectID: p.ID, Status: domain.StatusTodo,
			Shared: p.AutoShare, Order: now.UnixMilli(), Created: now, Updated: now}
		if err := applyTask(tx, &t, in); err != nil {
			return err
		}
		if err := tx.PutTask(t); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionTaskCreated, p.ID, t.ID, t.ID)
	})
	return t, err
}

// UpdateTask changes a task. A new description with a BaseDescriptionHash that no longer
// names the stored description is refused with ErrConflict (see checkDescriptionBase).
func (s *Service) UpdateTask(byID, taskID domain.ID, in TaskInput) (domain.Task, error) {
	var t domain.Task
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if t, _, err = StaffTask(tx, byID, taskID); err != nil {
			return err
		}
		before := t
		if err := applyTask(tx, &t, in); err != nil {
			return err
		}
		if err := checkDescriptionBase(before.Description, t.Description, in); err != nil {
			return err
		}
		action := domain.ActionTaskUpdated
		if t.Status != before.Status {
			action = statusChange(tx, &t, staffActor(byID))
		}
		t.Updated = tx.Now()
		if err := tx.PutTask(t); err != nil {
			return err
		}
		return s.log(tx, byID, action, t.ProjectID, t.ID, t.ID)
	})
	return t, err
}

// DescriptionHash names a version of a task's description: the SHA-256 of its text, in
// hex. Editors send back the one they started from (TaskInput.BaseDescriptionHash), so
// tasks need no stored version number for their descriptions.
func DescriptionHash(description string) string {
	sum := sha256.Sum256([]byte(description))
	return hex.EncodeToString(sum[:])
}

// checkDescriptionBase refuses a new description made from an older text than the stored
// one (stored), unless it is the same text as stored already: then nobody's work is lost.
func checkDescriptionBase(stored, changed string, in TaskInput) error {
	if in.BaseDescriptionHash == nil {
		return nil
	}
	base := strings.ToLower(*in.BaseDescriptionHash)
	if in.Description == nil {
		return domain.Invalid("base_description_hash", "must come with a new description")
	}
	if raw, err := hex.DecodeString(base); err != nil || len(raw) != sha256.Size {
		return domain.Invalid("base_description_hash", "must be the task's description_hash")
	}
	if base == DescriptionHash(stored) || changed == stored {
		return nil
	}
	return fmt.Errorf("someone else saved a new description of this task since you started "+
		"editing; reload the task to see it, then make your change again: %w", domain.ErrConflict)
}

// statusChange stamps a completion or reopening and names its action.
func statusChange(tx *store.Tx, t *domain.Task, by domain.Actor) domain.Action {
	if t.Status == domain.StatusDone {
		t.CompletedAt, t.CompletedBy = tx.Now(), by
		return domain.ActionTaskCompleted
	}
	t.CompletedAt, t.CompletedBy = time.Time{}, domain.Actor{}
	return domain.ActionTaskReopened
}

// DeleteTask removes a task with its comments and file records; the activity log keeps
// the fact of the deletion.
func (s *Service) DeleteTask(byID, taskID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		t, _, err := StaffTask(tx, byID, taskID)
		if err != nil {
			return err
		}
		files, err := tx.Files(t.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteTask(t); err != nil {
			return err
		}
		if err := s.log(tx, byID, domain.ActionTaskDeleted, t.ProjectID, t.ID, t.ID); err != nil {
			return err
		}
		return s.dropBlobs(tx, files)
	})
}

func applyTask(tx *store.Tx, t *domain.Task, in TaskInput) error {
	var err error
	if in.Title != nil {
		if t.Title, err = domain.CleanTitle("title", *in.Title, domain.MaxTitle); err != nil {
			return err
		}
	}
	if in.Description != nil {
		if t.Description, err = domain.CleanText("description", *in.Description, domain.MaxDescription); err != nil {
			return err
		}
	}
	if in.Due != nil {
		if t.Due, err = domain.CleanDate("due", *in.Due); err != nil {
			return err
		}
	}
	if in.Status != nil {
		if !domain.ValidStatus(*in.Status) {
			return domain.Invalid("status", "must be todo, doing or done")
		}
		t.Status = *in.Status
	}
	if in.Shared != nil {
		t.Shared = *in.Shared
	}
	if in.Order != nil {
		t.Order = *in.Order
	}
	if in.MilestoneID != nil {
		if err := checkMilestone(tx, t.ProjectID, *in.MilestoneID); err != nil {
			return err
		}
		t.MilestoneID = *in.MilestoneID
	}
	if in.Assignee != nil {
		if err := checkAssignee(tx, t.ProjectID, *in.Assignee); err != nil {
			return err
		}
		t.Assignee = *in.Assignee
	}
	return nil
}

func checkMilestone(tx *store.Tx, projectID, milestoneID domain.ID) error {
	if milestoneID == "" {
		return nil
	}
	m, err := tx.Milestone(milestoneID)
	if err != nil || m.ProjectID != projectID {
		return domain.Invalid("milestone_id", "no such milestone in this project")
	}
	return nil
}

// checkAssignee accepts no one, an enabled staff member, or a client of the project (who
// may be assigned before accepting the invite).
func checkAssignee(tx *store.Tx, projectID domain.ID, a domain.Actor) error {
	switch {
	case a.IsZero() && a.Kind == "":
		return nil
	case a.Kind != domain.ActorStaff && a.Kind != domain.ActorClient:
		return domain.Invalid("assignee", "kind must be staff or client")
	case a.ID == "":
		return domain.Invalid("assignee", "needs an id (send {} to unassign)")
	case a.Kind == domain.ActorStaff:
		if st, err := tx.Staff(a.ID); err == nil && !st.Disabled {
			return nil
		}
	case a.Kind == domain.ActorClient:
		if tx.IsMember(projectID, a.ID) {
			return nil
		}
	}
	return domain.Invalid("assignee", "no such %s in this project", a.Kind)
}
