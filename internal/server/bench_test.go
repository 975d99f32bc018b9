package server_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkUpload1GiB uploads 1 GiB through the portal over HTTPS and reports how much
// the process's peak resident memory grew (client and server share the process, so the
// figure bounds both together).
func BenchmarkUpload1GiB(b *testing.B) {
	h := start(b)
	token := h.setupOwner()
	project, tasks := h.sharedProject(token)
	inv := h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example"}, 201)
	link := h.smtp.WaitFor(b, "dana@client.example", 30e9).Link(b, "/invite/")
	client := h.browser()
	h.acceptInvite(client, link)
	_ = inv
	const size = 1 << 30
	b.SetBytes(size)
	for b.Loop() {
		resetPeakRSS(b)
		before := rssKiB(b, "VmRSS")
		h.uploadSized(client, tasks[0], size)
		growth := rssKiB(b, "VmHWM") - before
		b.ReportMetric(float64(growth)/1024, "peak-MB-growth")
	}
}

func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset peak RSS here: %v", err)
	}
}

func rssKiB(b *testing.B, field string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}
