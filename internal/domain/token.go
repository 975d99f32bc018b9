package domain

import "time"

// TokenPurpose says what a one-time link does.
type TokenPurpose string

// Token purposes.
const (
	PurposeInvite TokenPurpose = "invite"
	PurposeReset  TokenPurpose = "reset"
	PurposeSetup  TokenPurpose = "setup"
)

// Token is a one-time link, stored under the SHA-256 of its secret; the secret itself is
// never stored.
type Token struct {
	Purpose  TokenPurpose `json:"purpose"`
	User     Actor        `json:"user"`
	Created  time.Time    `json:"created"`
	Expires  time.Time    `json:"expires"`
	Used     bool         `json:"used,omitempty"`
	Replaced bool         `json:"replaced,omitempty"`
}

// Usable reports whether the token may still be redeemed at now.
func (t Token) Usable(now time.Time) bool {
	return !t.Used && !t.Replaced && now.Before(t.Expires)
}

// Session is a signed-in browser or API client, stored under the SHA-256 of its secret.
type Session struct {
	User     Actor     `json:"user"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	LastSeen time.Time `json:"last_seen"`
}
