package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"
)

// maxSocketPath is the longest socket path Linux accepts (sun_path less its final NUL).
const maxSocketPath = 107

// Server answers commands on a control socket.
type Server struct {
	path     string
	ln       *net.UnixListener
	log      *slog.Logger
	handlers map[string]Handler

	// ctx ends every running command when the server closes.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	conns   map[net.Conn]struct{}
	running sync.WaitGroup
}

// Listen creates the control socket at path with mode 0600. A socket file already there is
// removed first: the caller holds the data folder's lock, so no live server owns it.
func Listen(path string, log *slog.Logger) (*Server, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("control socket path %s is %d bytes, longer than the %d a Unix "+
			"socket allows; use a shorter --data path", path, len(path), maxSocketPath)
	}
	if err := removeStale(path); err != nil {
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	// The data folder is mode 0700, so nobody else can reach the socket in the moment
	// before this.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{path: path, ln: ln, log: log, handlers: map[string]Handler{},
		ctx: ctx, cancel: cancel, conns: map[net.Conn]struct{}{}}, nil
}

func removeStale(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	if info.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("control socket: %s exists and is not a socket", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove stale control socket: %w", err)
	}
	return nil
}

// Handle registers the command name. Register every command before Serve.
func (s *Server) Handle(name string, h Handler) { s.handlers[name] = h }

// Path returns the socket's path.
func (s *Server) Path() string { return s.path }

// Serve answers connections until ctx ends or Close is called, then closes the server.
func (s *Server) Serve(ctx context.Context) {
	stop := context.AfterFunc(ctx, s.Close)
	defer stop()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if s.isClosed() {
				return
			}
			s.log.Warn("control socket accept", "error", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if !s.track(conn) {
			conn.Close()
			return
		}
		go func() {
			defer s.untrack(conn)
			s.serveConn(conn)
		}()
	}
}

// Close stops accepting, ends the commands that run (their context ends and their
// connection closes), waits for them to return, and removes the socket.
func (s *Server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		s.cancel()
		s.ln.Close() // also removes the socket file
		for conn := range s.conns {
			conn.Close()
		}
	}
	s.mu.Unlock()
	s.running.Wait()
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	s.running.Add(1)
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
	s.running.Done()
}

// serveConn reads the one request, runs its command and sends the final frame.
func (s *Server) serveConn(conn net.Conn) {
	var mu sync.Mutex
	if err := peerAllowed(conn); err != nil {
		s.log.Warn("control connection refused", "error", err)
		_ = writeFrame(&mu, conn, frameFailed, []byte(err.Error()))
		return
	}
	name, err := readRequest(conn)
	if err != nil {
		_ = writeFrame(&mu, conn, frameFailed, []byte(err.Error()))
		return
	}
	h, ok := s.handlers[name]
	if !ok {
		_ = writeFrame(&mu, conn, frameFailed, fmt.Appendf(nil, "unknown command %q", name))
		return
	}

	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	// The client sends nothing after its request; a read returning means it went away.
	go func() {
		var b [1]byte
		_, _ = conn.Read(b[:])
		cancel()
	}()

	s.log.Info("control command started", "command", name)
	err = s.run(ctx, h, frameWriter{&mu, conn, frameStdout}, frameWriter{&mu, conn, frameStderr})
	if err != nil && s.ctx.Err() != nil {
		err = fmt.Errorf("Portico is shutting down; %s was stopped", name)
	}
	if err != nil {
		s.log.Warn("control command failed", "command", name, "error", err)
		_ = writeFrame(&mu, conn, frameFailed, []byte(err.Error()))
		return
	}
	s.log.Info("control command finished", "command", name)
	_ = writeFrame(&mu, conn, frameOK, nil)
}

// run calls h, turning a panic into an error so one bad command cannot stop the server.
func (s *Server) run(ctx context.Context, h Handler, stdout, stderr frameWriter) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("control command panicked", "error", r)
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return h(ctx, stdout, stderr)
}

func readRequest(conn net.Conn) (string, error) {
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReaderSize(conn, 4096).ReadSlice('\n')
	if err != nil {
		return "", fmt.Errorf("read control request: %w", err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return "", fmt.Errorf("decode control request: %w", err)
	}
	return req.Command, nil
}
