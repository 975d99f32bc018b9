package service

import (
	"fmt"
	"time"

	"portico/internal/domain"
	"portico/internal/mail"
	"portico/internal/store"
)

// ReissueStaffInvite makes a new invite link for a staff member who has not set a
// password yet (owners only), killing the old link, and returns it. It is the way back
// when an invite link was lost and no mail server can send a reset.
func (s *Service) ReissueStaffInvite(byID, staffID domain.ID) (domain.Staff, string, error) {
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
		if st.PasswordHash != "" {
			return fmt.Errorf("this staff member has already joined; "+
				"they can reset their password: %w", domain.ErrConflict)
		}
		secret, err = s.issueLink(tx, domain.PurposeInvite, staffActor(st.ID), s.cfg.InviteTTL)
		if err != nil {
			return err
		}
		_, err = tx.Log(domain.Activity{Actor: staffActor(by.ID), Action: domain.ActionInviteIssued,
			ObjectID: st.ID})
		return err
	})
	if err != nil {
		return domain.Staff{}, "", err
	}
	link := s.LinkURL(domain.ActorStaff, domain.PurposeInvite, secret)
	if s.mailer != nil {
		expires := time.Now().Add(s.cfg.InviteTTL)
		s.mailer.Enqueue(mail.StaffInvite(st.Email, link, s.cfg.AgencyName, expires))
	}
	return st, link, nil
}
