package mail

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed templates/letter.html
var letterHTML string

// letterTemplate lays out every mail Portico sends; html/template escapes names and links.
var letterTemplate = template.Must(template.New("letter").Parse(letterHTML))

// expiryLayout names the day and the time zone, since recipients live anywhere.
const expiryLayout = "Monday, 2 January 2006 at 15:04 MST"

// letter is the content of one mail, rendered both as plain text and as HTML.
type letter struct {
	Agency     string
	Heading    string
	Paragraphs []string
	Button     string
	Link       string
	Expires    string
	Ignore     string
}

// Invite is the mail that invites a client to a project's portal.
func Invite(to, link, agencyName, projectName string, expires time.Time) Message {
	agency := agencyOrDefault(agencyName)
	l := letter{
		Agency:  agency,
		Heading: fmt.Sprintf("You're invited to %s", projectName),
		Paragraphs: []string{
			fmt.Sprintf("%s has invited you to the project “%s” in their client portal. "+
				"There you can follow progress, complete the tasks assigned to you, "+
				"share files and leave comments.", agency, projectName),
			"Open the link below and choose a password to get started.",
		},
		Button:  "Accept invitation",
		Link:    link,
		Expires: expiryNote(expires),
		Ignore: "If you were not expecting this invitation, you can ignore this email. " +
			"Nothing happens unless the link is used.",
	}
	return l.message(to, fmt.Sprintf("%s invited you to %s", agency, projectName))
}

// StaffInvite is the mail that invites a team member to join the agency's staff.
func StaffInvite(to, link, agencyName string, expires time.Time) Message {
	agency := agencyOrDefault(agencyName)
	l := letter{
		Agency:  agency,
		Heading: fmt.Sprintf("Join the %s team", agency),
		Paragraphs: []string{
			fmt.Sprintf("You have been invited to join the %s team in Portico, where the "+
				"team plans projects and works with its clients.", agency),
			"Open the link below and choose a password to set up your account.",
		},
		Button:  "Join the team",
		Link:    link,
		Expires: expiryNote(expires),
		Ignore: "If you were not expecting this invitation, you can ignore this email. " +
			"Nothing happens unless the link is used.",
	}
	return l.message(to, fmt.Sprintf("You're invited to join %s", agency))
}

// PasswordReset is the mail with a link to choose a new password.
func PasswordReset(to, link, agencyName string, expires time.Time) Message {
	agency := agencyOrDefault(agencyName)
	l := letter{
		Agency:  agency,
		Heading: "Reset your password",
		Paragraphs: []string{
			fmt.Sprintf("Someone asked to reset the password of your %s account. "+
				"If it was you, open the link below to choose a new password.", agency),
		},
		Button:  "Choose a new password",
		Link:    link,
		Expires: expiryNote(expires),
		Ignore: "If you did not ask for this, you can ignore this email. " +
			"Your password stays the same unless the link is used.",
	}
	return l.message(to, fmt.Sprintf("Reset your %s password", agency))
}

// message renders l for to. If the HTML form cannot be rendered the mail goes out as text
// only, which still carries everything.
func (l letter) message(to, subject string) Message {
	m := Message{To: to, Subject: subject, Text: l.text()}
	var b bytes.Buffer
	if err := letterTemplate.Execute(&b, l); err == nil {
		m.HTML = b.String()
	}
	return m
}

// text renders the plain-text form of l.
func (l letter) text() string {
	var b strings.Builder
	b.WriteString(l.Heading + "\n\n")
	for _, p := range l.Paragraphs {
		b.WriteString(wrap(p) + "\n\n")
	}
	b.WriteString(l.Button + ":\n" + l.Link + "\n\n")
	b.WriteString(wrap(l.Expires) + "\n\n")
	b.WriteString(wrap(l.Ignore) + "\n\n")
	b.WriteString("-- \n" + l.Agency + "\n")
	return b.String()
}

// textWidth is where plain-text paragraphs wrap, as mail clients expect.
const textWidth = 72

// wrap breaks s into lines of at most textWidth characters at spaces; a longer word stays
// whole on its own line.
func wrap(s string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case line+1+n > textWidth:
			b.WriteByte('\n')
			line = 0
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}

// expiryNote says when a one-time link stops working.
func expiryNote(expires time.Time) string {
	return "The link works once and expires on " + expires.UTC().Format(expiryLayout) + "."
}

// agencyOrDefault names the sender in mails when the agency has not set its name yet.
func agencyOrDefault(name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return "Portico"
}
