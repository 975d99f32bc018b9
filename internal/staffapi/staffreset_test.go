package staffapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStaffResetLink(t *testing.T) {
	h := newHarness(t)
	target := "/api/v1/staff/" + string(h.member.ID) + "/reset-link"

	var res staffResetView
	h.mustJSON(&h.owner, "POST", target, nil, http.StatusOK, &res)
	link, ok := strings.CutPrefix(res.Link, "https://staff.test")
	if !ok || !strings.HasPrefix(link, "/reset/") || res.Staff.Email != "member@agency.test" {
		t.Fatalf("reset link answer: %+v", res)
	}
	secret := strings.TrimPrefix(link, "/reset/")
	if strings.Contains(h.allActivity(), secret) || strings.Contains(h.logs.String(), secret) {
		t.Error("the reset link reached the log")
	}
	if !strings.Contains(h.allActivity(), "reset.issued") {
		t.Errorf("no reset.issued entry in %s", h.allActivity())
	}
	if status, _ := h.call(&h.member, "GET", "/api/v1/me", nil); status != http.StatusOK {
		t.Errorf("issuing the link ended the member's session: %d", status)
	}

	form := url.Values{"password": {"handed over 12"}, "confirm": {"handed over 12"}}
	resp, _ := h.postForm(link, form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset through the link: %d", resp.StatusCode)
	}
	h.mustJSON(nil, "POST", "/api/v1/session", signInBody("member@agency.test", "handed over 12"),
		http.StatusOK, nil)
}

func TestStaffResetLinkRefusals(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		who    *account
		target string
		want   int
	}{
		{"a member may not", &h.member, string(h.other.ID), http.StatusForbidden},
		{"not for oneself", &h.owner, string(h.owner.ID), http.StatusConflict},
		{"unknown member", &h.owner, "00000000000000000000000000", http.StatusNotFound},
		{"malformed ID", &h.owner, "nope", http.StatusNotFound},
		{"signed out", nil, string(h.member.ID), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.snapshot()
			status, body := h.call(tt.who, "POST", "/api/v1/staff/"+tt.target+"/reset-link", nil)
			if status != tt.want || strings.Contains(body, "/reset/") {
				t.Errorf("status %d, want %d: %s", status, tt.want, body)
			}
			if after := h.snapshot(); after != before {
				t.Errorf("a refused request changed data: %+v → %+v", before, after)
			}
		})
	}
}
