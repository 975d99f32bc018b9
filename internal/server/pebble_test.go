package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pebble is a real ACME CA on loopback: Pebble, resolving names through the DNS server
// of pebble-challtestsrv, which answers 127.0.0.1 for every name unless told otherwise.
type pebble struct {
	t         testing.TB
	directory string       // the ACME directory URL
	manage    string       // Pebble's management API
	dnsManage string       // challtestsrv's management API
	minicaPEM string       // the file of the root that Pebble's own HTTPS certificate chains to
	client    *http.Client // trusts Pebble's HTTPS
	logs      *syncBuffer  // both processes' output, shown when a test fails
	procs     []*exec.Cmd
}

// pebbleTools are the built Pebble binaries, found once per test process.
var pebbleTools = sync.OnceValues(func() (map[string]string, error) {
	tools := map[string]string{}
	for _, name := range []string{"pebble", "pebble-challtestsrv"} {
		// go tool -n builds the tool into the build cache, if needed, and prints its path.
		out, err := goCommand("tool", "-n", name)
		if err != nil {
			return nil, err
		}
		tools[name] = out
	}
	return tools, nil
})

// goCommand runs the go command and returns its trimmed output.
func goCommand(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// startPebble starts challtestsrv and Pebble on free loopback ports, with Pebble's
// challenge ports pointed at httpPort (HTTP-01) and tlsPort (TLS-ALPN-01), issuing
// certificates valid for validity. Both stop when the test ends.
func startPebble(t testing.TB, httpPort, tlsPort string, validity time.Duration) *pebble {
	t.Helper()
	tools, err := pebbleTools()
	if err != nil {
		t.Fatalf("build pebble: %v", err)
	}
	root, cert, key := pebbleHTTPSCert(t)
	p := &pebble{t: t, logs: &syncBuffer{}, minicaPEM: root}
	p.client = p.httpsClient()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pebble and challtestsrv output:\n%s", p.logs.String())
		}
	})

	dnsAddr := freeUDPAndTCPAddr(t)
	dnsManage := freeAddr(t)
	p.run(tools["pebble-challtestsrv"], nil, "-dnsserver", dnsAddr, "-management", dnsManage,
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-http01", "", "-https01", "", "-doh", "", "-tlsalpn01", "")
	p.dnsManage = "http://" + dnsManage
	p.waitFor(p.dnsManage + "/dns-request-history")

	listen, manage := freeAddr(t), freeAddr(t)
	config := p.writeConfig(cert, key, listen, manage, httpPort, tlsPort, validity)
	p.run(tools["pebble"], []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"},
		"-config", config, "-dnsserver", dnsAddr)
	p.directory = "https://" + listen + "/dir"
	p.manage = "https://" + manage
	p.waitFor(p.directory)
	return p
}

// writeConfig writes Pebble's configuration file and returns its path.
func (p *pebble) writeConfig(cert, key, listen, manage, httpPort, tlsPort string,
	validity time.Duration) string {
	p.t.Helper()
	var config struct {
		Pebble map[string]any `json:"pebble"`
	}
	config.Pebble = map[string]any{
		"listenAddress":           listen,
		"managementListenAddress": manage,
		"certificate":             cert,
		"privateKey":              key,
		"httpPort":                mustAtoi(p.t, httpPort),
		"tlsPort":                 mustAtoi(p.t, tlsPort),
		"ocspResponderURL":        "",
		"keyAlgorithm":            "ecdsa",
		"profiles": map[string]any{"default": map[string]any{
			"description":    "short-lived certificates, to see them renewed",
			"validityPeriod": int(validity / time.Second),
		}},
	}
	raw, err := json.Marshal(config)
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(p.t.TempDir(), "pebble-config.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// run starts a process that is killed, by its PID, when the test ends (or, should the
// test process die first, by the kernel).
func (p *pebble) run(binary string, env []string, args ...string) {
	p.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", filepath.Base(binary), err)
	}
	p.procs = append(p.procs, cmd)
	p.t.Cleanup(p.stop)
}

// stop kills both processes by their PIDs and waits for them; it may be called again.
func (p *pebble) stop() {
	for _, cmd := range p.procs {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
}

// waitFor polls url until it answers, for at most 30 seconds.
func (p *pebble) waitFor(url string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := p.client.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s did not answer within 30 s: %v\n%s", url, err, p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// httpsClient returns a client that trusts the root of Pebble's own HTTPS certificate.
func (p *pebble) httpsClient() *http.Client {
	p.t.Helper()
	pemBytes, err := os.ReadFile(p.minicaPEM)
	if err != nil {
		p.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Proxy: nil},
		Timeout:   30 * time.Second,
	}
}

// issuingRoots returns the root that Pebble's certificates chain to, from its management
// API (Pebble makes a new one at every start).
func (p *pebble) issuingRoots() *x509.CertPool {
	p.t.Helper()
	resp, err := p.client.Get(p.manage + "/roots/0")
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	pemBytes, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		p.t.Fatalf("pebble root: %d %v", resp.StatusCode, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		p.t.Fatalf("pebble root is no PEM certificate: %q", pemBytes)
	}
	return pool
}

// pointDNS makes challtestsrv answer host's A queries with addr.
func (p *pebble) pointDNS(host, addr string) {
	p.t.Helper()
	body, _ := json.Marshal(map[string]any{"host": host, "addresses": []string{addr}})
	resp, err := p.client.Post(p.dnsManage+"/add-a", "application/json", bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("add-a %s: status %d", host, resp.StatusCode)
	}
}

// freeUDPAndTCPAddr returns a loopback address whose port is free for both UDP and TCP,
// as a DNS server needs.
func freeUDPAndTCPAddr(t testing.TB) string {
	t.Helper()
	for range 20 {
		addr := freeAddr(t)
		conn, err := net.ListenPacket("udp", addr)
		if err == nil {
			conn.Close()
			return addr
		}
	}
	t.Fatal("no loopback port free for both UDP and TCP")
	return ""
}

func mustAtoi(t testing.TB, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("port %q: %v", s, err)
	}
	return n
}

// syncBuffer is a log destination for several goroutines and processes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
