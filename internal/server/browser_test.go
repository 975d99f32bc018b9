//go:build browser

package server_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/frontend"
	"portico/internal/server"
)

// scriptTimeout bounds one run of the browser script; it normally takes well under a minute.
const scriptTimeout = 4 * time.Minute

// TestBrowserEndToEnd runs the real built staff UI and the portal in Debian's Chromium:
// owner setup, a project shared with an invited client, the client's completion reaching
// the open staff page live, Unshare, the portal at a phone's width, and axe-core on every
// screen. The browser side is frontend/e2e/journey.mjs; screenshots land in
// test-artifacts/screens (or PORTICO_SCREENS_DIR).
func TestBrowserEndToEnd(t *testing.T) {
	if !frontend.Built() {
		t.Fatal("the staff UI is not built (frontend/dist/index.html is missing): run `make frontend` " +
			"(or `cd frontend && npm ci && npm run build`), then run this test again")
	}
	root := repoRoot(t)
	node := lookNode(t, root)
	shots := screensDir(t, root)

	folders := t.TempDir()
	h := startWith(t, func(cfg *server.Config) { cfg.FoldersRoot = folders })
	link := setupLink.FindString(h.out.String())
	if link == "" {
		t.Fatalf("no setup link printed:\n%s", h.out.String())
	}
	box := newMailbox(t, h.smtp)

	env := []string{
		"PORTICO_STAFF_URL=" + h.staff,
		"PORTICO_PORTAL_URL=" + h.portal,
		"PORTICO_SETUP_LINK=" + link,
		"PORTICO_MAILBOX_URL=" + box.url,
		"PORTICO_FOLDERS_ROOT=" + folders,
		"PORTICO_CERT_SPKI=" + strings.Join(h.certKeys(), ","),
		"SHOTS_DIR=" + shots,
	}
	began := time.Now()
	out, err := runScript(t, node, filepath.Join(root, "frontend", "e2e", "journey.mjs"), env, box)
	t.Logf("browser script took %s; screenshots in %s\n%s", time.Since(began).Round(time.Second), shots, out)
	if err != nil {
		t.Fatalf("browser script failed: %v", err)
	}
}

// runScript runs a node script until it exits, answering its mailbox requests (if box is
// not nil) on the test goroutine meanwhile, and returns everything it printed.
func runScript(t testing.TB, node, script string, env []string, box *mailbox) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = &out, &out
	// An interrupt lets playwright close Chromium; a kill follows if it does not exit.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 15 * time.Second
	if err := cmd.Start(); err != nil {
		return "", err
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var requests chan mailRequest
	if box != nil {
		requests = box.requests
	}
	finished := false
	// If the test stops early (a mail that never came), the script is stopped too and
	// what it printed is still shown.
	t.Cleanup(func() {
		if finished {
			return
		}
		cancel()
		<-exited
		t.Logf("browser script stopped early; it printed:\n%s", out.String())
	})
	for {
		select {
		case req := <-requests:
			req.reply <- box.answer(t, req)
		case err := <-exited:
			finished = true
			if ctx.Err() != nil {
				err = errors.Join(err, errors.New("stopped after "+scriptTimeout.String()))
			}
			return out.String(), err
		}
	}
}

// repoRoot is the module's root: tests run in internal/server.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// lookNode finds node and checks that the UI's npm packages are installed.
func lookNode(t testing.TB, root string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed; the browser test needs Node.js (see README.md)")
	}
	for _, pkg := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat(filepath.Join(root, "frontend", "node_modules", pkg)); err != nil {
			t.Fatalf("frontend/node_modules/%s is missing: run `cd frontend && npm ci`", pkg)
		}
	}
	return node
}

// screensDir returns the screenshot folder, PORTICO_SCREENS_DIR or test-artifacts/screens
// at the repository's root, without the screenshots of an earlier run (NN-name.png, and
// failed-N.png of the pages open when a run stopped).
func screensDir(t *testing.T, root string) string {
	t.Helper()
	dir := os.Getenv("PORTICO_SCREENS_DIR")
	if dir == "" {
		dir = filepath.Join(root, "test-artifacts", "screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	numbered, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9]-*.png"))
	failed, _ := filepath.Glob(filepath.Join(dir, "failed-*.png"))
	for _, file := range append(numbered, failed...) {
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// certKeys returns the base64 SHA-256 of the public key each listener presents, for
// Chromium's --ignore-certificate-errors-spki-list: the browser then accepts these
// certificates, and no others, without the local CA being installed.
func (h *harness) certKeys() []string {
	h.t.Helper()
	var keys []string
	for _, raw := range []string{h.staff, h.portal} {
		u, err := url.Parse(raw)
		if err != nil {
			h.t.Fatal(err)
		}
		keys = append(keys, spki(h.t, net.JoinHostPort(u.Hostname(), u.Port()), h.tls))
	}
	return keys
}
