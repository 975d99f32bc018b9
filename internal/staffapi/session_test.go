package staffapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"portico/internal/web"
)

func signInBody(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

func TestSignInDoesNotSayWhichPartIsWrong(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, email, password string
	}{
		{"wrong password", "owner@agency.test", "not the password"},
		{"unknown email", "nobody@agency.test", testPassword},
		{"malformed email", "not an email", testPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.call(nil, "POST", "/api/v1/session", signInBody(tt.email, tt.password))
			if status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", status, body)
			}
			if !strings.Contains(body, `"wrong email or password"`) {
				t.Errorf("body %s does not give the one shared message", body)
			}
		})
	}
	if logs := h.logs.String(); strings.Contains(logs, "not the password") {
		t.Errorf("a password reached the log: %s", logs)
	}
}

func TestSignInCookieAndSignOut(t *testing.T) {
	h := newHarness(t)
	jar, _ := cookiejar.New(nil)
	client := h.srv.Client()
	client.Jar = jar

	resp := post(t, client, h.srv.URL+"/api/v1/session", signInBody("owner@agency.test", testPassword))
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"token"`) {
		t.Fatalf("sign-in: %d %s", resp.StatusCode, body)
	}
	cookie := findCookie(resp, web.StaffCookie)
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v is not Secure, HttpOnly and SameSite=Lax", cookie)
	}
	if strings.Contains(body, "password_hash") {
		t.Errorf("sign-in answer carries a hash: %s", body)
	}

	steps := []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/v1/me", http.StatusOK},
		{"DELETE", "/api/v1/session", http.StatusNoContent},
		{"GET", "/api/v1/me", http.StatusUnauthorized},
	}
	for _, s := range steps {
		req, _ := http.NewRequest(s.method, h.srv.URL+s.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != s.want {
			t.Fatalf("%s %s: %d, want %d", s.method, s.path, resp.StatusCode, s.want)
		}
	}
}

func TestBearerToken(t *testing.T) {
	h := newHarness(t)
	var sess sessionView
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("member@agency.test", testPassword),
		http.StatusOK, &sess)
	script := account{Token: sess.Token}
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"bearer token", "Bearer " + sess.Token, http.StatusOK},
		{"scheme in lower case", "bearer " + sess.Token, http.StatusOK},
		{"other scheme", "Basic " + sess.Token, http.StatusUnauthorized},
		{"empty token", "Bearer ", http.StatusUnauthorized},
		{"wrong token", "Bearer " + strings.Repeat("x", 43), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.call(nil, "GET", "/api/v1/me", nil, "Authorization", tt.header)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, body)
			}
		})
	}
	h.mustJSON(&script, "DELETE", "/api/v1/session", nil, http.StatusNoContent, nil)
	if status, _ := h.call(&script, "GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("token still works after sign-out: %d", status)
	}
}

func TestSignInRateLimit(t *testing.T) {
	h := newHarness(t)
	for i := range 10 {
		status, body := h.call(nil, "POST", "/api/v1/session", signInBody("member@agency.test", "guess"))
		if status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, status, body)
		}
	}
	resp := h.request(nil, "POST", "/api/v1/session", signInBody("member@agency.test", testPassword))
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures: %d %s, want 429 with Retry-After", resp.StatusCode, body)
	}
	if strings.Contains(body, "token") {
		t.Errorf("a limited attempt opened a session: %s", body)
	}
	// Another account from the same address still has its own budget.
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("other@agency.test", testPassword),
		http.StatusOK, nil)
	if !strings.Contains(h.logs.String(), "rate limited") {
		t.Error("the limited attempt was not logged")
	}
}

func TestSignOutOthersAndChangePassword(t *testing.T) {
	h := newHarness(t)
	var second sessionView
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("other@agency.test", testPassword),
		http.StatusOK, &second)
	other := account{Token: second.Token}

	var ended map[string]int
	h.mustJSON(&h.other, "POST", "/api/v1/session/others", nil, http.StatusOK, &ended)
	if ended["ended"] != 1 {
		t.Errorf("ended %v sessions, want 1", ended)
	}
	if status, _ := h.call(&other, "GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("the other session still works: %d", status)
	}

	tests := []struct {
		name   string
		body   map[string]string
		status int
		field  string
	}{
		{"wrong current password", map[string]string{"current_password": "nope",
			"new_password": "a brand new passphrase"}, 400, "current_password"},
		{"too short", map[string]string{"current_password": testPassword,
			"new_password": "short"}, 400, "new_password"},
		{"changed", map[string]string{"current_password": testPassword,
			"new_password": "a brand new passphrase"}, 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.call(&h.other, "PUT", "/api/v1/me/password", tt.body)
			if status != tt.status || !strings.Contains(body, tt.field) {
				t.Fatalf("status %d body %s, want %d naming %q", status, body, tt.status, tt.field)
			}
		})
	}
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("other@agency.test", "a brand new passphrase"),
		http.StatusOK, nil)
}

func post(t *testing.T, client *http.Client, url string, body map[string]string) *http.Response {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func findCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
