package service

import (
	"fmt"
	"time"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/mail"
	"portico/internal/store"
)

const settingSetupDone = "setup_done"

// NeedsSetup reports whether no owner exists yet.
func (s *Service) NeedsSetup() bool {
	done := false
	_ = s.store.View(func(tx *store.Tx) error {
		done = tx.Setting(settingSetupDone) != ""
		return nil
	})
	return !done
}

// IssueSetupLink returns a one-time owner setup link while no owner exists. Each call
// replaces the previous link.
func (s *Service) IssueSetupLink() (string, error) {
	var secret string
	err := s.store.Update(func(tx *store.Tx) error {
		if tx.Setting(settingSetupDone) != "" {
			return fmt.Errorf("an owner already exists: %w", domain.ErrConflict)
		}
		var err error
		setup := domain.Actor{Kind: domain.ActorStaff, ID: "setup"}
		secret, err = s.issueLink(tx, domain.PurposeSetup, setup, 30*24*time.Hour)
		return err
	})
	if err != nil {
		return "", err
	}
	return s.LinkURL(domain.ActorStaff, domain.PurposeSetup, secret), nil
}

// SetupOwner creates the first owner through the setup link, with a personal workspace and
// a shared team workspace, and returns a session secret.
func (s *Service) SetupOwner(secret, email, name, password string) (string, domain.Staff, error) {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return "", domain.Staff{}, err
	}
	if name, err = domain.CleanTitle("name", name, domain.MaxName); err != nil {
		return "", domain.Staff{}, err
	}
	if err := auth.ValidatePassword(password); err != nil {
		return "", domain.Staff{}, domain.Invalid("password", "%s", err.Error())
	}
	pwHash, err := auth.HashPassword(password)
	if err != nil {
		return "", domain.Staff{}, err
	}
	var owner domain.Staff
	err = s.store.Update(func(tx *store.Tx) error {
		hash := auth.HashToken(secret)
		t, err := tx.Token(hash)
		if err != nil || t.Purpose != domain.PurposeSetup || !t.Usable(tx.Now()) ||
			tx.Setting(settingSetupDone) != "" {
			return ErrInvalidLink
		}
		if err := tx.UseToken(hash); err != nil {
			return err
		}
		owner, err = s.createStaff(tx, domain.Actor{Kind: domain.ActorSystem}, email, name, domain.RoleOwner)
		if err != nil {
			return err
		}
		owner.PasswordHash = pwHash
		if err := tx.PutStaff(owner); err != nil {
			return err
		}
		if _, err := s.createWorkspace(tx, staffActor(owner.ID), "Team", domain.WorkspaceShared, ""); err != nil {
			return err
		}
		return tx.PutSetting(settingSetupDone, tx.Now().Format(time.RFC3339))
	})
	if err != nil {
		return "", domain.Staff{}, err
	}
	session, err := s.NewSession(staffActor(owner.ID))
	return session, owner, err
}

// createStaff adds a staff member with a personal workspace.
func (s *Service) createStaff(tx *store.Tx, by domain.Actor, email, name string,
	role domain.Role) (domain.Staff, error) {
	if _, err := tx.StaffByEmail(email); err == nil {
		return domain.Staff{}, fmt.Errorf("a staff member with email %s exists: %w", email, domain.ErrConflict)
	}
	st := domain.Staff{ID: domain.NewID(), Email: email, Name: name, Role: role, Created: tx.Now()}
	if err := tx.PutStaff(st); err != nil {
		return domain.Staff{}, err
	}
	if _, err := s.createWorkspace(tx, staffActor(st.ID), name, domain.WorkspacePersonal, st.ID); err != nil {
		return domain.Staff{}, err
	}
	_, err := tx.Log(domain.Activity{Actor: by, Action: domain.ActionStaffAdded, ObjectID: st.ID})
	return st, err
}

// StaffInput describes a staff member to add.
type StaffInput struct {
	Email string      `json:"email"`
	Name  string      `json:"name"`
	Role  domain.Role `json:"role"`
}

