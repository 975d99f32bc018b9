package store

import "portico/internal/domain"

// Workspace returns the workspace with id.
func (tx *Tx) Workspace(id domain.ID) (domain.Workspace, error) {
	return get[domain.Workspace](tx, bucketWorkspaces, []byte(id))
}

// Workspaces returns every workspace, oldest first.
func (tx *Tx) Workspaces() ([]domain.Workspace, error) {
	return all[domain.Workspace](tx, bucketWorkspaces)
}

// PutWorkspace creates or replaces a workspace.
func (tx *Tx) PutWorkspace(w domain.Workspace) error {
	return put(tx, bucketWorkspaces, []byte(w.ID), w)
}

// Project returns the project with id.
func (tx *Tx) Project(id domain.ID) (domain.Project, error) {
	return get[domain.Project](tx, bucketProjects, []byte(id))
}

// Projects returns every project, archived ones included, oldest first.
func (tx *Tx) Projects() ([]domain.Project, error) {
	return all[domain.Project](tx, bucketProjects)
}

// PutProject creates or replaces a project.
func (tx *Tx) PutProject(p domain.Project) error {
	return put(tx, bucketProjects, []byte(p.ID), p)
}

// Milestone returns the milestone with id.
func (tx *Tx) Milestone(id domain.ID) (domain.Milestone, error) {
	return get[domain.Milestone](tx, bucketMilestones, []byte(id))
}

// Milestones returns a project's milestones in creation order.
func (tx *Tx) Milestones(projectID domain.ID) ([]domain.Milestone, error) {
	return listed[domain.Milestone](tx, bucketMilestonesByProj, bucketMilestones, projectID)
}

// PutMilestone creates or replaces a milestone.
func (tx *Tx) PutMilestone(m domain.Milestone) error {
	if err := tx.tx.Bucket(bucketMilestonesByProj).Put(pair(m.ProjectID, m.ID), nil); err != nil {
		return err
	}
	return put(tx, bucketMilestones, []byte(m.ID), m)
}

// DeleteMilestone removes a milestone record; its tasks are the caller's business.
func (tx *Tx) DeleteMilestone(m domain.Milestone) error {
	if err := del(tx, bucketMilestonesByProj, pair(m.ProjectID, m.ID)); err != nil {
		return err
	}
	return del(tx, bucketMilestones, []byte(m.ID))
}
