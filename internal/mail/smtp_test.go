package mail

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"
)

const (
	testFrom = "Acme Agency <noreply@acme.example>"
	testLink = "https://portal.acme.example/invite/Zm9vYmFyYmF6"
)

func TestNewSMTPRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name, url, from string
		timeout         time.Duration
		want            string
	}{
		{"empty URL", "", testFrom, 0, "must start with smtp://"},
		{"other scheme", "http://u:s3cret@mail.example", testFrom, 0, "must start with smtp://"},
		{"no slashes", "smtp:u:s3cret@mail.example", testFrom, 0, "must start with smtp://"},
		{"no host", "smtp://u:s3cret@", testFrom, 0, "no host"},
		{"port zero", "smtp://u:s3cret@mail.example:0", testFrom, 0, "port"},
		{"port too big", "smtps://u:s3cret@mail.example:70000", testFrom, 0, "port"},
		{"bad escape", "smtp://u:s3cret%zz@mail.example", testFrom, 0, "cannot be parsed"},
		{"password without user", "smtp://:s3cret@mail.example", testFrom, 0, "no user"},
		{"path", "smtp://u:s3cret@mail.example/inbox", testFrom, 0, "must not have a path"},
		{"query", "smtp://u:s3cret@mail.example?tls=no", testFrom, 0, "must not have a path"},
		{"missing from", "smtp://u:s3cret@mail.example", " ", 0, "from address is missing"},
		{"bad from", "smtp://u:s3cret@mail.example", "not an address", 0, "from address"},
		{"negative timeout", "smtp://u:s3cret@mail.example", testFrom, -time.Second, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSMTP(tt.url, tt.from, Options{Timeout: tt.timeout})
			if err == nil {
				t.Fatal("NewSMTP succeeded, want an error")
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error %q does not wrap ErrInvalidConfig", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestNewSMTPParsesURL(t *testing.T) {
	tests := []struct {
		url      string
		want     serverConfig
		redacted string
		policy   gomail.TLSPolicy
	}{
		{
			url:      "smtp://mail.example",
			want:     serverConfig{host: "mail.example", port: 587},
			redacted: "smtp://mail.example:587",
			policy:   gomail.TLSMandatory,
		},
		{
			url:      "smtps://mail.example",
			want:     serverConfig{host: "mail.example", port: 465, implicitTLS: true},
			redacted: "smtps://mail.example:465",
		},
		{
			url: "smtp://ann%40acme.example:p%40ss%3Aw%2Frd@mail.example:2525",
			want: serverConfig{host: "mail.example", port: 2525,
				user: "ann@acme.example", password: "p@ss:w/rd"},
			redacted: "smtp://ann%40acme.example:xxxxx@mail.example:2525",
			policy:   gomail.TLSMandatory,
		},
		{
			url:      "smtp://relay@127.0.0.1:25",
			want:     serverConfig{host: "127.0.0.1", port: 25, user: "relay"},
			redacted: "smtp://relay@127.0.0.1:25",
			policy:   gomail.TLSOpportunistic,
		},
		{
			url:      "smtp://[::1]:25/",
			want:     serverConfig{host: "::1", port: 25},
			redacted: "smtp://[::1]:25",
			policy:   gomail.TLSOpportunistic,
		},
		{
			url:      "smtp://LocalHost",
			want:     serverConfig{host: "LocalHost", port: 587},
			redacted: "smtp://LocalHost:587",
			policy:   gomail.TLSOpportunistic,
		},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := NewSMTP(tt.url, testFrom, Options{})
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			if s.server != tt.want {
				t.Errorf("parsed %+v, want %+v", s.server, tt.want)
			}
			if got := s.String(); got != tt.redacted {
				t.Errorf("String() = %q, want %q", got, tt.redacted)
			}
			if !tt.want.implicitTLS && s.server.startTLSPolicy() != tt.policy {
				t.Errorf("STARTTLS policy %v, want %v", s.server.startTLSPolicy(), tt.policy)
			}
		})
	}
}

