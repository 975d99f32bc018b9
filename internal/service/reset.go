package service

import (
	"fmt"

	"portico/internal/domain"
	"portico/internal/store"
)

// IssueStaffResetLink makes a one-time password-reset link for a staff member (owners
// only), for an owner to hand over when no mail server can send one. It is valid as long as
// an invite, replaces the member's earlier reset links, and is returned once: the log
// records that it was issued, never the link. The member's password and sessions stay as
// they are until the link is used. An owner's own password changes in their account
// instead, and a member who has not joined needs a new invite, not a reset.
func (s *Service) IssueStaffResetLink(byID, staffID domain.ID) (domain.Staff, string, error) {
	var st domain.Staff
	var secret string
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
		if err := resettable(by, st); err != nil {
			return err
		}
		secret, err = s.issueLink(tx, domain.PurposeReset, staffActor(st.ID), s.cfg.InviteTTL)
		if err != nil {
			return err
		}
		_, err = tx.Log(domain.Activity{Actor: staffActor(by.ID), Action: domain.ActionResetIssued,
			ObjectID: st.ID})
		return err
	})
	if err != nil {
		return domain.Staff{}, "", err
	}
	return st, s.LinkURL(domain.ActorStaff, domain.PurposeReset, secret), nil
}

// resettable refuses a reset link that could not help: for oneself, for a member who has
// not joined, or for a disabled one.
func resettable(by, st domain.Staff) error {
	switch {
	case st.ID == by.ID:
		return fmt.Errorf("change your own password in your account: %w", domain.ErrConflict)
	case st.PasswordHash == "":
		return fmt.Errorf("this staff member has not joined yet; "+
			"send a new invite link instead: %w", domain.ErrConflict)
	case st.Disabled:
		return fmt.Errorf("this staff member is disabled; enable them first: %w",
			domain.ErrConflict)
	}
	return nil
}
