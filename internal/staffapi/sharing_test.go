package staffapi

import (
	"encoding/json"
	"net/http"
	"path"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

func projectPath(p domain.Project, rest string) string {
	return "/api/v1/projects/" + string(p.ID) + rest
}

func TestPortalRefusedForPersonalProject(t *testing.T) {
	h := newHarness(t)
	personal := h.project(&h.member, h.member.Personal, "Mine", true)
	before := h.snapshot()
	status, body := h.call(&h.member, "PUT", projectPath(personal, "/portal"), map[string]bool{"on": true})
	if status != http.StatusBadRequest || !strings.Contains(body, "personal workspace") ||
		!strings.Contains(body, `"field":"portal_on"`) {
		t.Fatalf("portal on a personal project: %d %s", status, body)
	}
	if after := h.snapshot(); after != before {
		t.Errorf("the refused change was written: %+v → %+v", before, after)
	}

	team := h.project(&h.member, h.team, "Shared", true)
	var got projectView
	h.mustJSON(&h.member, "PUT", projectPath(team, "/portal"), map[string]bool{"on": true}, 200, &got)
	if !got.PortalOn {
		t.Error("portal stayed off for a team project")
	}
}

func TestAutoShareDecidesOnlyNewItems(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Auto", false)
	newMilestone := func(title string) domain.Milestone {
		var m domain.Milestone
		h.mustJSON(&h.owner, "POST", projectPath(p, "/milestones"), map[string]string{"title": title},
			http.StatusCreated, &m)
		return m
	}
	setAuto := func(on bool) {
		h.mustJSON(&h.owner, "PATCH", projectPath(p, ""), map[string]bool{"auto_share": on}, 200, nil)
	}
	hiddenTask, hiddenMilestone := h.task(&h.owner, p.ID, "Hidden"), newMilestone("Hidden M")
	setAuto(true)
	sharedTask, sharedMilestone := h.task(&h.owner, p.ID, "Shared"), newMilestone("Shared M")
	setAuto(false)

	var tasks []domain.Task
	h.mustJSON(&h.owner, "GET", projectPath(p, "/tasks"), nil, 200, &tasks)
	var milestones []milestoneView
	h.mustJSON(&h.owner, "GET", projectPath(p, "/milestones"), nil, 200, &milestones)
	shared := map[domain.ID]bool{}
	for _, t := range tasks {
		shared[t.ID] = t.Shared
	}
	for _, m := range milestones {
		shared[m.ID] = m.Shared
	}
	tests := []struct {
		name string
		id   domain.ID
		want bool
	}{
		{"task made with auto-share off", hiddenTask.ID, false},
		{"milestone made with auto-share off", hiddenMilestone.ID, false},
		{"task made with auto-share on", sharedTask.ID, true},
		{"milestone made with auto-share on", sharedMilestone.ID, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := shared[tt.id]; !ok || got != tt.want {
				t.Errorf("shared = %v (listed %v), want %v", got, ok, tt.want)
			}
		})
	}
	var changed domain.Task
	h.mustJSON(&h.owner, "PATCH", "/api/v1/tasks/"+string(hiddenTask.ID),
		map[string]any{"shared": true, "milestone_id": sharedMilestone.ID}, 200, &changed)
	if !changed.Shared || changed.MilestoneID != sharedMilestone.ID {
		t.Errorf("sharing one task by hand: %+v", changed)
	}
}

func TestArchiveAndRestore(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Seasonal campaign", true)
	h.task(&h.owner, p.ID, "Keep me")
	steps := []struct {
		name          string
		archived      bool
		inActive      bool
		inArchiveList bool
	}{
		{"archived", true, false, true},
		{"restored", false, true, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			h.mustJSON(&h.member, "PATCH", projectPath(p, ""),
				map[string]bool{"archived": s.archived}, 200, nil)
			_, active := h.call(&h.member, "GET", "/api/v1/projects", nil)
			_, archived := h.call(&h.member, "GET", "/api/v1/projects?archived=true", nil)
			if strings.Contains(active, p.Name) != s.inActive ||
				strings.Contains(archived, p.Name) != s.inArchiveList {
				t.Errorf("active list %s; archive list %s", active, archived)
			}
			var tasks []domain.Task
			h.mustJSON(&h.member, "GET", projectPath(p, "/tasks"), nil, 200, &tasks)
			if len(tasks) != 1 {
				t.Errorf("the project lost its tasks: %v", tasks)
			}
		})
	}
	_, feed := h.call(&h.owner, "GET", projectPath(p, "/activity"), nil)
	for _, action := range []domain.Action{domain.ActionProjectArchived, domain.ActionProjectRestored} {
		if !strings.Contains(feed, string(action)) {
			t.Errorf("activity lacks %s: %s", action, feed)
		}
	}
}