func TestSendPlainLoopbackWithAuth(t *testing.T) {
	b := &testBackend{user: "ann", password: "p@ss word"}
	addr := startServer(t, b, plainServer, tls.Certificate{})
	s := newTestSMTP(t, "smtp://ann:p%40ss%20word@"+addr, Options{})

	m := Invite("Bob <bob@client.example>", testLink, "Acme", "Website", time.Now().Add(time.Hour))
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	d := onlyDelivery(t, b)
	if d.User != "ann" || d.TLS {
		t.Errorf("delivery user %q, TLS %v; want ann without TLS", d.User, d.TLS)
	}
	checkDelivery(t, d, "bob@client.example", m)
}

func TestSendSTARTTLS(t *testing.T) {
	cert, roots := testCA(t)
	b := &testBackend{user: "ann", password: "secret-pw"}
	addr := startServer(t, b, startTLSServer, cert)
	url := "smtp://ann:secret-pw@" + addr

	t.Run("trusted certificate", func(t *testing.T) {
		s := newTestSMTP(t, url, Options{RootCAs: roots})
		m := PasswordReset("ann@client.example", testLink, "Acme", time.Now().Add(time.Hour))
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
		d := onlyDelivery(t, b)
		if !d.TLS || d.User != "ann" {
			t.Errorf("delivery user %q, TLS %v; want ann over TLS", d.User, d.TLS)
		}
		checkDelivery(t, d, "ann@client.example", m)
	})

	t.Run("untrusted certificate", func(t *testing.T) {
		s := newTestSMTP(t, url, Options{})
		m := PasswordReset("ann@client.example", testLink, "Acme", time.Now().Add(time.Hour))
		err := s.Send(context.Background(), m)
		if err == nil {
			t.Fatal("Send succeeded with a certificate from an unknown authority")
		}
		t.Logf("error: %v", err)
		if strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("error %q reveals the password", err)
		}
	})
}

func TestSendImplicitTLS(t *testing.T) {
	cert, roots := testCA(t)
	b := &testBackend{user: "ann", password: "secret-pw"}
	addr := startServer(t, b, implicitServer, cert)
	s := newTestSMTP(t, "smtps://ann:secret-pw@"+addr, Options{RootCAs: roots})

	m := StaffInvite("carl@acme.example", testLink, "Acme", time.Now().Add(time.Hour))
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	d := onlyDelivery(t, b)
	if !d.TLS {
		t.Error("delivery was not over TLS")
	}
	checkDelivery(t, d, "carl@acme.example", m)
}

func TestSendWithoutAuth(t *testing.T) {
	b := &testBackend{}
	addr := startServer(t, b, plainServer, tls.Certificate{})
	s := newTestSMTP(t, "smtp://"+addr, Options{})

	m := Message{To: "dee@client.example", Subject: "Hello", Text: "Plain text only " + testLink}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	checkDelivery(t, onlyDelivery(t, b), "dee@client.example", m)
}

func TestSendIPv6Loopback(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	b := &testBackend{user: "ann", password: "pw"}
	serve(t, b, plainServer, tls.Certificate{}, ln)
	s := newTestSMTP(t, "smtp://ann:pw@"+ln.Addr().String(), Options{})

	m := Message{To: "dee@client.example", Subject: "Hello", Text: "Hello over IPv6"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	checkDelivery(t, onlyDelivery(t, b), "dee@client.example", m)
}

func TestSendWrongPasswordIsRedacted(t *testing.T) {
	// The server echoes what it got, as a careless server might; the error must still
	// not carry the password.
	const password = "hunter2-Wrong"
	b := &testBackend{user: "ann", password: "right",
		authError: &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8},
			Message: "bad credentials ann/" + password}}
	addr := startServer(t, b, plainServer, tls.Certificate{})
	s := newTestSMTP(t, "smtp://ann:"+password+"@"+addr, Options{})

	err := s.Send(context.Background(), Invite("bob@client.example", testLink, "Acme",
		"Website", time.Now()))
	if err == nil {
		t.Fatal("Send succeeded with a wrong password")
	}
	t.Logf("error: %v", err)
	if strings.Contains(err.Error(), password) {
		t.Errorf("error %q reveals the password", err)
	}
	if !strings.Contains(err.Error(), "535") {
		t.Errorf("error %q does not carry the server's reply", err)
	}
	if errors.Is(err, ErrPermanent) {
		t.Errorf("error %q is permanent; a fixed password should be retried", err)
	}
	if len(b.received()) != 0 {
		t.Error("server received mail despite failed authentication")
	}
}