// InviteStaff adds a staff member (owners only) and returns the invite link, which is also
// emailed when mail is configured.
func (s *Service) InviteStaff(byID domain.ID, in StaffInput) (domain.Staff, string, error) {
	email, err := domain.NormalizeEmail(in.Email)
	if err != nil {
		return domain.Staff{}, "", err
	}
	name, err := domain.CleanTitle("name", in.Name, domain.MaxName)
	if err != nil {
		return domain.Staff{}, "", err
	}
	if in.Role == "" {
		in.Role = domain.RoleMember
	}
	if !domain.ValidRole(in.Role) {
		return domain.Staff{}, "", domain.Invalid("role", "must be owner or member")
	}
	var st domain.Staff
	var secret string
	err = s.store.Update(func(tx *store.Tx) error {
		by, err := s.actingStaff(tx, byID)
		if err != nil {
			return err
		}
		if err := requireOwner(by); err != nil {
			return err
		}
		if st, err = s.createStaff(tx, staffActor(by.ID), email, name, in.Role); err != nil {
			return err
		}
		secret, err = s.issueLink(tx, domain.PurposeInvite, staffActor(st.ID), s.cfg.InviteTTL)
		return err
	})
	if err != nil {
		return domain.Staff{}, "", err
	}
	link := s.LinkURL(domain.ActorStaff, domain.PurposeInvite, secret)
	if s.mailer != nil {
		s.mailer.Enqueue(mail.StaffInvite(email, link, s.cfg.AgencyName, time.Now().Add(s.cfg.InviteTTL)))
	}
	return st, link, nil
}

// StaffUpdate changes a staff member; nil fields stay as they are.
type StaffUpdate struct {
	Name     *string      `json:"name"`
	Role     *domain.Role `json:"role"`
	Disabled *bool        `json:"disabled"`
}

// UpdateStaff changes a staff member (owners only). The last enabled owner cannot be
// demoted or disabled. Disabling ends the member's sessions.
func (s *Service) UpdateStaff(byID, staffID domain.ID, in StaffUpdate) (domain.Staff, error) {
	var st domain.Staff
	err := s.store.Update(func(tx *store.Tx) error {
		by, err := s.actingStaff(tx, byID)
		if err != nil {
			return err
		}
		if err := requireOwner(by); err != nil {
			return err
		}
		if st, err = tx.Staff(staffID); err != nil {
			return err
		}
		if err := applyStaffUpdate(&st, in); err != nil {
			return err
		}
		if err := checkOwnersRemain(tx, st); err != nil {
			return err
		}
		if err := tx.PutStaff(st); err != nil {
			return err
		}
		if st.Disabled {
			if _, err := tx.DeleteUserSessions(st.ID, [32]byte{}); err != nil {
				return err
			}
		}
		_, err = tx.Log(domain.Activity{Actor: staffActor(by.ID), Action: domain.ActionStaffUpdated, ObjectID: st.ID})
		return err
	})
	return st, err
}

func applyStaffUpdate(st *domain.Staff, in StaffUpdate) error {
	if in.Name != nil {
		name, err := domain.CleanTitle("name", *in.Name, domain.MaxName)
		if err != nil {
			return err
		}
		st.Name = name
	}
	if in.Role != nil {
		if !domain.ValidRole(*in.Role) {
			return domain.Invalid("role", "must be owner or member")
		}
		st.Role = *in.Role
	}
	if in.Disabled != nil {
		st.Disabled = *in.Disabled
	}
	return nil
}

func checkOwnersRemain(tx *store.Tx, changed domain.Staff) error {
	staff, err := tx.AllStaff()
	if err != nil {
		return err
	}
	for _, other := range staff {
		if other.ID == changed.ID {
			other = changed
		}
		if other.Role == domain.RoleOwner && !other.Disabled {
			return nil
		}
	}
	return domain.Invalid("role", "Portico needs at least one enabled owner")
}
