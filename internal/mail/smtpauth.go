package mail

import (
	"errors"
	"slices"

	"github.com/wneessen/go-mail/smtp"
)

// errNoAuthMechanism reports a server that offers neither PLAIN nor LOGIN.
var errNoAuthMechanism = errors.New("server offers neither PLAIN nor LOGIN authentication")

// passwordAuth authenticates with PLAIN, or with LOGIN when the server offers only that
// (as some hosted Exchange servers do). It refuses to send the password over an
// unencrypted connection unless plaintext is set, which NewSMTP does for loopback hosts
// only. One value serves one connection.
type passwordAuth struct {
	user      string
	password  string
	host      string
	plaintext bool
	chosen    smtp.Auth
}

// Start picks the mechanism from the ones the server advertised and begins with it.
func (a *passwordAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	switch {
	case slices.Contains(server.Auth, "PLAIN"):
		a.chosen = smtp.PlainAuth("", a.user, a.password, a.host, a.plaintext)
	case slices.Contains(server.Auth, "LOGIN"):
		a.chosen = smtp.LoginAuth(a.user, a.password, a.host, a.plaintext)
	default:
		return "", nil, errNoAuthMechanism
	}
	return a.chosen.Start(server)
}

// Next continues the mechanism chosen by Start.
func (a *passwordAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if a.chosen == nil {
		return nil, errNoAuthMechanism
	}
	return a.chosen.Next(fromServer, more)
}
