package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/internal/auth"
	"portico/internal/service"
)

// TestSignIn covers the sign-in form's answers and where it leads.
func TestSignIn(t *testing.T) {
	w := newWorld(t, service.Config{})
	anon := w.browser(t, "")
	cases := []struct {
		name     string
		email    string
		password string
		next     string
		status   int
		location string
	}{
		{"right password", memberEmail, clientPass, "", http.StatusSeeOther, "/"},
		{"mixed-case email", strings.ToUpper(memberEmail), clientPass, "", http.StatusSeeOther, "/"},
		{"back to the page asked for", memberEmail, clientPass, "/t/" + string(w.tShared),
			http.StatusSeeOther, "/t/" + string(w.tShared)},
		{"no redirect to another site", memberEmail, clientPass, "//evil.example/x",
			http.StatusSeeOther, "/"},
		{"no redirect to an absolute URL", memberEmail, clientPass, "https://evil.example/",
			http.StatusSeeOther, "/"},
		{"wrong password", memberEmail, "not the password", "", http.StatusUnauthorized, ""},
		{"unknown email", "nobody@client.test", clientPass, "", http.StatusUnauthorized, ""},
		{"malformed email", "not an email", clientPass, "", http.StatusUnauthorized, ""},
		{"staff account", ownerEmail, ownerPassword, "", http.StatusUnauthorized, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := anon.postForm("/signin", url.Values{"email": {tc.email},
				"password": {tc.password}, "next": {tc.next}})
			if res.status != tc.status {
				t.Fatalf("status %d, want %d", res.status, tc.status)
			}
			if tc.status == http.StatusSeeOther {
				if got := res.header.Get("Location"); got != tc.location {
					t.Errorf("went to %q, want %q", got, tc.location)
				}
				sessionCookie(t, res)
				return
			}
			if !strings.Contains(res.body, "Wrong email or password.") {
				t.Error("the answer does not say \"Wrong email or password.\"")
			}
		})
	}
}

// TestSignInSameAnswer checks that an unknown email and a wrong password are answered
// alike, and that failed sign-ins are logged with the address but not the password.
func TestSignInSameAnswer(t *testing.T) {
	w := newWorld(t, service.Config{})
	anon := w.browser(t, "")
	const guess = "guess-one-two-three"
	wrong := anon.postForm("/signin", url.Values{"email": {memberEmail}, "password": {guess}})
	unknown := anon.postForm("/signin", url.Values{"email": {"nobody@client.test"}, "password": {guess}})
	a := strings.ReplaceAll(wrong.body, memberEmail, "EMAIL")
	b := strings.ReplaceAll(unknown.body, "nobody@client.test", "EMAIL")
	if wrong.status != unknown.status || a != b {
		t.Errorf("wrong password (%d) and unknown email (%d) are answered differently",
			wrong.status, unknown.status)
	}
	logs := w.logs.String()
	if !strings.Contains(logs, "failed sign-in") || !strings.Contains(logs, "remote_addr=127.0.0.1") {
		t.Errorf("failed sign-ins are not logged with the address:\n%s", logs)
	}
	if strings.Contains(logs, "guess-one-two-three") {
		t.Error("the log contains a password")
	}
}

// TestSignInRateLimit checks the per-account and per-address limits: once spent, even
// the right password is refused.
func TestSignInRateLimit(t *testing.T) {
	cases := []struct {
		name  string
		email func(i int) string
		burst int
	}{
		{"per account", func(int) string { return memberEmail }, auth.AccountBurst},
		{"per address", func(i int) string {
			return fmt.Sprintf("guess%d@client.test", i)
		}, auth.AddressBurst},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, service.Config{})
			anon := w.browser(t, "")
			for i := range tc.burst {
				form := url.Values{"email": {tc.email(i)}, "password": {"wrong password"}}
				res := anon.postForm("/signin", form)
				if res.status != http.StatusUnauthorized {
					t.Fatalf("attempt %d: status %d, want 401", i+1, res.status)
				}
			}
			res := anon.postForm("/signin", url.Values{"email": {memberEmail}, "password": {clientPass}})
			if res.status != http.StatusTooManyRequests {
				t.Fatalf("after %d attempts: status %d, want 429", tc.burst, res.status)
			}
			if !strings.Contains(w.logs.String(), "sign-in rate limited") {
				t.Error("rate limiting is not logged")
			}
		})
	}
}

// TestSignOut ends the session: the old cookie no longer opens any page.
func TestSignOut(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	res := member.get("/signin")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
		t.Errorf("sign-in page while signed in: status %d to %q", res.status, res.header.Get("Location"))
	}
	res = member.postForm("/signout", nil)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
		t.Fatalf("sign out: status %d to %q", res.status, res.header.Get("Location"))
	}
	if res := member.get("/"); res.status != http.StatusSeeOther {
		t.Errorf("home after sign-out: status %d, want 303", res.status)
	}
}

// TestAccount changes the password and signs out other sessions.
func TestAccount(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	second, _, err := w.svc.SignIn("client", memberEmail, clientPass)
	if err != nil {
		t.Fatal(err)
	}
	const next = "a brand new password"
	cases := []struct {
		name                   string
		current, fresh, repeat string
		status                 int
		says                   string
	}{
		{"wrong current password", "not it at all", next, next, http.StatusBadRequest,
			"That is not your current password."},
		{"mismatch", clientPass, next, "something else", http.StatusBadRequest, "do not match"},
		{"too short", clientPass, "short", "short", http.StatusBadRequest, "at least 10"},
		{"changed", clientPass, next, next, http.StatusSeeOther, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := member.postForm("/account/password", url.Values{"current_password": {tc.current},
				"new_password": {tc.fresh}, "confirm": {tc.repeat}})
			if res.status != tc.status || !strings.Contains(res.body, tc.says) {
				t.Fatalf("status %d, want %d saying %q", res.status, tc.status, tc.says)
			}
		})
	}
	if res := w.browser(t, second).get("/"); res.status != http.StatusSeeOther {
		t.Errorf("the other session survived the password change (status %d)", res.status)
	}
	if res := member.get("/account?done=password"); res.status != http.StatusOK ||
		!strings.Contains(res.body, "Your password was changed") {
		t.Errorf("account page after change: status %d", res.status)
	}
	third, _, err := w.svc.SignIn("client", memberEmail, next)
	if err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	if res := member.postForm("/account/sessions", nil); res.status != http.StatusSeeOther {
		t.Fatalf("sign out others: status %d", res.status)
	}
	if res := w.browser(t, third).get("/"); res.status != http.StatusSeeOther {
		t.Errorf("another session survived (status %d)", res.status)
	}
	if res := member.get("/"); res.status != http.StatusOK {
		t.Errorf("this session ended too (status %d)", res.status)
	}
}
