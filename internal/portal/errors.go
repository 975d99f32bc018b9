package portal

import (
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"portico/internal/domain"
	"portico/internal/web"
)

// problem is the content of an error page. Error pages never echo the path or an ID, so a
// hidden object's page is byte for byte the page of a missing one.
type problem struct {
	Heading string
	Message string
}

// notFoundPage is the page of missing and hidden objects alike.
var notFoundPage = problem{Heading: "Page not found",
	Message: "This page does not exist, or it is not shared with you."}

// notFound answers 404 for missing and hidden objects alike.
func (p *Portal) notFound(w http.ResponseWriter, _ *http.Request) {
	p.problem(w, http.StatusNotFound, notFoundPage.Heading, notFoundPage.Message)
}

// invalidLink answers unknown, used, replaced and expired links with one page.
func (p *Portal) invalidLink(w http.ResponseWriter) {
	p.problem(w, http.StatusGone, "Invalid or expired link",
		"This link is invalid or has expired. Ask your contact for a new invite, or request "+
			"a new password reset link.")
}

// crossOrigin refuses a form post sent from another site.
func (p *Portal) crossOrigin(w http.ResponseWriter, _ *http.Request) {
	p.problem(w, http.StatusForbidden, "Request refused",
		"This form was sent from another site, so it was refused. Open the portal and try again.")
}

// fail answers a service error with the page for its status; unexpected errors are logged
// and shown as a generic failure.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := web.Status(err)
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		status = http.StatusRequestEntityTooLarge
	}

	switch status {
	case http.StatusNotFound:
		p.notFound(w, r)
	case http.StatusForbidden:
		p.problem(w, status, "Not allowed", "You cannot make this change.")
	case http.StatusRequestEntityTooLarge:
		p.problem(w, status, "Too large", "That was more than the portal accepts at once. "+
			"Files may be up to "+formatSize(p.svc.Config().MaxUpload)+" each.")
	case http.StatusGone:
		p.invalidLink(w)
	case http.StatusBadRequest:
		p.problem(w, status, "Please check your input", userMessage(err))
	default:
		p.log.Error("portal request failed", "path", logPath(r.URL.Path), "error", err)
		p.problem(w, http.StatusInternalServerError, "Something went wrong",
			"The request could not be completed. Please try again in a moment.")
	}
}

// logPath is a request path fit for the log: the secret of an invite or reset link is
// left out.
func logPath(path string) string {
	for _, prefix := range []string{"/invite/", "/reset/"} {
		if strings.HasPrefix(path, prefix) {
			return prefix + "…"
		}
	}
	return path
}

func (p *Portal) problem(w http.ResponseWriter, status int, heading, message string) {
	p.render(w, status, "problem", view{Title: heading,
		Data: problem{Heading: heading, Message: message}})
}

// subjects name input fields in messages, for validation messages that start with a verb.
var subjects = map[string]string{
	"body":             "the comment",
	"email":            "the email address",
	"password":         "the password",
	"new_password":     "the new password",
	"current_password": "that",
}

// userMessage turns a validation error into a sentence a person can act on; other errors
// get a neutral sentence, since their detail belongs in the log.
func userMessage(err error) string {
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) {
		return "The request was not valid."
	}

	msg := invalid.Message
	subject, ok := subjects[invalid.Field]
	if ok && !strings.HasPrefix(msg, subject[strings.LastIndexByte(subject, ' ')+1:]) {
		msg = subject + " " + msg
	}

	return sentence(msg)
}

// sentence capitalizes msg and ends it with a full stop.
func sentence(msg string) string {
	r, size := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[size:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}

	return msg
}