func TestSendPermanentFailures(t *testing.T) {
	b := &testBackend{reject: map[string]bool{"gone@client.example": true}}
	addr := startServer(t, b, plainServer, tls.Certificate{})
	s := newTestSMTP(t, "smtp://"+addr, Options{})

	tests := []struct {
		name string
		msg  Message
	}{
		{"rejected recipient", Message{To: "gone@client.example", Subject: "x", Text: "x"}},
		{"invalid recipient", Message{To: "not an address", Subject: "x", Text: "x"}},
		{"no text", Message{To: "bob@client.example", Subject: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Send(context.Background(), tt.msg)
			if !errors.Is(err, ErrPermanent) {
				t.Fatalf("Send error %v, want one wrapping ErrPermanent", err)
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), "gone@client.example") {
				t.Errorf("error %q contains the full recipient address", err)
			}
		})
	}
}

func TestSendHonoursContext(t *testing.T) {
	// A server that accepts connections and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		var conns []net.Conn
		for {
			conn, err := ln.Accept()
			if err != nil {
				break
			}
			conns = append(conns, conn)
		}
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-accepted
	})

	s := newTestSMTP(t, "smtp://"+ln.Addr().String(), Options{Timeout: 10 * time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()

	err = s.Send(ctx, Message{To: "bob@client.example", Subject: "x", Text: "x"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send error %v, want one wrapping context.DeadlineExceeded", err)
	}
}

// newTestSMTP returns a sender for url from testFrom.
func newTestSMTP(t *testing.T, url string, opts Options) *SMTP {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = time.Minute
	}
	s, err := NewSMTP(url, testFrom, opts)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return s
}

// onlyDelivery returns the single message the server received.
func onlyDelivery(t *testing.T, b *testBackend) delivery {
	t.Helper()
	got := b.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	return got[0]
}

// checkDelivery checks the envelope, headers and body parts of d against m.
func checkDelivery(t *testing.T, d delivery, rcpt string, m Message) {
	t.Helper()
	if d.From != "noreply@acme.example" || len(d.To) != 1 || d.To[0] != rcpt {
		t.Errorf("envelope from %q to %q, want noreply@acme.example to %q", d.From, d.To, rcpt)
	}

	parsed, err := netmail.ReadMessage(strings.NewReader(string(d.Data)))
	if err != nil {
		t.Fatalf("parse received message: %v", err)
	}
	checkAddressHeader(t, parsed.Header, "From", "noreply@acme.example")
	checkAddressHeader(t, parsed.Header, "To", rcpt)
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject %q (%v), want %q", subject, err, m.Subject)
	}

	parts := bodyParts(t, parsed)
	if !strings.Contains(parts["text/plain"], strings.TrimSpace(m.Text)) {
		t.Errorf("text/plain part %q does not hold the text", parts["text/plain"])
	}
	if m.HTML == "" {
		return
	}
	for _, kind := range []string{"text/plain", "text/html"} {
		if !strings.Contains(parts[kind], testLink) {
			t.Errorf("%s part does not contain the link:\n%s", kind, parts[kind])
		}
	}
}

// checkAddressHeader checks that header name holds exactly the address want.
func checkAddressHeader(t *testing.T, h netmail.Header, name, want string) {
	t.Helper()
	addrs, err := h.AddressList(name)
	if err != nil || len(addrs) != 1 || addrs[0].Address != want {
		t.Errorf("%s header %q (%v), want %s", name, h.Get(name), err, want)
	}
}

// bodyParts returns the decoded text parts of msg by media type.
func bodyParts(t *testing.T, msg *netmail.Message) map[string]string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		body := decodePart(t, msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		return map[string]string{mediaType: body}
	}

	parts := make(map[string]string)
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		partType, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts[partType] = decodePart(t, p, p.Header.Get("Content-Transfer-Encoding"))
	}
}

// decodePart reads r, undoing base64 (multipart.Reader already undoes quoted-printable)
// and the wire's CRLF line ends.
func decodePart(t *testing.T, r io.Reader, encoding string) string {
	t.Helper()
	if strings.EqualFold(encoding, "base64") {
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
