package mail

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// buildMsg turns m into a go-mail message from s.from. Its errors concern m itself, so
// retrying cannot fix them.
func (s *SMTP) buildMsg(m Message) (*gomail.Msg, error) {
	to, err := parseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, errors.New("message has no text")
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(to.String()); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}

	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(newMessageID(s.domain))
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// oneLine replaces control characters, line breaks included, with spaces so that a subject
// taken from user input cannot add headers.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// newMessageID returns a random Message-ID value in the sender's domain; mail filters
// trust that more than the machine's host name.
func newMessageID(domain string) string {
	if domain == "" {
		domain = "localhost"
	}
	return rand.Text() + "@" + domain
}
