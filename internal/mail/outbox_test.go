package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOutboxRetriesUntilServerIsUp(t *testing.T) {
	// Reserve a loopback port, then free it so that the first attempt is refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()

	b := &testBackend{user: "ann", password: "pw"}
	smtpSender := newTestSMTP(t, "smtp://ann:pw@"+addr, Options{})
	sender := &startOnFailure{Sender: smtpSender, start: func() {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("listen again on %s: %v", addr, err)
			return
		}
		serve(t, b, plainServer, tls.Certificate{}, ln)
	}}

	o, logs := newTestOutbox(t, sender)
	m := Invite("bob@client.example", testLink, "Acme", "Website", time.Now().Add(time.Hour))
	o.Enqueue(m)

	waitFor(t, "the message to be delivered", func() bool { return len(b.received()) == 1 })
	waitFor(t, "the outbox to empty", func() bool { return o.Len() == 0 })
	checkDelivery(t, b.received()[0], "bob@client.example", m)
	if got := sender.attempts(); got < 2 {
		t.Errorf("%d attempts, want at least 2", got)
	}
	if !strings.Contains(logs.String(), "will retry") {
		t.Errorf("log does not mention the retry:\n%s", logs)
	}
	checkLogPrivacy(t, logs.String())
}

func TestOutboxGivesUp(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		wantAttempts int
	}{
		{"after the last retry", errors.New("421 try later"), 3},
		{"at once on a permanent error", fmt.Errorf("%w: 550 no such user", ErrPermanent), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender := &fakeSender{err: tt.err}
			o, logs := newTestOutbox(t, sender)
			o.Enqueue(Message{To: "bob@client.example", Subject: "s", Text: "body " + testLink})

			waitFor(t, "the outbox to give up", func() bool {
				return strings.Contains(logs.String(), "giving up")
			})
			if got := sender.count(); got != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", got, tt.wantAttempts)
			}
			if got := o.Len(); got != 0 {
				t.Errorf("Len() = %d after giving up, want 0", got)
			}
			checkLogPrivacy(t, logs.String())
		})
	}
}

func TestOutboxCloseDrains(t *testing.T) {
	sender := &fakeSender{failFirst: 1}
	o, _ := newTestOutbox(t, sender)
	o.SetRetryDelays([]time.Duration{time.Hour})

	o.Enqueue(Message{To: "a@client.example", Subject: "s", Text: "t"})
	waitFor(t, "the first attempt", func() bool { return sender.count() == 1 })
	o.Enqueue(Message{To: "b@client.example", Subject: "s", Text: "t"})

	// The retry of the first message is an hour away; Close tries it at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := o.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := sender.delivered(); len(got) != 2 {
		t.Errorf("delivered %v, want both messages", got)
	}
	if o.Len() != 0 {
		t.Errorf("Len() = %d after Close, want 0", o.Len())
	}
}

func TestOutboxCloseGivesUpAtDeadline(t *testing.T) {
	sender := &fakeSender{block: true}
	o, logs := newTestOutbox(t, sender)
	o.Enqueue(Message{To: "a@client.example", Subject: "s", Text: "t"})
	o.Enqueue(Message{To: "b@client.example", Subject: "s", Text: "t"})
	waitFor(t, "the first attempt", func() bool { return sender.count() == 1 })
	if got := o.Len(); got != 2 {
		t.Errorf("Len() = %d, want 2", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := o.Close(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close error %v, want one wrapping context.DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), "2 messages undelivered") {
		t.Errorf("Close error %q does not count the undelivered messages", err)
	}

	o.Enqueue(Message{To: "c@client.example", Subject: "s", Text: "t"})
	if o.Len() != 0 {
		t.Errorf("Len() = %d after Close, want 0", o.Len())
	}
	if !strings.Contains(logs.String(), "outbox closed") {
		t.Errorf("log does not mention the dropped message:\n%s", logs)
	}
	if err := o.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOutboxDropsWhenFull(t *testing.T) {
	sender := &fakeSender{block: true}
	o, logs := newTestOutbox(t, sender)
	for range MaxQueued + 5 {
		o.Enqueue(Message{To: "a@client.example", Subject: "s", Text: "t"})
	}
	if got := o.Len(); got != MaxQueued {
		t.Errorf("Len() = %d, want %d", got, MaxQueued)
	}
	if got := strings.Count(logs.String(), "outbox full"); got != 5 {
		t.Errorf("logged %d drops, want 5", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_ = o.Close(ctx)
}

// newTestOutbox returns an Outbox with millisecond retries whose log is returned, and
// closes it when the test ends.
func newTestOutbox(t *testing.T, sender Sender) (*Outbox, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	o := NewOutbox(sender, slog.New(slog.NewTextHandler(logs, nil)))
	o.SetRetryDelays([]time.Duration{time.Millisecond, 10 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = o.Close(ctx)
	})
	return o, logs
}

// checkLogPrivacy fails if the log holds a full recipient address or a body.
func checkLogPrivacy(t *testing.T, logs string) {
	t.Helper()
	for _, secret := range []string{"bob@client.example", testLink} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "recipient_domain=client.example") {
		t.Errorf("log does not name the recipient domain:\n%s", logs)
	}
}

// waitFor polls cond for up to 20 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// startOnFailure wraps a Sender and calls start once, after the first failed attempt.
type startOnFailure struct {
	Sender
	start func()

	mu    sync.Mutex
	tries int
}

func (s *startOnFailure) Send(ctx context.Context, m Message) error {
	err := s.Sender.Send(ctx, m)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries++
	if err != nil && s.start != nil {
		s.start()
		s.start = nil
	}
	return err
}

func (s *startOnFailure) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// fakeSender records attempts; it fails with err, fails the first failFirst attempts, or
// blocks until its context is done.
type fakeSender struct {
	err       error
	failFirst int
	block     bool

	mu    sync.Mutex
	tries int
	sent  []string
}

func (f *fakeSender) Send(ctx context.Context, m Message) error {
	f.mu.Lock()
	f.tries++
	tries := f.tries
	f.mu.Unlock()

	switch {
	case f.block:
		<-ctx.Done()
		return ctx.Err()
	case f.err != nil:
		return f.err
	case tries <= f.failFirst:
		return errors.New("450 mailbox busy")
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m.To)
	return nil
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tries
}

func (f *fakeSender) delivered() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

// syncBuffer is a bytes.Buffer safe for the Outbox's goroutine and the test to share.
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