func TestDeletionsAreLoggedWithoutContent(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Deletions", true)
	keep := h.task(&h.owner, p.ID, "Stays")
	doomed := h.task(&h.owner, p.ID, "Doomed task title")
	var comment domain.Comment
	h.mustJSON(&h.owner, "POST", "/api/v1/tasks/"+string(keep.ID)+"/comments",
		map[string]any{"body": "confidential comment words", "internal": true}, 201, &comment)
	status, raw := h.uploadRaw(&h.owner, keep.ID, "confidential-name.txt", []byte("file words"))
	if status != http.StatusCreated {
		t.Fatalf("upload: %d %s", status, raw)
	}
	file := decodeFile(t, raw)

	deletions := []struct {
		name, path string
		action     domain.Action
		gone       string
	}{
		{"comment", "/api/v1/comments/" + string(comment.ID), domain.ActionCommentDeleted,
			"/api/v1/tasks/" + string(keep.ID) + "/comments"},
		{"file", "/api/v1/files/" + string(file.ID), domain.ActionFileDeleted, file.ContentURL},
		{"task", "/api/v1/tasks/" + string(doomed.ID), domain.ActionTaskDeleted,
			"/api/v1/tasks/" + string(doomed.ID)},
	}
	for _, d := range deletions {
		t.Run(d.name, func(t *testing.T) {
			h.mustJSON(&h.member, "DELETE", d.path, nil, http.StatusNoContent, nil)
			if status, _ := h.call(&h.member, "DELETE", d.path, nil); status != http.StatusNotFound {
				t.Errorf("deleting again: %d, want 404", status)
			}
			status, body := h.call(&h.member, "GET", d.gone, nil)
			if strings.Contains(body, "confidential") || (status != 200 && status != 404) {
				t.Errorf("after deletion %s answers %d %s", d.gone, status, body)
			}
			_, feed := h.call(&h.owner, "GET", projectPath(p, "/activity?limit=1"), nil)
			if !strings.Contains(feed, string(d.action)) {
				t.Errorf("newest activity is not %s: %s", d.action, feed)
			}
		})
	}
	log := h.allActivity()
	for _, secret := range []string{"confidential", "Doomed", "file words"} {
		if strings.Contains(log, secret) {
			t.Errorf("the activity log holds %q", secret)
		}
	}
}

func TestClientsAndInvites(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "Client work", true)
	h.mustJSON(&h.owner, "PUT", projectPath(p, "/portal"), map[string]bool{"on": true}, 200, nil)

	var inv inviteView
	h.mustJSON(&h.member, "POST", projectPath(p, "/clients"),
		map[string]string{"email": "Client@Example.test", "name": "Carla Client"}, 201, &inv)
	if inv.Link == "" || inv.Mailed || inv.Client.Status != "pending" ||
		inv.Client.Email != "client@example.test" {
		t.Fatalf("invite %+v", inv)
	}
	firstToken := path.Base(inv.Link)
	clientPath := projectPath(p, "/clients/"+string(inv.Client.ID))

	_, members := h.call(&h.member, "GET", projectPath(p, "/clients"), nil)
	if !strings.Contains(members, "client@example.test") || !strings.Contains(members, `"pending"`) ||
		strings.Contains(members, firstToken) {
		t.Errorf("member list %s", members)
	}

	var again inviteView
	h.mustJSON(&h.member, "POST", clientPath+"/invite", nil, 200, &again)
	if again.Link == "" || again.Link == inv.Link {
		t.Fatalf("reissued link %q", again.Link)
	}
	if _, err := h.svc.CheckLink(domain.ActorClient, domain.PurposeInvite, firstToken); err == nil {
		t.Error("the old link still works after reissue")
	}
	logs := h.logs.String()
	if strings.Contains(logs, firstToken) || strings.Contains(logs, path.Base(again.Link)) {
		t.Error("an invite token reached the log")
	}

	// Accept, then adding the same client to another project issues no link.
	if _, _, err := h.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, path.Base(again.Link),
		testPassword); err != nil {
		t.Fatal(err)
	}
	p2 := h.project(&h.owner, h.team, "More client work", true)
	var second inviteView
	h.mustJSON(&h.owner, "POST", projectPath(p2, "/clients"),
		map[string]string{"email": "client@example.test"}, 201, &second)
	if second.Link != "" || second.Client.Status != "accepted" {
		t.Errorf("accepted client got %+v", second)
	}
	reissue := projectPath(p2, "/clients/"+string(inv.Client.ID)+"/invite")
	status, body := h.call(&h.owner, "POST", reissue, nil)
	if status != http.StatusConflict || !strings.Contains(body, "already accepted") {
		t.Errorf("reissue for an accepted client: %d %s", status, body)
	}

	var acct accountView
	h.mustJSON(&h.member, "PATCH", "/api/v1/clients/"+string(inv.Client.ID),
		map[string]bool{"disabled": true}, 200, &acct)
	if !acct.Disabled || len(acct.ProjectIDs) != 2 {
		t.Errorf("disabled account %+v", acct)
	}
	if _, _, err := h.svc.SignIn(domain.ActorClient, "client@example.test", testPassword); err == nil {
		t.Error("a disabled client signed in")
	}

	h.mustJSON(&h.member, "DELETE", clientPath, nil, http.StatusNoContent, nil)
	if status, _ := h.call(&h.member, "DELETE", clientPath, nil); status != http.StatusNotFound {
		t.Errorf("removing twice: %d", status)
	}
	h.mustJSON(&h.owner, "POST", projectPath(p2, "/unshare"), nil, 200, nil)
	for _, project := range []domain.Project{p, p2} {
		_, list := h.call(&h.owner, "GET", projectPath(project, "/clients"), nil)
		if list != "[]\n" {
			t.Errorf("clients left on %s: %s", project.Name, list)
		}
	}
	_, raw := h.call(&h.owner, "GET", "/api/v1/clients", nil)
	var all []accountView
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Email != "client@example.test" || strings.Contains(raw, "password_hash") ||
		strings.Contains(raw, "argon2") {
		t.Errorf("owner's client list %s", raw)
	}
}

func TestInviteByMail(t *testing.T) {
	h := newHarness(t, withMail())
	p := h.project(&h.owner, h.team, "Mailed", true)
	var inv inviteView
	h.mustJSON(&h.owner, "POST", projectPath(p, "/clients"),
		service.ClientInput{Email: "mailed@example.test"}, 201, &inv)
	if !inv.Mailed || inv.Link == "" {
		t.Fatalf("invite %+v", inv)
	}
	if msg := h.mailer.last(); msg.To != "mailed@example.test" || !strings.Contains(msg.Text, inv.Link) {
		t.Errorf("mail to %q: %q", msg.To, msg.Text)
	}
}
