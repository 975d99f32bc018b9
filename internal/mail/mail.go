// Package mail owns Portico's outgoing email: the message type, the Sender contract, an SMTP
// sender, a background Outbox that retries failed deliveries, and the templates for invites
// and password resets.
//
// When no mail server is configured Portico has no Sender at all; callers then show the
// link in the app instead of mailing it. Nothing in this package logs message bodies,
// because they carry one-time links.
package mail

import (
	"context"
	"errors"
	"strings"
)

// Message is one email to one recipient. Text is required; HTML is optional and, when set,
// is sent as an alternative to Text.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Sender delivers messages.
//
// Send makes one delivery attempt and returns once the message was accepted by the next
// hop (nil) or the attempt failed. It must honour ctx: when ctx is done it gives up and
// returns an error. An error that wraps ErrPermanent means that trying the same message
// again cannot succeed (for example an invalid or rejected recipient); any other error may
// be temporary. Errors must not contain credentials or the message body. Implementations
// must be safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a delivery failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent mail failure")

// recipientDomain returns the part of an address after the last "@", which is all of a
// recipient that Portico logs.
func recipientDomain(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	return strings.TrimRight(addr[at+1:], ">")
}
