// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback for tests that
// need to receive Portico's mail: invites, resets and notifications.
package mailtest

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one received mail: envelope and raw data.
type Message struct {
	From string
	To   []string
	Data string
}

// Server is a running SMTP server that keeps every message it receives.
type Server struct {
	Addr string
	mu   sync.Mutex
	msgs []Message
	cond chan struct{}
}

// Start runs a server on 127.0.0.1 until the test ends. It accepts mail without
// authentication and offers no TLS (Portico uses STARTTLS opportunistically on loopback).
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), cond: make(chan struct{})}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the address to give Portico's --smtp flag.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// NewSession implements smtp.Backend.
func (s *Server) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &session{server: s}, nil
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.cond)
	s.cond = make(chan struct{})
}

// WaitFor returns the first message to the given recipient, waiting up to timeout.
func (s *Server) WaitFor(t testing.TB, to string, timeout time.Duration) Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, m := range s.msgs {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) {
					s.mu.Unlock()
					return m
				}
			}
		}
		wake := s.cond
		s.mu.Unlock()
		select {
		case <-wake:
		case <-deadline:
			t.Fatalf("no mail to %s within %s", to, timeout)
		}
	}
}

var softBreak = regexp.MustCompile("=\r?\n")

// Link returns the first https link in the message whose path starts with prefix,
// undoing quoted-printable line wrapping first.
func (m Message) Link(t testing.TB, prefix string) string {
	t.Helper()
	text := strings.ReplaceAll(softBreak.ReplaceAllString(m.Data, ""), "=3D", "=")
	re := regexp.MustCompile(`https://[^\s"<>]+` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_-]+`)
	link := re.FindString(text)
	if link == "" {
		t.Fatalf("no %s link in message:\n%s", prefix, m.Data)
	}
	return link
}

type session struct {
	server *Server
	msg    Message
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.msg = Message{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	s.msg.Data = buf.String()
	s.server.add(s.msg)
	return nil
}

func (s *session) Reset()        { s.msg = Message{} }
func (s *session) Logout() error { return nil }
