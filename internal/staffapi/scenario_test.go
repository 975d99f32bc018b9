package staffapi

import (
	"net/http"
	"strings"
	"testing"

	"portico/internal/domain"
)

// fixtures are records the scenarios refer to as {name} in paths and bodies.
type fixtures struct {
	h       *harness
	replace *strings.Replacer
}

func newFixtures(h *harness) *fixtures {
	teamProject := h.project(&h.owner, h.team, "Team Website", true)
	teamTask := h.task(&h.owner, teamProject.ID, "Team homepage")
	memberProject := h.project(&h.member, h.member.Personal, "Secret member plan", false)
	memberTask := h.task(&h.member, memberProject.ID, "Secret member task")
	// Clients belong to shared projects only: this one is refused and never created.
	h.mustJSON(&h.member, "POST", "/api/v1/projects/"+string(memberProject.ID)+"/clients",
		map[string]string{"email": "hidden-client@example.test"}, http.StatusBadRequest, nil)
	ownerProject := h.project(&h.owner, h.owner.Personal, "Owner private notes", false)
	return &fixtures{h: h, replace: strings.NewReplacer(
		"{team}", string(h.team),
		"{teamProject}", string(teamProject.ID),
		"{teamTask}", string(teamTask.ID),
		"{memberProject}", string(memberProject.ID),
		"{memberTask}", string(memberTask.ID),
		"{memberWS}", string(h.member.Personal),
		"{ownerProject}", string(ownerProject.ID),
		"{ownerID}", string(h.owner.ID),
		"{otherID}", string(h.other.ID),
		"{unknown}", string(domain.NewID()),
	)}
}

func (f *fixtures) account(who string) *account {
	switch who {
	case "owner":
		return &f.h.owner
	case "member":
		return &f.h.member
	case "other":
		return &f.h.other
	case "bogus":
		return &account{Token: "not-a-session"}
	}
	return nil
}

