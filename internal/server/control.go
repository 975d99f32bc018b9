package server

import (
	"context"
	"io"

	"portico/internal/control"
)

// startControl opens the control socket in the data folder, so that operator commands
// run in this process, which holds the folder's lock. Portico serves without it; the
// commands then say that the folder is in use.
func (s *Server) startControl(ctx context.Context) {
	path := s.path(control.SocketName)
	srv, err := control.Listen(path, s.log)
	if err != nil {
		s.log.Warn("control socket unavailable: backup and verify cannot run while Portico runs",
			"path", path, "error", err)
		return
	}
	f := s.folder()
	for name, cmd := range commands {
		srv.Handle(name, func(ctx context.Context, stdout, stderr io.Writer) error {
			return cmd(ctx, f, stdout, stderr)
		})
	}
	s.control = srv
	go srv.Serve(ctx)
}

// stopControl ends the commands that run and removes the socket; the store closes after.
func (s *Server) stopControl() {
	if s.control != nil {
		s.control.Close()
	}
}

// folder is the server's data folder as operator commands see it.
func (s *Server) folder() *folder {
	return &folder{dir: s.cfg.DataDir, version: s.cfg.Version, store: s.store,
		blobs: s.service.Blobs(), index: s.search}
}
