package service

import (
	"fmt"
	"time"

	"portico/internal/domain"
	"portico/internal/mail"
	"portico/internal/store"
)

// SetPortal turns a project's portal on or off. Only projects in shared workspaces may be
// shared. Turning it off keeps the client list, so turning it on again restores access;
// Unshare is the way to remove everyone.
func (s *Service) SetPortal(byID, projectID domain.ID, on bool) (domain.Project, error) {
	var p domain.Project
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if p, err = StaffProject(tx, byID, projectID); err != nil {
			return err
		}
		ws, err := tx.Workspace(p.WorkspaceID)
		if err != nil {
			return err
		}
		if on && ws.Kind != domain.WorkspaceShared {
			return domain.Invalid("portal_on",
				"a project in a personal workspace cannot be shared; move it to a shared workspace first")
		}
		if on && p.Archived {
			return domain.Invalid("portal_on", "an archived project cannot be shared; restore it first")
		}
		if p.PortalOn == on {
			return nil
		}
		p.PortalOn, p.Updated = on, tx.Now()
		if err := tx.PutProject(p); err != nil {
			return err
		}
		action := domain.ActionProjectShared
		if !on {
			action = domain.ActionProjectUnshared
		}
		return s.log(tx, byID, action, p.ID, "", p.ID)
	})
	return p, err
}

// Unshare removes every client from a project and turns its portal off, at once.
func (s *Service) Unshare(byID, projectID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		members, err := tx.Members(projectID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if err := tx.DeleteMembership(projectID, m.ClientID); err != nil {
				return err
			}
		}
		p.PortalOn, p.Updated = false, tx.Now()
		if err := tx.PutProject(p); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionProjectUnshared, p.ID, "", p.ID)
	})
}

// ClientInput names a client to add to a project.
type ClientInput struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Invite is the result of adding or re-inviting a client. Link is set only when a new
// link was made (the client has not accepted yet); it is shown to staff once and never
// stored in clear.
type Invite struct {
	Client domain.Client `json:"client"`
	Link   string        `json:"link,omitempty"`
	Mailed bool          `json:"mailed"`
}

// AddClient adds a client (created on first use of the email address) to a project and,
// unless the client already has a password, issues an invite link.
func (s *Service) AddClient(byID, projectID domain.ID, in ClientInput) (Invite, error) {
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return Invite{}, err
	}
	name := in.Name
	if name != "" {
		if name, err = domain.CleanTitle("name", name, domain.MaxName); err != nil {
			return Invite{}, err
		}
	}
	var inv Invite
	var projectName, secret string
	err = s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if ws, err := tx.Workspace(p.WorkspaceID); err != nil || ws.Kind != domain.WorkspaceShared {
			return domain.Invalid("email", "clients can only be added to projects in a shared "+
				"workspace; move the project to a shared workspace first")
		}
		projectName = p.Name
		c, err := findOrCreateClient(tx, email, name)
		if err != nil {
			return err
		}
		inv.Client = c
		if !tx.IsMember(p.ID, c.ID) {
			m := domain.Membership{ProjectID: p.ID, ClientID: c.ID, Added: tx.Now()}
			if err := tx.PutMembership(m); err != nil {
				return err
			}
			if err := s.log(tx, byID, domain.ActionClientAdded, p.ID, "", c.ID); err != nil {
				return err
			}
		}
		if c.PasswordHash != "" {
			return nil
		}
		secret, err = s.issueLink(tx, domain.PurposeInvite, clientActor(c.ID), s.cfg.InviteTTL)
		if err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionInviteIssued, p.ID, "", c.ID)
	})
	if err != nil || secret == "" {
		return inv, err
	}
	return s.sendInvite(inv, projectName, secret), nil
}

func findOrCreateClient(tx *store.Tx, email, name string) (domain.Client, error) {
	c, err := tx.ClientByEmail(email)
	if err == nil {
		return c, nil
	}
	c = domain.Client{ID: domain.NewID(), Email: email, Name: name, Created: tx.Now()}
	return c, tx.PutClient(c)
}

func (s *Service) sendInvite(inv Invite, projectName, secret string) Invite {
	inv.Link = s.LinkURL(domain.ActorClient, domain.PurposeInvite, secret)
	if s.mailer != nil {
		expires := time.Now().Add(s.cfg.InviteTTL)
		s.mailer.Enqueue(mail.Invite(inv.Client.Email, inv.Link, s.cfg.AgencyName, projectName, expires))
		inv.Mailed = true
	}
	return inv
}

// ReissueInvite makes a new invite link for a client of the project who has not accepted
// yet, killing the old link.
func (s *Service) ReissueInvite(byID, projectID, clientID domain.ID) (Invite, error) {
	var inv Invite
	var projectName, secret string
	err := s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if !tx.IsMember(p.ID, clientID) {
			return notFoundf("client", clientID)
		}
		if inv.Client, err = tx.Client(clientID); err != nil {
			return err
		}
		if inv.Client.Disabled {
			return fmt.Errorf("this client account is disabled; enable it first: %w", domain.ErrConflict)
		}
		if inv.Client.PasswordHash != "" {
			return fmt.Errorf("this client has already accepted; they can reset their password: %w",
				domain.ErrConflict)
		}
		projectName = p.Name
		if secret, err = s.issueLink(tx, domain.PurposeInvite, clientActor(clientID), s.cfg.InviteTTL); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionInviteIssued, p.ID, "", clientID)
	})
	if err != nil {
		return inv, err
	}
	return s.sendInvite(inv, projectName, secret), nil
}

// RemoveClient takes one client off a project.
func (s *Service) RemoveClient(byID, projectID, clientID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if !tx.IsMember(p.ID, clientID) {
			return notFoundf("client", clientID)
		}
		if err := tx.DeleteMembership(p.ID, clientID); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionClientRemoved, p.ID, "", clientID)
	})
}

// SetClientDisabled disables or re-enables a client account. Disabling ends every session
// of the client at once.
func (s *Service) SetClientDisabled(byID, clientID domain.ID, disabled bool) (domain.Client, error) {
	var c domain.Client
	err := s.store.Update(func(tx *store.Tx) error {
		if _, err := s.actingStaff(tx, byID); err != nil {
			return err
		}
		var err error
		if c, err = tx.Client(clientID); err != nil {
			return err
		}
		c.Disabled = disabled
		if err := tx.PutClient(c); err != nil {
			return err
		}
		action := domain.ActionClientEnabled
		if disabled {
			action = domain.ActionClientDisabled
			if _, err := tx.DeleteUserSessions(c.ID, [32]byte{}); err != nil {
				return err
			}
		}
		return s.log(tx, byID, action, "", "", c.ID)
	})
	return c, err
}
