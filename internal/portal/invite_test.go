package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/internal/service"
	"portico/internal/web"
)

// TestInviteLink follows an invite link through its life: GET does not use it, POST
// does, and a used, replaced, expired or unknown link gets one and the same page.
func TestInviteLink(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, "")
	invalid := b.get("/invite/unknown-token-that-was-never-issued")
	if invalid.status != http.StatusGone {
		t.Fatalf("unknown link: status %d, want 410", invalid.status)
	}

	_, token := w.invite(t, w.alpha, "nina.new@client.test", "Nina New")
	for range 3 {
		res := b.get("/invite/" + token)
		if res.status != http.StatusOK || !strings.Contains(res.body, `name="password"`) {
			t.Fatalf("GET invite: status %d, want the set-password form", res.status)
		}
		if strings.Contains(res.body, token) {
			t.Error("the set-password page repeats the link's secret")
		}
	}

	mismatch := b.postForm("/invite/"+token, url.Values{"password": {clientPass}, "confirm": {"other"}})
	if mismatch.status != http.StatusBadRequest || !strings.Contains(mismatch.body, "do not match") {
		t.Fatalf("mismatched passwords: status %d", mismatch.status)
	}
	short := b.postForm("/invite/"+token, url.Values{"password": {"short"}, "confirm": {"short"}})
	if short.status != http.StatusBadRequest || !strings.Contains(short.body, "at least 10") {
		t.Fatalf("short password: status %d", short.status)
	}

	res := b.postForm("/invite/"+token, url.Values{"password": {clientPass}, "confirm": {clientPass}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
		t.Fatalf("POST invite: status %d to %q, want 303 to /", res.status, res.header.Get("Location"))
	}
	session := sessionCookie(t, res)
	if home := w.browser(t, session).get("/"); !strings.Contains(home.body, alphaProject) {
		t.Errorf("after accepting, the home page does not list the project (status %d)", home.status)
	}

	checkInvalid(t, b, "used link, GET", "/invite/"+token, invalid.body)
	reused := b.postForm("/invite/"+token, url.Values{"password": {clientPass}, "confirm": {clientPass}})
	checkSame(t, "used link, POST", reused, invalid.body)

	ritaID, old := w.invite(t, w.beta, "rita.reissued@client.test", "Rita")
	reissued, err := w.svc.ReissueInvite(w.ownerID, w.beta, ritaID)
	if err != nil {
		t.Fatal(err)
	}
	checkInvalid(t, b, "replaced link", "/invite/"+old, invalid.body)
	if res := b.get("/invite/" + lastSegment(reissued.Link)); res.status != http.StatusOK {
		t.Errorf("reissued link: status %d, want 200", res.status)
	}
}

// TestInviteExpired checks that an expired link gets the same page as an unknown one.
func TestInviteExpired(t *testing.T) {
	w := newWorld(t, service.Config{InviteTTL: 50 * time.Millisecond})
	b := w.browser(t, "")
	invalid := b.get("/invite/unknown-token-that-was-never-issued")
	_, token := w.invite(t, w.alpha, "late.larry@client.test", "Larry")
	time.Sleep(100 * time.Millisecond)
	checkInvalid(t, b, "expired link", "/invite/"+token, invalid.body)
	res := b.postForm("/invite/"+token, url.Values{"password": {clientPass}, "confirm": {clientPass}})
	checkSame(t, "expired link, POST", res, invalid.body)
}

// TestResetLink sends a reset through the forgot page and redeems it like an invite.
func TestResetLink(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, "")
	known := b.postForm("/forgot", url.Values{"email": {memberEmail}})
	unknown := b.postForm("/forgot", url.Values{"email": {"nobody@client.test"}})
	if known.status != http.StatusOK || known.body != unknown.body {
		t.Errorf("forgot: known and unknown addresses get different answers (%d, %d)",
			known.status, unknown.status)
	}
	invalid := b.get("/reset/unknown-token")
	if invalid.status != http.StatusGone || !strings.Contains(invalid.body, "Invalid or expired link") {
		t.Errorf("unknown reset link: status %d", invalid.status)
	}
	invite := b.get("/invite/unknown-token")
	if invite.body != invalid.body {
		t.Error("unknown invite and reset links get different pages")
	}
}

func checkInvalid(t *testing.T, b *browser, what, path, want string) {
	t.Helper()
	checkSame(t, what, b.get(path), want)
}

func checkSame(t *testing.T, what string, res *response, want string) {
	t.Helper()
	if res.status != http.StatusGone {
		t.Errorf("%s: status %d, want 410", what, res.status)
	}
	if res.body != want {
		t.Errorf("%s: page differs from the unknown link's page", what)
	}
}

func sessionCookie(t *testing.T, res *response) string {
	t.Helper()
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == web.ClientCookie && c.Value != "" {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie is not Secure, HttpOnly and SameSite=Lax: %+v", c)
			}
			return c.Value
		}
	}
	t.Fatal("no session cookie set")
	return ""
}
