package portal

import (
	"errors"
	"testing"

	"portico/internal/domain"
)

func TestLogPathHidesLinkSecrets(t *testing.T) {
	cases := map[string]string{
		"/invite/abc123secret":          "/invite/…",
		"/reset/abc123secret":           "/reset/…",
		"/t/01ARZ3NDEKTSV4RRFFQ69G5FAV": "/t/01ARZ3NDEKTSV4RRFFQ69G5FAV",
	}
	for path, want := range cases {
		if got := logPath(path); got != want {
			t.Errorf("logPath(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestUserMessage(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{domain.Invalid("body", "must not be empty"), "The comment must not be empty."},
		{domain.Invalid("password", "password must be at least 10 characters long"),
			"Password must be at least 10 characters long."},
		{domain.Invalid("current_password", "is not your current password"),
			"That is not your current password."},
		{domain.Invalid("file", "choose a file to upload"), "Choose a file to upload."},
		{errors.New("disk on fire"), "The request was not valid."},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := userMessage(tc.err); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
