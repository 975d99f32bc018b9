package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"portico/internal/foldersync"
)

// Listen binds both listeners; after it returns, PortalAddr and StaffAddr hold the real
// addresses (useful with port 0).
func (s *Server) Listen() (portalLn, staffLn net.Listener, err error) {
	portalLn, err = listen(s.portal.Addr, "--portal-addr")
	if err != nil {
		return nil, nil, err
	}
	if err := s.listenHTTP(); err != nil {
		portalLn.Close()
		return nil, nil, err
	}
	staffLn, err = listen(s.staff.Addr, "--staff-addr")
	if err != nil {
		portalLn.Close()
		s.closeHTTPListener()
		return nil, nil, err
	}
	return portalLn, staffLn, nil
}

func listen(addr, flag string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, explainListen(err, addr, flag)
	}
	return ln, nil
}

// Serve runs both listeners until ctx ends, then shuts down: open requests get a few
// seconds, event streams end with ctx, and the database is closed last.
func (s *Server) Serve(ctx context.Context, portalLn, staffLn net.Listener) error {
	return s.serve(ctx, []served{{s.portal, portalLn}, {s.staff, staffLn}})
}

// served is one HTTP server and the listener it serves.
type served struct {
	srv *http.Server
	ln  net.Listener
}

// serve runs each server (over TLS, but for the plain-HTTP one) until ctx ends or one
// fails, then shuts everything down.
func (s *Server) serve(ctx context.Context, pairs []served) error {
	s.startControl(ctx)
	s.startSearch(ctx)
	if err := s.service.StartFolders(foldersync.Options{Logger: s.log}); err != nil {
		s.log.Error("start folder sync", "error", err)
	}
	pairs = s.servePublic(pairs)
	errs := make(chan error, len(pairs))
	for _, pair := range pairs {
		go func() {
			err := serveOne(pair)
			if !errors.Is(err, http.ErrServerClosed) {
				errs <- err
			}
		}()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
	}
	s.shutdown()
	return err
}

func (s *Server) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.stopControl()
	s.portal.Shutdown(ctx)
	s.staff.Shutdown(ctx)
	s.shutdownPublic(ctx)
	s.service.Close()
	if s.outbox != nil {
		s.outbox.Close(ctx)
	}
	if err := s.closeData(); err != nil {
		s.log.Error("close database", "error", err)
	}
}

// Close releases what Open took when Serve is never called.
func (s *Server) Close() error { return s.closeData() }

// Announce prints the addresses, the CA fingerprint and, while no owner exists, a fresh
// one-time owner setup link. That link is the only secret Portico ever prints; each start
// before setup makes a new one and kills the last.
func (s *Server) Announce(portalLn, staffLn net.Listener) error {
	fmt.Fprintf(s.out, "Portico is running.\n")
	fmt.Fprintf(s.out, "  Client portal: %s  (listening on %s)\n", s.PortalURL, portalLn.Addr())
	fmt.Fprintf(s.out, "  Staff:         %s  (listening on %s)\n", s.StaffURL, staffLn.Addr())
	fmt.Fprintf(s.out, "  Local CA fingerprint (SHA-256): %s\n", s.ca.Fingerprint())
	fmt.Fprintf(s.out, "  Local CA certificate: %s/api/v1/ca.crt\n", s.StaffURL)
	s.announceTLS()
	if !s.service.NeedsSetup() {
		return nil
	}
	link, err := s.service.IssueSetupLink()
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "\nNo owner yet. Open this one-time link to create the owner account:\n  %s\n", link)
	return nil
}

// Run opens, announces and serves until ctx ends: what `portico serve` does.
func Run(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	s, err := Open(ctx, cfg, log, out)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := s.SeedDemo(); err != nil {
			s.Close()
			return err
		}
	}
	portalLn, staffLn, err := s.Listen()
	if err != nil {
		s.Close()
		return err
	}
	if err := s.Announce(portalLn, staffLn); err != nil {
		s.Close()
		return err
	}
	if cfg.Demo {
		fmt.Fprintf(out, "\nDemo sign-in (password %q for both, unless changed since):\n"+
			"  staff  %s at %s\n  client %s at %s\n",
			DemoPassword, DemoOwnerEmail, s.StaffURL, DemoClientEmail, s.PortalURL)
	}
	return s.Serve(ctx, portalLn, staffLn)
}
