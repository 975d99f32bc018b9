package service

import (
	"portico/internal/domain"
	"portico/internal/store"
)

func (s *Service) createWorkspace(tx *store.Tx, by domain.Actor, name string,
	kind domain.WorkspaceKind, owner domain.ID) (domain.Workspace, error) {
	ws := domain.Workspace{ID: domain.NewID(), Name: name, Kind: kind, OwnerID: owner, Created: tx.Now()}
	if err := tx.PutWorkspace(ws); err != nil {
		return ws, err
	}
	_, err := tx.Log(domain.Activity{Actor: by, Action: domain.ActionWorkspaceCreated, ObjectID: ws.ID})
	return ws, err
}

// CreateWorkspace adds a shared workspace.
func (s *Service) CreateWorkspace(byID domain.ID, name string) (domain.Workspace, error) {
	name, err := domain.CleanTitle("name", name, domain.MaxName)
	if err != nil {
		return domain.Workspace{}, err
	}
	var ws domain.Workspace
	err = s.store.Update(func(tx *store.Tx) error {
		if _, err := s.actingStaff(tx, byID); err != nil {
			return err
		}
		ws, err = s.createWorkspace(tx, staffActor(byID), name, domain.WorkspaceShared, "")
		return err
	})
	return ws, err
}

// ProjectInput describes a new project.
type ProjectInput struct {
	WorkspaceID domain.ID `json:"workspace_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	AutoShare   bool      `json:"auto_share"`
}

// CreateProject adds a project to a workspace the staff member may use.
func (s *Service) CreateProject(byID domain.ID, in ProjectInput) (domain.Project, error) {
	name, err := domain.CleanTitle("name", in.Name, domain.MaxTitle)
	if err != nil {
		return domain.Project{}, err
	}
	desc, err := domain.CleanText("description", in.Description, domain.MaxDescription)
	if err != nil {
		return domain.Project{}, err
	}
	var p domain.Project
	err = s.store.Update(func(tx *store.Tx) error {
		by, err := s.actingStaff(tx, byID)
		if err != nil {
			return err
		}
		ws, err := tx.Workspace(in.WorkspaceID)
		if err != nil || !CanUseWorkspace(by, ws) {
			return domain.Invalid("workspace_id", "no such workspace")
		}
		now := tx.Now()
		p = domain.Project{ID: domain.NewID(), WorkspaceID: ws.ID, Name: name, Description: desc,
			AutoShare: in.AutoShare, Created: now, Updated: now}
		if err := tx.PutProject(p); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionProjectCreated, p.ID, "", p.ID)
	})
	return p, err
}

// ProjectUpdate changes a project; nil fields stay as they are.
type ProjectUpdate struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	AutoShare   *bool   `json:"auto_share"`
	Archived    *bool   `json:"archived"`
}

// UpdateProject changes a project's name, description, auto-share toggle or archived
// state. Changing auto-share leaves existing milestones and tasks as they are.
func (s *Service) UpdateProject(byID, projectID domain.ID, in ProjectUpdate) (domain.Project, error) {
	var p domain.Project
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if p, err = StaffProject(tx, byID, projectID); err != nil {
			return err
		}
		action := domain.ActionProjectUpdated
		if in.Name != nil {
			if p.Name, err = domain.CleanTitle("name", *in.Name, domain.MaxTitle); err != nil {
				return err
			}
		}
		if in.Description != nil {
			p.Description, err = domain.CleanText("description", *in.Description, domain.MaxDescription)
			if err != nil {
				return err
			}
		}
		if in.AutoShare != nil {
			p.AutoShare = *in.AutoShare
		}
		if in.Archived != nil && *in.Archived != p.Archived {
			p.Archived = *in.Archived
			action = domain.ActionProjectRestored
			if p.Archived {
				action = domain.ActionProjectArchived
			}
		}
		p.Updated = tx.Now()
		if err := tx.PutProject(p); err != nil {
			return err
		}
		return s.log(tx, byID, action, p.ID, "", p.ID)
	})
	return p, err
}

// log appends an activity entry by a staff member.
func (s *Service) log(tx *store.Tx, staffID domain.ID, action domain.Action,
	projectID, taskID, objectID domain.ID) error {
	_, err := tx.Log(domain.Activity{Actor: staffActor(staffID), Action: action,
		ProjectID: projectID, TaskID: taskID, ObjectID: objectID})
	return err
}
