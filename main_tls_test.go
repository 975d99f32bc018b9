package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nobody is the unprivileged account the port test runs Portico as, when the test runs
// as root.
const nobody = 65534

func TestPrivilegedPortIsExplained(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("privileged ports are tested on Linux")
	}
	dir := worldReadableDir(t)
	binary := filepath.Join(dir, "portico")
	build := exec.Command("go", "build", "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	tests := []struct {
		name  string
		flags []string
		want  []string
	}{
		{"portal on 443 by default with a domain", nil,
			[]string{"--portal-addr :443", "port 443", "--portal-addr :8443"}},
		{"http listener on 80", []string{"--portal-addr", ":0", "--http-addr", ":80"},
			[]string{"--http-addr :80", "port 80", "--http-addr :8080"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(dir, "data"+strconv.Itoa(i))
			args := append([]string{"serve", "--data", data, "--domain", "portal.test",
				"--acme-ca", "https://127.0.0.1:1/directory", "--staff-addr", ":0"}, tt.flags...)
			out, err := runUnprivileged(t, binary, data, args)

			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("portico ended with %v, want exit status 1:\n%s", err, out)
			}
			want := append(tt.want, "permission denied",
				"sudo setcap cap_net_bind_service=+ep "+binary, "reverse proxy")
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not mention %q:\n%s", w, out)
				}
			}
		})
	}
}

// runUnprivileged runs binary with args as a user who may not bind ports below 1024, in
// a network namespace of its own when possible (where that limit is the kernel's default,
// whatever this machine's setting), and returns its combined output.
func runUnprivileged(t *testing.T, binary, data string, args []string) (string, error) {
	t.Helper()
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() == 0 {
		if err := os.Chown(data, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		attr.Credential = &syscall.Credential{Uid: nobody, Gid: nobody}
		attr.Cloneflags = syscall.CLONE_NEWNET
	} else {
		skipWithoutPrivilegedPorts(t)
	}

	out, started, err := runWith(binary, data, args, attr)
	if !started && attr.Cloneflags != 0 {
		// No namespaces here (a container without the right): use this machine's.
		t.Logf("no network namespace (%v); using the machine's", err)
		skipWithoutPrivilegedPorts(t)
		attr.Cloneflags = 0
		out, started, err = runWith(binary, data, args, attr)
	}
	if !started {
		t.Fatalf("start portico: %v", err)
	}
	return out, err
}

// runWith runs binary with args and attr for at most a minute; started reports whether
// it could be started at all.
func runWith(binary, data string, args []string,
	attr *syscall.SysProcAttr) (out string, started bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + data}
	cmd.SysProcAttr = attr
	raw, err := cmd.CombinedOutput()
	return string(raw), cmd.Process != nil, err
}

// skipWithoutPrivilegedPorts skips the test when this machine lets every user listen on
// ports 80 and 443.
func skipWithoutPrivilegedPorts(t *testing.T) {
	t.Helper()
	if unprivilegedPortStart(t) <= 443 {
		t.Skip("this machine lets every user listen on ports 80 and 443")
	}
}

// unprivilegedPortStart reads the lowest port any user may bind on this machine.
func unprivilegedPortStart(t *testing.T) int {
	raw, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start")
	if err != nil {
		return 1024
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatalf("ip_unprivileged_port_start: %v", err)
	}
	return n
}

// worldReadableDir makes a temporary folder the unprivileged user can reach (those of
// t.TempDir are private to this user).
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "portico-port-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
