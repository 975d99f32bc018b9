package service

import (
	"fmt"
	"time"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/mail"
	"portico/internal/store"
)

// issueLink stores a fresh one-time token for who inside tx, replacing earlier links of
// the same purpose, and returns the secret.
func (s *Service) issueLink(tx *store.Tx, purpose domain.TokenPurpose, who domain.Actor,
	ttl time.Duration) (string, error) {
	secret, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	now := tx.Now()
	err = tx.PutToken(hash, domain.Token{Purpose: purpose, User: who, Created: now, Expires: now.Add(ttl)})
	return secret, err
}

// LinkURL builds the address of a one-time link: invites and resets of clients live on
// the portal, those of staff on the staff surface.
func (s *Service) LinkURL(kind domain.ActorKind, purpose domain.TokenPurpose, secret string) string {
	base := s.cfg.PortalURL
	if kind == domain.ActorStaff {
		base = s.cfg.StaffURL
	}
	path := "/invite/"
	if purpose == domain.PurposeReset {
		path = "/reset/"
	}
	if purpose == domain.PurposeSetup {
		path = "/setup/"
	}
	return base + path + secret
}

// CheckLink reports whether a link secret is currently usable for purpose and kind,
// without using it up (GET on a link must not consume it).
func (s *Service) CheckLink(kind domain.ActorKind, purpose domain.TokenPurpose, secret string) (string, error) {
	var email string
	err := s.store.View(func(tx *store.Tx) error {
		t, err := tx.Token(auth.HashToken(secret))
		if err != nil || t.Purpose != purpose || t.User.Kind != kind || !t.Usable(time.Now()) {
			return ErrInvalidLink
		}
		if purpose == domain.PurposeSetup {
			return nil
		}
		var disabled bool
		email, _, disabled, err = tx.User(t.User)
		if err == nil && disabled {
			return ErrInvalidLink
		}
		return err
	})
	if err != nil {
		return "", ErrInvalidLink
	}
	return email, nil
}

// RedeemLink sets a new password through an invite or reset link, uses the link up, ends
// the account's other sessions and opens a new one, returning its secret.
func (s *Service) RedeemLink(kind domain.ActorKind, purpose domain.TokenPurpose,
	secret, password string) (string, domain.Actor, error) {
	if err := auth.ValidatePassword(password); err != nil {
		return "", domain.Actor{}, domain.Invalid("password", "%s", err.Error())
	}
	pwHash, err := auth.HashPassword(password)
	if err != nil {
		return "", domain.Actor{}, err
	}
	hash := auth.HashToken(secret)
	var who domain.Actor
	err = s.store.Update(func(tx *store.Tx) error {
		t, err := tx.Token(hash)
		if err != nil || t.Purpose != purpose || t.User.Kind != kind || !t.Usable(tx.Now()) {
			return ErrInvalidLink
		}
		who = t.User
		if _, _, disabled, err := tx.User(who); err != nil || disabled {
			return ErrInvalidLink
		}
		if err := tx.UseToken(hash); err != nil {
			return err
		}
		if err := tx.SetPassword(who, pwHash); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(who.ID, [32]byte{}); err != nil {
			return err
		}
		if purpose == domain.PurposeInvite && kind == domain.ActorClient {
			_, err = tx.Log(domain.Activity{Actor: who, Action: domain.ActionClientAccepted, ObjectID: who.ID})
		}
		return err
	})
	if err != nil {
		return "", domain.Actor{}, err
	}
	session, err := s.NewSession(who)
	return session, who, err
}

// RequestReset emails a password-reset link if the address belongs to an enabled account
// of that kind. It says nothing about whether it did, and answers before looking, so
// neither its answer nor its timing can be used to probe for accounts.
func (s *Service) RequestReset(kind domain.ActorKind, email string) error {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		return err
	}
	s.background.Go(func() { s.sendReset(kind, email) })
	return nil
}

func (s *Service) sendReset(kind domain.ActorKind, email string) {
	var secret string
	err := s.store.Update(func(tx *store.Tx) error {
		who, _, disabled, err := credentials(tx, kind, email)
		if err != nil || disabled {
			return domain.ErrNotFound
		}
		secret, err = s.issueLink(tx, domain.PurposeReset, who, time.Hour)
		return err
	})
	if err != nil {
		return
	}
	if s.mailer == nil {
		s.logger.Warn("password reset requested but no mail server is configured")
		return
	}
	link := s.LinkURL(kind, domain.PurposeReset, secret)
	s.mailer.Enqueue(mail.PasswordReset(email, link, s.cfg.AgencyName, time.Now().Add(time.Hour)))
}

func notFoundf(kind string, id domain.ID) error {
	return fmt.Errorf("%s %s: %w", kind, id, domain.ErrNotFound)
}
