package staffapi

import (
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/web"
)

// postForm submits an HTML form as a same-origin browser would.
func (h *harness) postForm(target string, form url.Values) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest("POST", h.srv.URL+target, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp, readAll(h.t, resp)
}

func (h *harness) getPage(target string) (int, string) {
	h.t.Helper()
	resp := h.request(nil, "GET", target, nil)
	body := readAll(h.t, resp)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
		strings.Contains(csp, "unsafe-inline") {
		h.t.Errorf("%s: page CSP %q", target, csp)
	}
	return resp.StatusCode, body
}

func TestSetupLinkIsSingleUse(t *testing.T) {
	h := newHarness(t) // the harness already used one setup link
	link, err := h.svc.IssueSetupLink()
	if err == nil {
		t.Fatalf("a second setup link was issued after setup: %s", link)
	}

	fresh := newBareHarness(t)
	link, err = fresh.svc.IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	token := path.Base(link)
	for range 2 { // opening the link twice does not use it up
		status, body := fresh.getPage("/setup/" + token)
		if status != 200 || !strings.Contains(body, "<form") {
			t.Fatalf("setup page: %d %s", status, body)
		}
	}
	resp, body := fresh.postForm("/setup/"+token, url.Values{"email": {"boss@agency.test"},
		"name": {"Boss"}, "password": {"short"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "password") ||
		!strings.Contains(body, "boss@agency.test") {
		t.Fatalf("short password: %d %s", resp.StatusCode, body)
	}
	resp, body = fresh.postForm("/setup/"+token, url.Values{"email": {"boss@agency.test"},
		"name": {"Boss"}, "password": {testPassword}})
	if resp.StatusCode != 200 || !strings.Contains(body, "frontend build") ||
		findCookie(resp, web.StaffCookie) == nil {
		t.Fatalf("setup: %d %s", resp.StatusCode, body)
	}
	invalid := []struct {
		name, method, target string
	}{
		{"used link, page", "GET", "/setup/" + token},
		{"used link, form", "POST", "/setup/" + token},
		{"unknown link", "GET", "/setup/" + strings.Repeat("A", 43)},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			var status int
			var body string
			if tt.method == "GET" {
				status, body = fresh.getPage(tt.target)
			} else {
				resp, b := fresh.postForm(tt.target, url.Values{"email": {"x@agency.test"},
					"name": {"X"}, "password": {testPassword}})
				status, body = resp.StatusCode, b
			}
			if status != http.StatusGone || !strings.Contains(body, "invalid or has expired") {
				t.Fatalf("status %d: %s", status, body)
			}
		})
	}
	status, body := fresh.call(nil, "POST", "/api/v1/setup", map[string]string{"token": token,
		"email": "again@agency.test", "name": "Again", "password": testPassword})
	if status != http.StatusGone || !strings.Contains(body, "invalid or expired link") {
		t.Fatalf("setup API with a used link: %d %s", status, body)
	}
}

