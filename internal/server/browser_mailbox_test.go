//go:build browser

package server_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"portico/internal/mail/mailtest"
)

// mailWait is how long the mailbox waits for a message to arrive.
const mailWait = 30 * time.Second

// mailbox is a loopback HTTP endpoint through which the browser script reads links from the
// mail that the test's SMTP server received:
//
//	GET {url}/link?to=dana@client.example&path=/invite/
//
// answers the first https link under path in the first message to that address, waiting for
// the message if it has not arrived yet. The handler only forwards requests: the test
// goroutine answers them, so a missing message fails the test the usual way.
type mailbox struct {
	url      string
	smtp     *mailtest.Server
	requests chan mailRequest
}

// mailRequest is one question from the script, waiting for its link.
type mailRequest struct {
	to, path string
	reply    chan string
}

func newMailbox(t *testing.T, smtp *mailtest.Server) *mailbox {
	t.Helper()
	box := &mailbox{smtp: smtp, requests: make(chan mailRequest)}
	srv := httptest.NewServer(http.HandlerFunc(box.serveLink))
	t.Cleanup(srv.Close)
	box.url = srv.URL
	return box
}

func (box *mailbox) serveLink(w http.ResponseWriter, r *http.Request) {
	to, path := r.URL.Query().Get("to"), r.URL.Query().Get("path")
	if r.URL.Path != "/link" || to == "" || path == "" {
		http.Error(w, "want GET /link?to=ADDRESS&path=PREFIX", http.StatusBadRequest)
		return
	}
	req := mailRequest{to: to, path: path, reply: make(chan string, 1)}
	select {
	case box.requests <- req:
	case <-r.Context().Done():
		return
	}
	select {
	case link := <-req.reply:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, link)
	case <-r.Context().Done():
	}
}

// answer finds the link a request asks for; it must run on the test goroutine.
func (box *mailbox) answer(t testing.TB, req mailRequest) string {
	t.Helper()
	return box.smtp.WaitFor(t, req.to, mailWait).Link(t, req.path)
}

// spki connects to addr and returns the base64 SHA-256 of its certificate's public key,
// after checking the certificate against the local CA.
func spki(t testing.TB, addr string, config *tls.Config) string {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, config)
	if err != nil {
		t.Fatalf("tls dial %s: %v", addr, err)
	}
	defer conn.Close()
	leaf := conn.ConnectionState().PeerCertificates[0]
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}
