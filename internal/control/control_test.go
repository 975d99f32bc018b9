package control

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func listen(t *testing.T) *Server {
	t.Helper()
	srv, err := Listen(filepath.Join(t.TempDir(), SocketName), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Handle("echo", func(_ context.Context, stdout, stderr io.Writer) error {
		io.WriteString(stderr, "starting\n")
		// More than one frame's worth, to check that output is split and joined again.
		_, err := stdout.Write(bytes.Repeat([]byte("0123456789abcdef"), 10_000))
		return err
	})
	srv.Handle("fail", func(context.Context, io.Writer, io.Writer) error {
		return errors.New("3 problems found")
	})
	srv.Handle("panic", func(context.Context, io.Writer, io.Writer) error {
		panic("bad command")
	})
	srv.Handle("wait", func(ctx context.Context, stdout, _ io.Writer) error {
		io.WriteString(stdout, "waiting\n")
		<-ctx.Done()
		return ctx.Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		srv.Close()
		<-done
	})
	return srv
}

func TestCall(t *testing.T) {
	srv := listen(t)
	tests := []struct {
		command    string
		wantOut    int
		wantStderr string
		wantErr    string
	}{
		{"echo", 160_000, "starting\n", ""},
		{"fail", 0, "", "3 problems found"},
		{"panic", 0, "", "internal error: bad command"},
		{"nonsense", 0, "", `unknown command "nonsense"`},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Call(context.Background(), srv.Path(), tt.command, &stdout, &stderr)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				var remote *RemoteError
				if !errors.As(err, &remote) || remote.Message != tt.wantErr {
					t.Fatalf("error = %v, want remote error %q", err, tt.wantErr)
				}
			}
			if stdout.Len() != tt.wantOut || stderr.String() != tt.wantStderr {
				t.Fatalf("stdout %d bytes, stderr %q; want %d bytes, %q",
					stdout.Len(), stderr.String(), tt.wantOut, tt.wantStderr)
			}
		})
	}
}

func TestSocketMode(t *testing.T) {
	srv := listen(t)
	info, err := os.Stat(srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("socket mode %o, want 600", perm)
	}
}

func TestNotRunning(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SocketName)
	err := Call(context.Background(), path, "echo", io.Discard, io.Discard)
	if !errors.Is(err, ErrNotRunning) {
		t.Fatalf("no socket: %v, want ErrNotRunning", err)
	}

	// A socket left by a killed server: the file exists, nothing listens.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	err = Call(context.Background(), path, "echo", io.Discard, io.Discard)
	if !errors.Is(err, ErrNotRunning) {
		t.Fatalf("stale socket: %v, want ErrNotRunning", err)
	}

	// The next server replaces it.
	srv, err := Listen(path, nil)
	if err != nil {
		t.Fatalf("listen over a stale socket: %v", err)
	}
	srv.Close()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left after Close: %v", err)
	}
}

func TestCallerLeavesEndsCommand(t *testing.T) {
	srv := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &signalWriter{ready: make(chan struct{})}
	errc := make(chan error, 1)
	go func() { errc <- Call(ctx, srv.Path(), "wait", out, io.Discard) }()
	<-out.ready
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Call = %v, want context.Canceled", err)
	}
	// The server notices and the command returns, so Close does not hang.
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a command whose caller left")
	}
}

func TestCloseEndsRunningCommand(t *testing.T) {
	srv := listen(t)
	out := &signalWriter{ready: make(chan struct{})}
	errc := make(chan error, 1)
	go func() { errc <- Call(context.Background(), srv.Path(), "wait", out, io.Discard) }()
	<-out.ready
	srv.Close()
	// The command's error frame may or may not get out before the connection closes.
	err := <-errc
	if err == nil || !strings.Contains(err.Error(), "ended the connection") &&
		!strings.Contains(err.Error(), "shutting down; wait was stopped") {
		t.Fatalf("Call after Close = %v, want a shutting down or connection ended error", err)
	}
}

func TestPathTooLong(t *testing.T) {
	long := "/tmp/" + strings.Repeat("d", 120) + "/" + SocketName
	if _, err := Listen(long, nil); err == nil || !strings.Contains(err.Error(), "shorter --data") {
		t.Fatalf("Listen = %v, want a path length error", err)
	}
}

// signalWriter closes ready at the first write.
type signalWriter struct {
	ready chan struct{}
	once  bool
}

func (w *signalWriter) Write(p []byte) (int, error) {
	if !w.once {
		w.once = true
		close(w.ready)
	}
	return len(p), nil
}
