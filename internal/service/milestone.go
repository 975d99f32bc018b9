package service

import (
	"portico/internal/domain"
	"portico/internal/store"
)

// MilestoneInput describes a milestone to create or change; nil fields stay as they are
// (on creation, Shared defaults to the project's auto-share toggle).
type MilestoneInput struct {
	Title  *string `json:"title"`
	Due    *string `json:"due"`
	Shared *bool   `json:"shared"`
	Order  *int64  `json:"order"`
}

// CreateMilestone adds a milestone to a project.
func (s *Service) CreateMilestone(byID, projectID domain.ID, in MilestoneInput) (domain.Milestone, error) {
	var m domain.Milestone
	err := s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if in.Title == nil {
			return domain.Invalid("title", "is required")
		}
		existing, err := tx.Milestones(projectID)
		if err != nil {
			return err
		}
		m = domain.Milestone{ID: domain.NewID(), ProjectID: p.ID, Shared: p.AutoShare,
			Order: int64(len(existing)+1) * 1024, Created: tx.Now()}
		if err := applyMilestone(&m, in); err != nil {
			return err
		}
		if err := tx.PutMilestone(m); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionMilestoneCreated, p.ID, "", m.ID)
	})
	return m, err
}

// UpdateMilestone changes a milestone.
func (s *Service) UpdateMilestone(byID, milestoneID domain.ID, in MilestoneInput) (domain.Milestone, error) {
	var m domain.Milestone
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if m, err = tx.Milestone(milestoneID); err != nil {
			return err
		}
		if _, err := StaffProject(tx, byID, m.ProjectID); err != nil {
			return notFoundf("milestone", milestoneID)
		}
		if err := applyMilestone(&m, in); err != nil {
			return err
		}
		if err := tx.PutMilestone(m); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionMilestoneUpdated, m.ProjectID, "", m.ID)
	})
	return m, err
}

// DeleteMilestone removes a milestone; its tasks stay in the project without a milestone.
// Tasks of a hidden milestone become hidden themselves, so deleting the milestone never
// publishes what it was hiding.
func (s *Service) DeleteMilestone(byID, milestoneID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		m, err := tx.Milestone(milestoneID)
		if err != nil {
			return err
		}
		if _, err := StaffProject(tx, byID, m.ProjectID); err != nil {
			return notFoundf("milestone", milestoneID)
		}
		tasks, err := tx.Tasks(m.ProjectID, false)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if t.MilestoneID == m.ID {
				t.MilestoneID = ""
				t.Shared = t.Shared && m.Shared
				if err := tx.PutTask(t); err != nil {
					return err
				}
			}
		}
		if err := tx.DeleteMilestone(m); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionMilestoneDeleted, m.ProjectID, "", m.ID)
	})
}

func applyMilestone(m *domain.Milestone, in MilestoneInput) error {
	var err error
	if in.Title != nil {
		if m.Title, err = domain.CleanTitle("title", *in.Title, domain.MaxTitle); err != nil {
			return err
		}
	}
	if in.Due != nil {
		if m.Due, err = domain.CleanDate("due", *in.Due); err != nil {
			return err
		}
	}
	if in.Shared != nil {
		m.Shared = *in.Shared
	}
	if in.Order != nil {
		m.Order = *in.Order
	}
	return nil
}
