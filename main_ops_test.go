package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"portico/internal/auth"
	"portico/internal/domain"
	"portico/internal/server"
	"portico/internal/service"
	"portico/internal/store"
)

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "portico dev\n") ||
		!strings.Contains(out.String(), runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
		t.Fatalf("version output %q", out.String())
	}
}

// TestBackupRestoreVerify runs the three commands the way an operator types them, on a
// data folder no server holds.
func TestBackupRestoreVerify(t *testing.T) {
	dir, files := demoFolder(t)
	archive := filepath.Join(t.TempDir(), "portico-backup.tar.gz")

	var stderr bytes.Buffer
	if err := run([]string{"backup", "--data", dir, archive}, io.Discard, &stderr); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "backup saved to "+archive) {
		t.Fatalf("backup said %q", stderr.String())
	}

	restored := filepath.Join(t.TempDir(), "restored")
	if err := run([]string{"restore", "--data", restored, archive}, io.Discard, &stderr); err != nil {
		t.Fatalf("restore: %v", err)
	}
	var report bytes.Buffer
	if err := run([]string{"verify", "--data", restored}, &report, &stderr); err != nil {
		t.Fatalf("verify of the restored folder: %v\n%s", err, report.String())
	}
	err := run([]string{"restore", "--data", restored, archive}, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over a restored folder: %v, want a refusal", err)
	}

	// Damage the original three ways; verify reports each, one per line, and fails.
	tamperActivity(t, dir, 2)
	flipByte(t, filepath.Join(dir, "files", files[0].SHA256[:2], files[0].SHA256))
	os.Remove(filepath.Join(dir, "files", files[1].SHA256[:2], files[1].SHA256))
	report.Reset()
	err = run([]string{"verify", "--data", dir}, &report, &stderr)
	if err == nil || err.Error() != "3 problems found" {
		t.Fatalf("verify of a damaged folder: %v, want 3 problems found", err)
	}
	lines := strings.Split(strings.TrimSpace(report.String()), "\n")
	want := []string{"activity entry 2: contents do not match its hash", "contents corrupt", "contents missing"}
	if len(lines) != len(want) {
		t.Fatalf("report %q, want %d lines", report.String(), len(want))
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d %q does not say %q", i+1, lines[i], w)
		}
	}
}

func TestOperatorCommandUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"backup", "out.tar.gz", "--data", "x"}, "flags come before arguments"},
		{[]string{"backup", "--data", "x"}, "usage: portico backup [--data DIR] FILE"},
		{[]string{"verify", "--data", "x", "extra"}, "usage: portico verify"},
		{[]string{"restore", "--data", "x"}, "usage: portico restore"},
		{[]string{"verify", "--data", "/nonexistent/portico"}, "holds no Portico data"},
		{[]string{"serve", "--log-format", "xml"}, "--log-format must be text or json"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// demoFolder seeds a data folder with the demo project and two files, then closes it.
func demoFolder(t *testing.T) (string, []domain.File) {
	t.Helper()
	t.Cleanup(auth.SetTestParams())
	dir := t.TempDir()
	srv, err := server.Open(context.Background(), server.Config{DataDir: dir,
		PortalAddr: "127.0.0.1:0", StaffAddr: "127.0.0.1:0", Demo: true},
		slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	var owner domain.ID
	var task domain.ID
	srv.Service().Store().View(func(tx *store.Tx) error {
		staff, _ := tx.AllStaff()
		owner = staff[0].ID
		tasks, err := tx.TasksAfter("", 1)
		task = tasks[0].ID
		return err
	})
	var files []domain.File
	for _, name := range []string{"brief.txt", "logo.svg"} {
		f, err := srv.Service().AttachFile(owner, task, service.Upload{Name: name,
			Body: strings.NewReader("contents of " + name)})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return dir, files
}

func tamperActivity(t *testing.T, dir string, seq uint64) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, "portico.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := binary.BigEndian.AppendUint64(nil, seq)
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("activity"))
		var entry map[string]any
		if err := json.Unmarshal(b.Get(key), &entry); err != nil {
			return err
		}
		entry["time"] = "2001-01-01T00:00:00Z"
		raw, _ := json.Marshal(entry)
		return b.Put(key, raw)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func flipByte(t *testing.T, name string) {
	t.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	raw[0] ^= 1
	if err := os.WriteFile(name, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}