func TestStaffInviteThroughHTMLForm(t *testing.T) {
	h := newHarness(t)
	var inv staffInviteView
	h.mustJSON(&h.owner, "POST", "/api/v1/staff",
		map[string]string{"email": "Newbie@Agency.test", "name": "Nina New"}, http.StatusCreated, &inv)
	if inv.Staff.Status != "pending" || inv.Link == "" || inv.Staff.Email != "newbie@agency.test" {
		t.Fatalf("invite answer %+v", inv)
	}
	reissue := "/api/v1/staff/" + string(inv.Staff.ID) + "/invite"
	if status, _ := h.call(&h.member, "POST", reissue, nil); status != http.StatusForbidden {
		t.Errorf("a member reissued a staff invite: %d", status)
	}
	var again staffInviteView
	h.mustJSON(&h.owner, "POST", reissue, nil, http.StatusOK, &again)
	if status, _ := h.getPage(linkPath(t, inv.Link)); status != http.StatusGone {
		t.Errorf("the replaced invite still opens: %d", status)
	}
	target := linkPath(t, again.Link)
	if strings.Contains(h.logs.String(), path.Base(target)) {
		t.Fatal("the invite token reached the log")
	}
	if status, body := h.getPage(target); status != 200 || !strings.Contains(body, "newbie@agency.test") {
		t.Fatalf("invite page: %d %s", status, body)
	}
	resp, body := h.postForm(target, url.Values{"password": {testPassword}, "confirm": {"different one"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "differ") {
		t.Fatalf("mismatch: %d %s", resp.StatusCode, body)
	}
	resp, body = h.postForm(target, url.Values{"password": {testPassword}, "confirm": {testPassword}})
	cookie := findCookie(resp, web.StaffCookie)
	if resp.StatusCode != 200 || cookie == nil || !strings.Contains(body, "/api/v1") {
		t.Fatalf("set password: %d %s", resp.StatusCode, body)
	}
	if status, _ := h.getPage(target); status != http.StatusGone {
		t.Errorf("the used invite still opens: %d", status)
	}
	if status, body := h.call(&h.owner, "POST", reissue, nil); status != http.StatusConflict {
		t.Errorf("reissue after joining: %d %s", status, body)
	}
	newbie := account{Token: cookie.Value}
	var me staffView
	h.mustJSON(&newbie, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	if me.Status != "active" || me.Role != domain.RoleMember {
		t.Errorf("after accepting: %+v", me)
	}
}

func TestPasswordResetByMail(t *testing.T) {
	h := newHarness(t, withMail())
	answers := map[string]int{}
	for _, email := range []string{"member@agency.test", "nobody@agency.test"} {
		status, body := h.call(nil, "POST", "/api/v1/password-reset", map[string]string{"email": email})
		answers[body] = status
	}
	if len(answers) != 1 {
		t.Fatalf("known and unknown addresses are told apart: %v", answers)
	}
	h.svc.Close() // the reset mail is queued in the background
	msg := h.mailer.last()
	found := regexp.MustCompile(`https://staff\.test(/reset/[A-Za-z0-9_-]+)`).FindStringSubmatch(msg.Text)
	if msg.To != "member@agency.test" || found == nil {
		t.Fatalf("reset mail to %q: %q", msg.To, msg.Text)
	}
	target := found[1]
	if status, body := h.getPage(target); status != 200 || !strings.Contains(body, "member@agency.test") {
		t.Fatalf("reset page: %d %s", status, body)
	}
	resp, _ := h.postForm(target,
		url.Values{"password": {"reset passphrase 1"}, "confirm": {"reset passphrase 1"}})
	if resp.StatusCode != 200 {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if status, _ := h.call(&h.member, "GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("old session survived the reset: %d", status)
	}
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("member@agency.test", "reset passphrase 1"),
		http.StatusOK, nil)
	if status, _ := h.getPage(target); status != http.StatusGone {
		t.Errorf("the used reset link still opens: %d", status)
	}
}

func TestCrossOriginWritesAreRefused(t *testing.T) {
	h := newHarness(t)
	before := h.snapshot()
	body := map[string]any{"workspace_id": h.team, "name": "Forged"}
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"other site", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
		{"other origin, no fetch metadata", []string{"Origin", "https://evil.example"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := h.call(&h.owner, "POST", "/api/v1/projects", body, tt.headers...)
			if status != tt.want || !strings.Contains(raw, "cross-origin") {
				t.Fatalf("status %d: %s", status, raw)
			}
		})
	}
	if after := h.snapshot(); after != before {
		t.Errorf("a refused request changed the store: %+v → %+v", before, after)
	}
	h.mustJSON(&h.owner, "POST", "/api/v1/projects", body, http.StatusCreated, nil)
	status, _ := h.call(&h.owner, "GET", "/api/v1/projects", nil, "Sec-Fetch-Site", "cross-site")
	if status != http.StatusOK {
		t.Errorf("a cross-site read was refused: %d", status)
	}
}

func linkPath(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}
