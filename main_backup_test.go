package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/backup"
	"portico/internal/control"
	"portico/internal/domain"
	"portico/internal/server"
)

// TestBackupOfADamagedFolder backs up a folder with one file's contents missing and
// another's corrupt, with no server and through a running one: the backup is saved with
// everything else, says what it lacks and points to verify, and the command fails.
func TestBackupOfADamagedFolder(t *testing.T) {
	dir, files := demoFolder(t)
	if err := os.Remove(contentPath(dir, files[0])); err != nil {
		t.Fatal(err)
	}
	flipByte(t, contentPath(dir, files[1]))

	t.Run("offline", func(t *testing.T) {
		checkIncompleteBackup(t, dir, files)

		var archive, stderr bytes.Buffer
		err := run([]string{"backup", "--data", dir, "-"}, &archive, &stderr)
		if !incompleteBackup(err) {
			t.Fatalf("backup to standard output: %v, want an incomplete backup", err)
		}
		if _, err := backup.Restore(&archive, filepath.Join(t.TempDir(), "restored")); err != nil {
			t.Fatalf("the archive written to standard output does not restore: %v", err)
		}
	})

	t.Run("exit status", func(t *testing.T) {
		binary := filepath.Join(t.TempDir(), "portico")
		if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		archive := filepath.Join(t.TempDir(), "backup.tar.gz")
		out, err := exec.Command(binary, "backup", "--data", dir, archive).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("portico backup ended with %v, want exit status 1:\n%s", err, out)
		}
		if !strings.Contains(string(out), "portico: backup incomplete") {
			t.Errorf("output does not say the backup is incomplete:\n%s", out)
		}
		if _, err := os.Stat(archive); err != nil {
			t.Errorf("no backup saved: %v", err)
		}
	})

	t.Run("through a running Portico", func(t *testing.T) {
		serveFolder(t, dir)
		err := checkIncompleteBackup(t, dir, files)
		if remote := new(control.RemoteError); !errors.As(err, &remote) {
			t.Errorf("error %T, want the running Portico's answer", err)
		}
	})
}

// checkIncompleteBackup runs `portico backup` on the damaged folder and checks what it
// says, that it fails, and that its archive restores to a folder where verify finds only
// the two damaged files. It returns the command's error.
func checkIncompleteBackup(t *testing.T, dir string, files []domain.File) error {
	t.Helper()
	archive := filepath.Join(t.TempDir(), "backup.tar.gz")
	var stderr bytes.Buffer
	err := run([]string{"backup", "--data", dir, archive}, io.Discard, &stderr)
	if !incompleteBackup(err) {
		t.Fatalf("backup: %v, want an incomplete backup\n%s", err, stderr.String())
	}
	for _, want := range []string{"2 files were missing or corrupt", "portico verify"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	said := stderr.String()
	for _, want := range []string{
		files[0].SHA256 + ": missing from the data folder, left out",
		files[1].SHA256 + ": corrupt in the data folder",
		"backup saved to " + archive + ", without the files named above",
	} {
		if !strings.Contains(said, want) {
			t.Errorf("backup messages do not say %q:\n%s", want, said)
		}
	}

	restored := filepath.Join(t.TempDir(), "restored")
	args := []string{"restore", "--data", restored, archive}
	if err := run(args, io.Discard, &stderr); err != nil {
		t.Fatalf("restore: %v", err)
	}
	var report bytes.Buffer
	verified := run([]string{"verify", "--data", restored}, &report, io.Discard)
	if verified == nil || verified.Error() != "2 problems found" {
		t.Fatalf("verify of the restored folder: %v, want 2 problems found\n%s", verified,
			report.String())
	}
	for _, want := range []string{"contents missing", "contents corrupt"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("verify report does not say %q:\n%s", want, report.String())
		}
	}
	return err
}

// serveFolder runs Portico on dir until the test ends, so that operator commands go
// through its control socket.
func serveFolder(t *testing.T, dir string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.Open(ctx, server.Config{DataDir: dir, PortalAddr: "127.0.0.1:0",
		StaffAddr: "127.0.0.1:0"}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	portalLn, staffLn, err := srv.Listen()
	if err != nil {
		cancel()
		srv.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, portalLn, staffLn) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("Portico did not stop within 30 s")
		}
	})
}

func contentPath(dir string, f domain.File) string {
	return filepath.Join(dir, "files", f.SHA256[:2], f.SHA256)
}
