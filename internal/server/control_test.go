package server_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/backup"
	"portico/internal/domain"
	"portico/internal/server"
	"portico/internal/service"
	"portico/internal/store"
)

// TestOperatorCommandsThroughControlSocket runs backup and verify against the data folder
// of a running server, which holds the folder's lock, so they can only work through its
// control socket.
func TestOperatorCommandsThroughControlSocket(t *testing.T) {
	h := start(t)
	token := h.setupOwner()
	_, tasks := h.sharedProject(token)
	owner := h.api("GET", "/api/v1/me", token, nil, 200)["id"].(string)
	file, err := h.srv.Service().AttachFile(domain.ID(owner), domain.ID(tasks[0]),
		service.Upload{Name: "brief.txt", Body: strings.NewReader("the brief")})
	if err != nil {
		t.Fatal(err)
	}
	dir := h.srv.DataDir()

	socket := filepath.Join(dir, "control.sock")
	info, err := os.Stat(socket)
	if err != nil || info.Mode().Type() != os.ModeSocket || info.Mode().Perm() != 0o600 {
		t.Fatalf("control socket %v (%v), want a socket with mode 0600", info, err)
	}
	_, err = store.Open(filepath.Join(dir, "portico.db"), store.Options{LockTimeout: 50 * time.Millisecond})
	var inUse *store.InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("opening the served folder directly: %v, want an InUseError", err)
	}

	// Backup: the server writes the archive (its version, "dev", is in the manifest, not
	// the caller's).
	var archive, messages bytes.Buffer
	err = server.Command{Name: "backup", DataDir: dir, Version: "caller", Stdout: &archive,
		Stderr: &messages}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(messages.String(), "backed up") {
		t.Fatalf("backup messages: %q", messages.String())
	}
	restored := filepath.Join(t.TempDir(), "restored")
	m, err := backup.Restore(bytes.NewReader(archive.Bytes()), restored)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "dev" {
		t.Fatalf("manifest version %q, want the server's", m.Version)
	}
	raw, err := os.ReadFile(filepath.Join(restored, "files", file.SHA256[:2], file.SHA256))
	if err != nil || string(raw) != "the brief" {
		t.Fatalf("restored file contents %q, %v", raw, err)
	}
	if _, err := os.Stat(filepath.Join(restored, "certs", "local-ca")); err != nil {
		t.Fatalf("local CA not in the backup: %v", err)
	}

	// Restore refuses the folder the server holds.
	if _, err := backup.Restore(bytes.NewReader(archive.Bytes()), dir); !errors.Is(err, backup.ErrNotEmpty) {
		t.Fatalf("restore into the served folder: %v, want ErrNotEmpty", err)
	}

	// Verify: sound, then a corrupted file is reported with a non-nil error.
	var report bytes.Buffer
	verify := server.Command{Name: "verify", DataDir: dir, Stdout: &report, Stderr: &messages}
	if err := verify.Run(context.Background()); err != nil || report.Len() != 0 {
		t.Fatalf("verify of a sound folder: %v, report %q", err, report.String())
	}
	content := filepath.Join(dir, "files", file.SHA256[:2], file.SHA256)
	if err := os.WriteFile(content, []byte("the brieF"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = verify.Run(context.Background())
	if err == nil || err.Error() != "1 problem found" {
		t.Fatalf("verify of a corrupted file: %v, want 1 problem found", err)
	}
	if !strings.Contains(report.String(), string(file.ID)) || !strings.Contains(report.String(), "contents corrupt") {
		t.Fatalf("verify report %q does not name the corrupted file", report.String())
	}
}

// TestStaleControlSocket starts a server over a socket file left by a killed one.
func TestStaleControlSocket(t *testing.T) {
	dir := t.TempDir()
	socket := filepath.Join(dir, "control.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()

	srv, _ := startAt(t, server.Config{DataDir: dir}, nil)
	var report, messages bytes.Buffer
	err = server.Command{Name: "verify", DataDir: srv.DataDir(), Stdout: &report,
		Stderr: &messages}.Run(context.Background())
	if err != nil {
		t.Fatalf("verify through the new socket: %v (%s)", err, messages.String())
	}
	if !strings.Contains(messages.String(), "0 problems") {
		t.Fatalf("verify summary %q", messages.String())
	}
}
