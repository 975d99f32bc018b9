package server_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Crash test sizes: comments posted at most, and how many must be committed before the
// kill.
const (
	burstMax    = 600
	burstKillAt = 150
	burstUsers  = 4
)

// TestSearchAfterSIGKILL runs the real binary, kills it with SIGKILL while a burst of
// comments is being written and indexed, starts it again on the same folder, and checks
// once search has caught up that every comment committed before the kill is found by
// staff and that a client still finds the shared ones and never an internal one.
func TestSearchAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the portico binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()

	first := startBinary(t, bin, dir, "/setup/")
	h := first.harness(t)
	token := h.setupOwner()
	project, tasks := h.sharedProject(token)
	inv := h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	client := h.browser()
	h.acceptInvite(client, inv["link"].(string))

	committed := burst(t, h, token, tasks[0], first)
	t.Logf("%d comments committed before SIGKILL", len(committed))

	// Cookies belong to the host, whatever the port: the client's session carries over.
	second := startBinary(t, bin, dir, "Local CA certificate:")
	h = second.harness(t)
	caughtUp(t, h, token, second)
	if strings.Contains(second.logs(), "search index rebuild started") {
		t.Log("the index was rebuilt after the kill")
	} else {
		t.Log("the index caught up from its last position after the kill")
	}

	for word, c := range committed {
		var res struct {
			Total int
			Hits  []struct{ ID string }
		}
		raw := h.apiRaw("GET", "/api/v1/search?q="+word, token)
		if err := json.Unmarshal(raw, &res); err != nil || res.Total != 1 || res.Hits[0].ID != c.id {
			t.Errorf("staff search %s: %s, want comment %s", word, raw, c.id)
		}
		page := h.clientSearch(client, word)
		switch {
		case c.internal && !strings.Contains(page, "Nothing found"):
			t.Errorf("a client finds internal comment %s", word)
		case !c.internal && !strings.Contains(page, ">1 result for"):
			t.Errorf("a client does not find shared comment %s", word)
		}
	}
}

// burstComment is a comment committed during the burst.
type burstComment struct {
	id       string
	internal bool
}

// burst posts comments from several writers, every third one internal, and kills the
// process once burstKillAt are committed. It returns the committed ones by their word.
func burst(t *testing.T, h *harness, token, taskID string, p *binary) map[string]burstComment {
	t.Helper()
	api := h.browser()
	var next atomic.Int64
	var mu sync.Mutex
	committed := map[string]burstComment{}
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for range burstUsers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > burstMax {
					return
				}
				word := fmt.Sprintf("burst%04d", i)
				internal := i%3 == 0
				id, ok := postComment(api, h.staff, token, taskID, "crashword "+word+" noted", internal)
				if !ok {
					return // the server is gone
				}
				mu.Lock()
				committed[word] = burstComment{id: id, internal: internal}
				n := len(committed)
				mu.Unlock()
				if n >= burstKillAt {
					once.Do(func() {
						t.Logf("killing portico with the index %s entries behind", indexLag(h))
						p.kill(t)
						close(killed)
					})
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("only %d comments were committed; the server was not killed\n%s",
			len(committed), p.logs())
	}
	return committed
}

// postComment adds a comment through the staff API; ok is false when the request failed
// or was refused.
func postComment(c *http.Client, staff, token, taskID, body string, internal bool) (string, bool) {
	raw, _ := json.Marshal(map[string]any{"body": body, "internal": internal})
	req, _ := http.NewRequest("POST", staff+"/api/v1/tasks/"+taskID+"/comments", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
		return "", false
	}
	return out.ID, true
}

// caughtUp waits until search answers and the index has applied every committed change.
func caughtUp(t *testing.T, h *harness, token string, p *binary) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		req, _ := http.NewRequest("GET", h.staff+"/api/v1/search?q=crashword", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := h.browser().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		lag := indexLag(h)
		if err == nil && resp.StatusCode == 200 && lag == "0" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search did not catch up within 60 s (lag %s)\n%s", lag, p.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var lagLine = regexp.MustCompile(`(?m)^portico_search_index_lag (\d+)`)

// indexLag reads from /metrics how many activity entries the index has yet to apply; "?"
// when it cannot be read.
func indexLag(h *harness) string {
	m := lagLine.FindSubmatch(h.apiRaw("GET", "/metrics", ""))
	if m == nil {
		return "?"
	}
	return string(m[1])
}

// buildBinary builds the server binary into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portico")
	began := time.Now()
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = repoRootDir(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the binary in %s", time.Since(began).Round(100*time.Millisecond))
	return bin
}

func repoRootDir(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// binary is a running portico serve.
type binary struct {
	cmd       *exec.Cmd
	done      chan struct{}
	out       *lockedBuffer
	errs      *lockedBuffer
	dir       string
	portalURL string
	staffURL  string
}

// startBinary runs `portico serve` on dir over loopback and waits until it has printed
// ready (the setup link, or the last of its addresses). It is stopped at the end of the
// test if still running.
func startBinary(t *testing.T, bin, dir, ready string) *binary {
	t.Helper()
	portal, staff := freeAddr(t), freeAddr(t)
	_, port, _ := net.SplitHostPort(portal)
	p := &binary{dir: dir, out: &lockedBuffer{}, errs: &lockedBuffer{}, done: make(chan struct{}),
		portalURL: "https://localhost:" + port, staffURL: "https://" + staff}
	p.cmd = exec.Command(bin, "serve", "--data", dir, "--portal-addr", portal,
		"--staff-addr", staff, "--public-url", p.portalURL)
	p.cmd.Env = withoutSMTP(os.Environ())
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.errs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.out.String(), ready) {
		select {
		case <-p.done:
			t.Fatalf("portico exited at start:\n%s\n%s", p.out.String(), p.logs())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("portico did not start within 30 s:\n%s", p.logs())
		}
	}
	return p
}

// harness returns a test harness talking to the binary, trusting its local CA.
func (p *binary) harness(t *testing.T) *harness {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(p.dir, "certs", "local-ca", "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("the local CA certificate does not parse")
	}
	h := &harness{t: t, portal: p.portalURL, staff: p.staffURL, tls: &tls.Config{RootCAs: pool}}
	h.out.WriteString(p.out.String())
	return h
}

func (p *binary) kill(t *testing.T) {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Errorf("SIGKILL: %v", err)
	}
	<-p.done
}

// stop asks the process to stop, and kills it if it has not within ten seconds.
func (p *binary) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Errorf("portico did not stop within 10 s of SIGTERM; killing it")
		p.cmd.Process.Kill()
		<-p.done
	}
}

// logs is what the process logged, for failure messages.
func (p *binary) logs() string { return p.errs.String() }

func withoutSMTP(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PORTICO_SMTP_URL=") {
			out = append(out, kv)
		}
	}
	return out
}

// lockedBuffer is a buffer a process writes to while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
