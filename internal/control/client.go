package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"syscall"
)

// Call runs command on the server listening at path, copying its output to stdout and its
// messages to stderr as they arrive. It fails with an error wrapping ErrNotRunning when
// nothing listens at path, with a *RemoteError when the command failed, and with ctx's
// error when ctx ends first (the server then stops the command).
func Call(ctx context.Context, path, command string, stdout, stderr io.Writer) error {
	if len(path) > maxSocketPath {
		return fmt.Errorf("control socket path %s is longer than the %d bytes a Unix socket "+
			"allows", path, maxSocketPath)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("control socket: %w; run this command as the user Portico runs as, "+
			"or as root", err)
	}
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	raw, _ := json.Marshal(request{Command: command}) // a struct of one string encodes
	if _, err := conn.Write(append(raw, '\n')); err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	err = receive(conn, command, stdout, stderr)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// receive copies frames until the final one.
func receive(conn io.Reader, command string, stdout, stderr io.Writer) error {
	buf := make([]byte, maxFrame)
	for {
		kind, payload, err := readFrame(conn, buf)
		if err != nil {
			return fmt.Errorf("the running Portico ended the connection before %s finished: %w",
				command, err)
		}
		switch kind {
		case frameStdout:
			if _, err := stdout.Write(payload); err != nil {
				return err
			}
		case frameStderr:
			if _, err := stderr.Write(payload); err != nil {
				return err
			}
		case frameOK:
			return nil
		case frameFailed:
			return &RemoteError{Command: command, Message: string(payload)}
		default:
			return fmt.Errorf("control socket: unexpected frame kind %q", kind)
		}
	}
}
