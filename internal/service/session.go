package service

import (
	"errors"
	"fmt"
	"time"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/store"
)

// ErrBadCredentials is returned for a wrong email or password, without saying which.
var ErrBadCredentials = errors.New("wrong email or password")

// ErrRateLimited is returned when an account made too many password attempts too fast.
var ErrRateLimited = errors.New("too many attempts; wait a little and try again")

// ErrInvalidLink is returned for an unknown, used, replaced or expired link: all four look
// the same to the person holding it.
var ErrInvalidLink = errors.New("invalid or expired link")

// SignIn checks a password and opens a session, returning its secret.
func (s *Service) SignIn(kind domain.ActorKind, email, password string) (string, domain.Actor, error) {
	email, err := domain.NormalizeEmail(email)
	if err != nil {
		auth.DummyCheck()
		return "", domain.Actor{}, ErrBadCredentials
	}
	var who domain.Actor
	var hash string
	err = s.store.View(func(tx *store.Tx) error {
		var disabled bool
		who, hash, disabled, err = credentials(tx, kind, email)
		if err == nil && disabled {
			err = domain.ErrForbidden
		}
		return err
	})
	if err != nil || hash == "" {
		auth.DummyCheck()
		return "", domain.Actor{}, ErrBadCredentials
	}
	if !auth.CheckPassword(hash, password) {
		return "", domain.Actor{}, ErrBadCredentials
	}
	secret, err := s.NewSession(who)
	return secret, who, err
}

func credentials(tx *store.Tx, kind domain.ActorKind, email string) (domain.Actor, string, bool, error) {
	if kind == domain.ActorStaff {
		st, err := tx.StaffByEmail(email)
		return staffActor(st.ID), st.PasswordHash, st.Disabled, err
	}
	c, err := tx.ClientByEmail(email)
	return clientActor(c.ID), c.PasswordHash, c.Disabled, err
}

// NewSession opens a session for who and returns its secret.
func (s *Service) NewSession(who domain.Actor) (string, error) {
	secret, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		now := tx.Now()
		return tx.PutSession(hash, domain.Session{
			User: who, Created: now, LastSeen: now, Expires: now.Add(s.cfg.SessionTTL),
		})
	})
	if err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	return secret, nil
}

// Authenticate returns who holds a session secret, refusing expired sessions and disabled
// accounts. It extends a session at most once an hour, so most requests do not write.
func (s *Service) Authenticate(kind domain.ActorKind, secret string) (domain.Actor, error) {
	hash := auth.HashToken(secret)
	var sess domain.Session
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		sess, err = tx.Session(hash)
		if err != nil {
			return err
		}
		_, _, disabled, err := tx.User(sess.User)
		if err == nil && disabled {
			err = domain.ErrForbidden
		}
		return err
	})
	now := time.Now()
	if err != nil || sess.User.Kind != kind || now.After(sess.Expires) {
		return domain.Actor{}, fmt.Errorf("session: %w", domain.ErrNotFound)
	}
	if now.Sub(sess.LastSeen) > time.Hour {
		err = s.store.Update(func(tx *store.Tx) error {
			sess.LastSeen = tx.Now()
			sess.Expires = sess.LastSeen.Add(s.cfg.SessionTTL)
			return tx.PutSession(hash, sess)
		})
		if err != nil {
			s.logger.Warn("extend session", "error", err)
		}
	}
	return sess.User, nil
}

// SignOut ends the session with this secret.
func (s *Service) SignOut(secret string) error {
	return s.store.Update(func(tx *store.Tx) error {
		return tx.DeleteSession(auth.HashToken(secret))
	})
}

// SignOutOthers ends every session of the holder of secret except that one.
func (s *Service) SignOutOthers(who domain.Actor, secret string) (int, error) {
	var n int
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		n, err = tx.DeleteUserSessions(who.ID, auth.HashToken(secret))
		return err
	})
	return n, err
}

// ChangePassword replaces the password of who after checking the current one, and ends
// their other sessions.
func (s *Service) ChangePassword(who domain.Actor, secret, current, next string) error {
	if err := auth.ValidatePassword(next); err != nil {
		return domain.Invalid("new_password", "%s", err.Error())
	}
	var hash string
	err := s.store.View(func(tx *store.Tx) error {
		email, _, _, err := tx.User(who)
		if err != nil {
			return err
		}
		_, hash, _, err = credentials(tx, who.Kind, email)
		return err
	})
	if err != nil {
		return err
	}
	if !s.passwordTries.Allow(string(who.ID)) {
		return ErrRateLimited
	}
	if !auth.CheckPassword(hash, current) {
		return domain.Invalid("current_password", "is not your current password")
	}
	return s.replacePassword(who, secret, next)
}

// SetOwnPassword replaces the password of who without asking for the current one, and ends
// their sessions other than secret. It exists for the desktop shell, whose local owner was
// made with a random password that no one knows: the shell calls it in-process for the
// owner it is signed in as. No HTTP route leads here, because over the network the current
// password, or a reset link, is what proves that the caller is who they claim.
func (s *Service) SetOwnPassword(who domain.Actor, secret, next string) error {
	if err := auth.ValidatePassword(next); err != nil {
		return domain.Invalid("new_password", "%s", err.Error())
	}
	return s.replacePassword(who, secret, next)
}

// replacePassword stores a new password for who and ends their sessions other than secret.
func (s *Service) replacePassword(who domain.Actor, secret, next string) error {
	newHash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	return s.store.Update(func(tx *store.Tx) error {
		if err := tx.SetPassword(who, newHash); err != nil {
			return err
		}
		_, err := tx.DeleteUserSessions(who.ID, auth.HashToken(secret))
		return err
	})
}
