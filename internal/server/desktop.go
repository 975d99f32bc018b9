package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/user"
	"path"

	"portico/internal/domain"
	"portico/internal/store"
)

// The owner that the desktop app creates in a data folder that has none: named after the
// computer's user account (LocalOwnerName when it has no name), with LocalOwnerEmail. The
// account has no password anyone knows (a random one is set and forgotten, because setup
// requires one): the desktop signs in by opening a session directly, so nobody can sign in
// as this owner over the network.
const (
	LocalOwnerName  = "Local owner"
	LocalOwnerEmail = "owner@localhost"
)

// StaffHandler returns the staff API, the very handler the staff listener serves. The
// desktop app calls it in-process instead of listening.
func (s *Server) StaffHandler() http.Handler { return s.staff.Handler }

// ListenPortal binds the portal listener alone, for the desktop app, which has no staff
// listener.
func (s *Server) ListenPortal() (net.Listener, error) {
	ln, err := listen(s.portal.Addr, "--portal-addr")
	if err != nil {
		return nil, err
	}
	if err := s.listenHTTP(); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// ServePortal runs the portal listener until ctx ends, then shuts down like Serve and
// closes the database.
func (s *Server) ServePortal(ctx context.Context, portalLn net.Listener) error {
	return s.serve(ctx, []served{{s.portal, portalLn}})
}

// AnnouncePortal prints what the desktop app's user may need: the portal address and the
// fingerprint of the local CA that clients' browsers are asked to trust.
func (s *Server) AnnouncePortal(portalLn net.Listener) {
	fmt.Fprintf(s.out, "Portico desktop is running on %s.\n", s.cfg.DataDir)
	fmt.Fprintf(s.out, "  Client portal: %s  (listening on %s)\n", s.PortalURL, portalLn.Addr())
	fmt.Fprintf(s.out, "  Local CA fingerprint (SHA-256): %s\n", s.ca.Fingerprint())
	s.announceTLS()
}

// DataDir returns the data folder this server opened.
func (s *Server) DataDir() string { return s.cfg.DataDir }

// LocalOwnerSession opens a session for the local owner, the oldest enabled owner of the
// data folder, and returns its secret. In a folder without an owner it first creates one
// named LocalOwnerName. The caller ends the session with Service().SignOut.
func (s *Server) LocalOwnerSession() (string, domain.Staff, error) {
	if s.service.NeedsSetup() {
		if err := s.createLocalOwner(); err != nil {
			return "", domain.Staff{}, fmt.Errorf("create the local owner: %w", err)
		}
	}
	owner, err := s.firstOwner()
	if err != nil {
		return "", domain.Staff{}, err
	}
	secret, err := s.service.NewSession(domain.Actor{Kind: domain.ActorStaff, ID: owner.ID})
	if err != nil {
		return "", domain.Staff{}, err
	}
	return secret, owner, nil
}

// createLocalOwner runs owner setup the way a person would, through a fresh setup link,
// with a random password that is never shown or kept.
func (s *Server) createLocalOwner() error {
	link, err := s.service.IssueSetupLink()
	if err != nil {
		return err
	}
	session, _, err := s.service.SetupOwner(path.Base(link), LocalOwnerEmail, localOwnerName(),
		rand.Text())
	if err != nil {
		return err
	}
	return s.service.SignOut(session)
}

// localOwnerName is the display name of the computer's user account, or its login name,
// or LocalOwnerName.
func localOwnerName() string {
	u, err := user.Current()
	if err != nil {
		return LocalOwnerName
	}
	for _, name := range []string{u.Name, u.Username} {
		if clean, err := domain.CleanTitle("name", name, domain.MaxName); err == nil {
			return clean
		}
	}
	return LocalOwnerName
}

// errNoOwner means every owner of the data folder is disabled.
var errNoOwner = errors.New("this data folder has no enabled owner")

func (s *Server) firstOwner() (domain.Staff, error) {
	var owner domain.Staff
	err := s.store.View(func(tx *store.Tx) error {
		staff, err := tx.AllStaff()
		if err != nil {
			return err
		}
		for _, st := range staff {
			if st.Role == domain.RoleOwner && !st.Disabled {
				owner = st
				return nil
			}
		}
		return errNoOwner
	})
	return owner, err
}