func TestScenarios(t *testing.T) {
	h := newHarness(t)
	f := newFixtures(h)
	tests := []struct {
		name         string
		who          string // owner, member, other, bogus or "" for nobody
		method, path string
		body         string
		status       int
		contains     []string
		absent       []string
	}{
		{"health needs no sign-in", "", "GET", "/healthz", "", 200, []string{`"ok"`}, nil},
		{"ca certificate is public", "", "GET", "/api/v1/ca.crt", "", 200,
			[]string{"BEGIN CERTIFICATE"}, nil},
		{"placeholder home page", "", "GET", "/", "", 200, []string{"frontend build", "/api/v1"}, nil},
		{"api needs sign-in", "", "GET", "/api/v1/projects", "", 401, []string{"sign in"}, nil},
		{"bogus token", "bogus", "GET", "/api/v1/me", "", 401, nil, nil},
		{"unknown route", "owner", "GET", "/api/v1/nothing", "", 404, []string{`"error"`}, nil},
		{"wrong method", "owner", "DELETE", "/api/v1/projects", "", 405, []string{"GET, POST"}, nil},
		{"me", "owner", "GET", "/api/v1/me", "", 200, []string{"owner@agency.test", `"owner"`},
			[]string{"password_hash", "argon2"}},
		{"staff list has no hashes", "member", "GET", "/api/v1/staff", "", 200,
			[]string{"owner@agency.test", "member@agency.test"}, []string{"password_hash", "argon2"}},
		{"owner lists team projects", "owner", "GET", "/api/v1/projects", "", 200,
			[]string{"Team Website", "Owner private notes"}, []string{"Secret member plan"}},
		{"member lists own personal projects", "member", "GET", "/api/v1/projects", "", 200,
			[]string{"Team Website", "Secret member plan"}, []string{"Owner private notes"}},
		{"other member sees only team", "other", "GET", "/api/v1/projects", "", 200,
			[]string{"Team Website"}, []string{"Secret member plan", "Owner private notes"}},
		{"other member's personal project is 404", "other", "GET", "/api/v1/projects/{memberProject}",
			"", 404, nil, []string{"Secret"}},
		{"personal project is private from owner too", "owner", "GET",
			"/api/v1/projects/{memberProject}", "", 404, nil, []string{"Secret"}},
		{"other's task in personal project", "other", "GET", "/api/v1/tasks/{memberTask}", "", 404,
			nil, []string{"Secret"}},
		{"other cannot change it", "other", "PATCH", "/api/v1/tasks/{memberTask}",
			`{"title":"mine now"}`, 404, nil, nil},
		{"other cannot add tasks to it", "other", "POST", "/api/v1/projects/{memberProject}/tasks",
			`{"title":"x"}`, 404, nil, nil},
		{"other cannot read its activity", "other", "GET", "/api/v1/projects/{memberProject}/activity",
			"", 404, nil, nil},
		{"other cannot list its clients", "other", "GET", "/api/v1/projects/{memberProject}/clients",
			"", 404, nil, []string{"hidden-client"}},
		{"other does not see its clients", "other", "GET", "/api/v1/clients", "", 200, nil,
			[]string{"hidden-client"}},
		{"a refused client was not created", "member", "GET", "/api/v1/clients", "", 200,
			nil, []string{"hidden-client@example.test", "password_hash"}},
		{"other cannot create in another's workspace", "other", "POST", "/api/v1/projects",
			`{"workspace_id":"{memberWS}","name":"sneaky"}`, 400, []string{"workspace_id"}, nil},
		{"workspaces hide others' personal ones", "other", "GET", "/api/v1/workspaces", "", 200,
			[]string{"{team}"}, []string{"{memberWS}"}},
		{"member works in the team workspace", "member", "GET", "/api/v1/projects/{teamProject}",
			"", 200, []string{"Team Website", `"progress"`}, nil},
		{"member edits team tasks", "member", "PATCH", "/api/v1/tasks/{teamTask}",
			`{"status":"doing"}`, 200, []string{`"doing"`}, nil},
		{"member cannot add staff", "member", "POST", "/api/v1/staff",
			`{"email":"new@agency.test","name":"New"}`, 403, []string{"owner"}, nil},
		{"member cannot change staff", "member", "PATCH", "/api/v1/staff/{otherID}",
			`{"role":"owner"}`, 403, nil, nil},
		{"last owner cannot step down", "owner", "PATCH", "/api/v1/staff/{ownerID}",
			`{"role":"member"}`, 400, []string{"owner"}, nil},
		{"unknown project", "owner", "GET", "/api/v1/projects/{unknown}", "", 404, nil, nil},
		{"malformed project id", "owner", "GET", "/api/v1/projects/not-an-id", "", 404, nil, nil},
		{"unknown file", "owner", "GET", "/api/v1/files/{unknown}/content", "", 404, nil, nil},
		{"unknown comment", "owner", "DELETE", "/api/v1/comments/{unknown}", "", 404, nil, nil},
		{"unknown milestone", "owner", "PATCH", "/api/v1/milestones/{unknown}", `{}`, 404, nil, nil},
		{"unknown staff", "owner", "PATCH", "/api/v1/staff/{unknown}", `{}`, 404, nil, nil},
		{"unknown client", "owner", "PATCH", "/api/v1/clients/{unknown}", `{"disabled":true}`, 404,
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := f.replace.Replace(tt.path)
			var body any
			if tt.body != "" {
				body = f.replace.Replace(tt.body)
			}
			resp := h.request(f.account(tt.who), tt.method, target, body)
			raw := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			checkSecurityHeaders(t, resp)
			for _, s := range tt.contains {
				if s = f.replace.Replace(s); !strings.Contains(raw, s) {
					t.Errorf("body lacks %q: %s", s, raw)
				}
			}
			for _, s := range tt.absent {
				if s = f.replace.Replace(s); strings.Contains(raw, s) {
					t.Errorf("body contains %q: %s", s, raw)
				}
			}
		})
	}
}

func checkSecurityHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Security-Policy": "frame-ancestors 'none'",
	}
	for name, value := range want {
		if got := resp.Header.Get(name); !strings.Contains(got, value) {
			t.Errorf("header %s = %q, want it to contain %q", name, got, value)
		}
	}
}
