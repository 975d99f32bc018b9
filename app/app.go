//go:build desktop

// Package app is Portico's desktop shell (Wails): one window over the local data folder,
// signed in as the local owner, showing the staff UI, while the client portal listens in
// the background exactly as `portico serve` runs it. The window talks to the same staff
// API handler that serve mode listens with, in-process: reads and event streams through
// the Wails asset server, writes, uploads and downloads through the methods of App, which
// Wails binds for the page as window.go.app.App.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"portico/internal/server"
)

// Options is what the desktop app takes from its command line.
type Options struct {
	// Server configures the data folder and the portal; its StaffAddr is unused, since
	// the desktop has no staff listener.
	Server server.Config
	// Version is shown in Help > About.
	Version string
	// ReadyFile, when set, receives the page's visible text and element boxes once it has
	// rendered, and again each time it settles differently. The desktop tests wait for it
	// and aim their clicks and drops with it.
	ReadyFile string
	// Logger receives what an operator needs; Out the lines meant for the person who
	// started Portico.
	Logger *slog.Logger
	Out    io.Writer
}

// drainTimeout bounds the wait for in-process staff requests (event streams included)
// to end after the window closes.
const drainTimeout = 5 * time.Second

// Run opens the data folder, starts the portal, shows the window and returns once the
// window has closed and everything has stopped. A data folder in use by another Portico
// fails here, before any window is created.
func Run(opts Options) error {
	portalCtx, stopPortal := context.WithCancel(context.Background())
	defer stopPortal()

	srv, err := server.Open(portalCtx, opts.Server, opts.Logger, opts.Out)
	if err != nil {
		return err
	}
	sh, err := start(srv, opts)
	if err != nil {
		srv.Close()
		return err
	}

	served := make(chan error, 1)
	go func() {
		err := srv.ServePortal(portalCtx, sh.portalLn)
		if err != nil {
			// The portal failed on its own and closed the database: the window cannot go
			// on without it.
			opts.Logger.Error("client portal stopped", "error", err)
			sh.quit()
		}
		served <- err
	}()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go sh.quitOn(signals)
	defer func() {
		signal.Stop(signals)
		close(signals)
	}()

	runErr := sh.runWindow()

	sh.stop()
	stopPortal()
	if err := <-served; err != nil && runErr == nil {
		runErr = fmt.Errorf("client portal: %w", err)
	}
	return runErr
}

// start prepares what the window needs: demo data when asked, the local owner's session
// and the portal listener.
func start(srv *server.Server, opts Options) (*shell, error) {
	if opts.Server.Demo {
		if err := srv.SeedDemo(); err != nil {
			return nil, err
		}
	}
	secret, owner, err := srv.LocalOwnerSession()
	if err != nil {
		return nil, err
	}
	portalLn, err := srv.ListenPortal()
	if err != nil {
		srv.Service().SignOut(secret)
		return nil, err
	}
	srv.AnnouncePortal(portalLn)
	opts.Logger.Info("desktop signed in", "staff_id", owner.ID)

	sh := newShell(srv, secret, owner, opts)
	sh.portalLn = portalLn
	return sh, nil
}

// stop ends the owner's session and waits, within drainTimeout, for in-process requests
// to finish, so that the database closes under no one.
func (sh *shell) stop() {
	if err := sh.srv.Service().SignOut(sh.staff.secret); err != nil {
		sh.log.Warn("end desktop session", "error", err)
	}
	if !sh.staff.drain(drainTimeout) {
		sh.log.Warn("staff requests still running after the window closed")
	}
}

// quitOn closes the window when the process is asked to stop, the same way File > Quit
// does.
func (sh *shell) quitOn(signals <-chan os.Signal) {
	if _, ok := <-signals; !ok {
		return
	}
	sh.log.Info("stop signal received; closing the window")
	sh.quit()
}

// HasDisplay reports whether a graphical session is available.
func HasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
