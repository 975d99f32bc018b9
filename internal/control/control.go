// Package control is an operator's line into a running Portico: a Unix socket inside the
// data folder on which commands such as backup and verify run in the server process, which
// holds the data folder's lock, instead of failing on it. Only the user running Portico
// (and root) can connect: the socket has mode 0600 in a folder of mode 0700, and on Linux
// the server also checks the caller's user ID.
//
// The protocol is deliberately small. The client sends one JSON line naming the command;
// the server answers with frames until a final one: a frame is one kind byte, a 4-byte
// big-endian length and that many bytes. Output frames carry the command's standard
// output (text, or an archive), message frames its standard error, and the last frame
// says whether the command succeeded or carries its error message.
package control

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// SocketName is the control socket's file name inside the data folder.
const SocketName = "control.sock"

// Handler runs one command. stdout and stderr reach the caller's; a returned error ends
// the command unsuccessfully and its message is shown to the caller. ctx ends when the
// caller goes away or the server stops.
type Handler func(ctx context.Context, stdout, stderr io.Writer) error

// Frame kinds.
const (
	frameStdout byte = 'o'
	frameStderr byte = 'e'
	frameOK     byte = 'k'
	frameFailed byte = 'f'
)

// maxFrame bounds a frame's payload; writers split larger writes.
const maxFrame = 64 << 10

// request is the client's one line.
type request struct {
	Command string `json:"command"`
}

// RemoteError is a command's failure as the server reported it.
type RemoteError struct {
	Command string
	Message string
}

func (e *RemoteError) Error() string { return e.Message }

// ErrNotRunning means no server answers on the socket: it does not exist, or nothing
// listens on it any more.
var ErrNotRunning = errors.New("no Portico is running on this data folder")

// frameWriter writes frames of one kind to a shared connection.
type frameWriter struct {
	mu   *sync.Mutex
	w    io.Writer
	kind byte
}

func (fw frameWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), maxFrame)
		if err := writeFrame(fw.mu, fw.w, fw.kind, p[:n]); err != nil {
			return written, err
		}
		written += n
		p = p[n:]
	}
	return written, nil
}

func writeFrame(mu *sync.Mutex, w io.Writer, kind byte, payload []byte) error {
	mu.Lock()
	defer mu.Unlock()
	var head [5]byte
	head[0] = kind
	binary.BigEndian.PutUint32(head[1:], uint32(len(payload)))
	if _, err := w.Write(head[:]); err != nil {
		return fmt.Errorf("control connection: %w", err)
	}
	if _, err := w.Write(payload); err != nil {
		return fmt.Errorf("control connection: %w", err)
	}
	return nil
}

// readFrame reads the next frame; its payload is only valid until the next call.
func readFrame(r io.Reader, buf []byte) (kind byte, payload []byte, err error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("control frame of %d bytes is too large", n)
	}
	payload = buf[:n]
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}
