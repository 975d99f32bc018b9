package service

import (
	"fmt"

	"portico/internal/domain"
	"portico/internal/store"
)

// Staff rights: an owner may work everywhere; a member may work in shared workspaces and
// in their own personal workspace. A project a staff member may not reach answers
// ErrNotFound, like a missing one.

func (s *Service) actingStaff(tx *store.Tx, staffID domain.ID) (domain.Staff, error) {
	st, err := tx.Staff(staffID)
	if err != nil || st.Disabled {
		return domain.Staff{}, fmt.Errorf("staff %s: %w", staffID, domain.ErrForbidden)
	}
	return st, nil
}

// CanUseWorkspace reports whether a staff member may work in a workspace.
func CanUseWorkspace(st domain.Staff, ws domain.Workspace) bool {
	if ws.Kind == domain.WorkspaceShared {
		return true
	}
	return ws.OwnerID == st.ID
}

func requireOwner(st domain.Staff) error {
	if st.Role != domain.RoleOwner {
		return fmt.Errorf("only an owner may do this: %w", domain.ErrForbidden)
	}
	return nil
}

// StaffProject returns a project the staff member may work in.
func StaffProject(tx *store.Tx, staffID, projectID domain.ID) (domain.Project, error) {
	st, err := tx.Staff(staffID)
	if err != nil || st.Disabled {
		return domain.Project{}, fmt.Errorf("project %s: %w", projectID, domain.ErrNotFound)
	}
	p, err := tx.Project(projectID)
	if err != nil {
		return domain.Project{}, err
	}
	ws, err := tx.Workspace(p.WorkspaceID)
	if err != nil || !CanUseWorkspace(st, ws) {
		return domain.Project{}, fmt.Errorf("project %s: %w", projectID, domain.ErrNotFound)
	}
	return p, nil
}

// StaffTask returns a task in a project the staff member may work in.
func StaffTask(tx *store.Tx, staffID, taskID domain.ID) (domain.Task, domain.Project, error) {
	t, err := tx.Task(taskID)
	if err != nil {
		return domain.Task{}, domain.Project{}, err
	}
	p, err := StaffProject(tx, staffID, t.ProjectID)
	if err != nil {
		return domain.Task{}, domain.Project{}, fmt.Errorf("task %s: %w", taskID, domain.ErrNotFound)
	}
	return t, p, nil
}
