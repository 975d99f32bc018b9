package service_test

import (
	"errors"
	"path"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

func TestAutoShareDecidesNewItemsOnly(t *testing.T) {
	f := newFixture(t, true)
	before := f.task(t, "before", false)
	off := false
	must(f.svc.UpdateProject(f.owner.ID, f.project.ID, service.ProjectUpdate{AutoShare: &off}))(t)
	after := f.task(t, "after", false)
	f.st.View(func(tx *store.Tx) error {
		b, _ := tx.Task(before.ID)
		a, _ := tx.Task(after.ID)
		if !b.Shared || a.Shared {
			t.Errorf("shared before=%v after=%v, want true, false", b.Shared, a.Shared)
		}
		return nil
	})
}

func TestPersonalProjectCannotBeShared(t *testing.T) {
	f := newFixture(t, true)
	var personal domain.ID
	f.st.View(func(tx *store.Tx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspacePersonal {
				personal = ws.ID
			}
		}
		return nil
	})
	p := must(f.svc.CreateProject(f.owner.ID, service.ProjectInput{WorkspaceID: personal, Name: "Mine"}))(t)
	_, err := f.svc.SetPortal(f.owner.ID, p.ID, true)
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) {
		t.Fatalf("sharing a personal project: got %v, want a validation error", err)
	}
}

func TestClientCompletesOnlyOwnTasks(t *testing.T) {
	f := newFixture(t, true)
	mine := f.task(t, "mine", true)
	other := f.task(t, "other", false)
	if _, err := f.svc.SetTaskDone(f.client, mine.ID, true); err != nil {
		t.Fatalf("complete own task: %v", err)
	}
	if _, err := f.svc.SetTaskDone(f.client, other.ID, true); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("complete someone else's task: got %v, want ErrForbidden", err)
	}
	hidden := false
	must(f.svc.UpdateTask(f.owner.ID, mine.ID, service.TaskInput{Shared: &hidden}))(t)
	if _, err := f.svc.SetTaskDone(f.client, mine.ID, false); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("reopen a hidden task: got %v, want ErrNotFound", err)
	}
}

func TestUnshareRemovesEveryClient(t *testing.T) {
	f := newFixture(t, true)
	must(f.svc.AddClient(f.owner.ID, f.project.ID, service.ClientInput{Email: "second@client.example"}))(t)
	if err := f.svc.Unshare(f.owner.ID, f.project.ID); err != nil {
		t.Fatal(err)
	}
	f.st.View(func(tx *store.Tx) error {
		members, _ := tx.Members(f.project.ID)
		p, _ := tx.Project(f.project.ID)
		if len(members) != 0 || p.PortalOn {
			t.Errorf("after unshare: %d members, portal on %v", len(members), p.PortalOn)
		}
		return nil
	})
}

func TestInviteLinkRules(t *testing.T) {
	f := newFixture(t, true)
	first := must(f.svc.AddClient(f.owner.ID, f.project.ID, service.ClientInput{Email: "new@client.example"}))(t)
	second := must(f.svc.ReissueInvite(f.owner.ID, f.project.ID, first.Client.ID))(t)
	if _, err := f.svc.CheckLink(domain.ActorClient, domain.PurposeInvite, path.Base(second.Link)); err != nil {
		t.Fatalf("checking a fresh link: %v", err)
	}
	cases := map[string]string{"replaced": path.Base(first.Link), "unknown": "nonsense"}
	for name, secret := range cases {
		if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, secret,
			"a good password"); !errors.Is(err, service.ErrInvalidLink) {
			t.Errorf("%s link: got %v, want ErrInvalidLink", name, err)
		}
	}
	if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite,
		path.Base(second.Link), "a good password"); err != nil {
		t.Fatalf("redeem: %v", err)
	}
	if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite,
		path.Base(second.Link), "a good password"); !errors.Is(err, service.ErrInvalidLink) {
		t.Fatalf("used link: got %v, want ErrInvalidLink", err)
	}
}

func TestDisablingClientEndsSessions(t *testing.T) {
	f := newFixture(t, true)
	secret, _, err := f.svc.SignIn(domain.ActorClient, "dana@client.example", "client password 1")
	if err != nil {
		t.Fatal(err)
	}
	must(f.svc.SetClientDisabled(f.owner.ID, f.client, true))(t)
	if _, err := f.svc.Authenticate(domain.ActorClient, secret); err == nil {
		t.Fatal("a disabled client's session still works")
	}
	if _, _, err := f.svc.SignIn(domain.ActorClient, "dana@client.example", "client password 1"); err == nil {
		t.Fatal("a disabled client can sign in")
	}
}

func TestDeletingLastFileRemovesContents(t *testing.T) {
	f := newFixture(t, true)
	task := f.task(t, "files", false)
	up := func() domain.File {
		return must(f.svc.AttachFile(f.owner.ID, task.ID, service.Upload{Name: "a.txt",
			Body: strings.NewReader("same bytes")}))(t)
	}
	first, second := up(), up()
	if err := f.svc.DeleteFile(f.owner.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if !f.svc.Blobs().Exists(second.SHA256) {
		t.Fatal("contents removed while another file still uses them")
	}
	if err := f.svc.DeleteTask(f.owner.ID, task.ID); err != nil {
		t.Fatal(err)
	}
	if f.svc.Blobs().Exists(second.SHA256) {
		t.Fatal("contents kept after the last file using them was deleted")
	}
}

func TestDeletingHiddenMilestoneKeepsTasksHidden(t *testing.T) {
	f := newFixture(t, true)
	title, hidden := "Internal", false
	m := must(f.svc.CreateMilestone(f.owner.ID, f.project.ID,
		service.MilestoneInput{Title: &title, Shared: &hidden}))(t)
	taskTitle := "inside"
	task := must(f.svc.CreateTask(f.owner.ID, f.project.ID,
		service.TaskInput{Title: &taskTitle, MilestoneID: &m.ID}))(t)
	if !task.Shared {
		t.Fatal("fixture: auto-share should have shared the task itself")
	}
	if err := f.svc.DeleteMilestone(f.owner.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	f.st.View(func(tx *store.Tx) error {
		if got, _ := tx.Task(task.ID); got.Shared {
			t.Error("deleting a hidden milestone published its task")
		}
		return nil
	})
}

func TestClientsOnlyOnSharedWorkspaceProjects(t *testing.T) {
	f := newFixture(t, true)
	var personal domain.ID
	f.st.View(func(tx *store.Tx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspacePersonal {
				personal = ws.ID
			}
		}
		return nil
	})
	p := must(f.svc.CreateProject(f.owner.ID, service.ProjectInput{WorkspaceID: personal, Name: "Mine"}))(t)
	_, err := f.svc.AddClient(f.owner.ID, p.ID, service.ClientInput{Email: "x@client.example"})
	var invalid *domain.ValidationError
	if !errors.As(err, &invalid) {
		t.Fatalf("adding a client to a personal project: got %v, want a validation error", err)
	}
}

func TestPasswordChangeIsRateLimited(t *testing.T) {
	f := newFixture(t, true)
	who := domain.Actor{Kind: domain.ActorClient, ID: f.client}
	var last error
	for range 30 {
		last = f.svc.ChangePassword(who, "", "wrong guess", "a new password 1")
		if errors.Is(last, service.ErrRateLimited) {
			return
		}
	}
	t.Fatalf("30 wrong guesses were all checked; last error %v", last)
}

func TestAssigneeMustBeWhole(t *testing.T) {
	f := newFixture(t, true)
	task := f.task(t, "assign", false)
	for _, a := range []domain.Actor{{Kind: domain.ActorClient}, {Kind: "robot", ID: f.client}} {
		_, err := f.svc.UpdateTask(f.owner.ID, task.ID, service.TaskInput{Assignee: &a})
		var invalid *domain.ValidationError
		if !errors.As(err, &invalid) {
			t.Errorf("assignee %+v: got %v, want a validation error", a, err)
		}
	}
}

func TestDisabledClientsLinksAreInvalid(t *testing.T) {
	f := newFixture(t, true)
	inv := must(f.svc.AddClient(f.owner.ID, f.project.ID, service.ClientInput{Email: "late@client.example"}))(t)
	must(f.svc.SetClientDisabled(f.owner.ID, inv.Client.ID, true))(t)
	_, err := f.svc.CheckLink(domain.ActorClient, domain.PurposeInvite, path.Base(inv.Link))
	if !errors.Is(err, service.ErrInvalidLink) {
		t.Fatalf("a disabled client's link checks as %v, want ErrInvalidLink", err)
	}
	if _, err := f.svc.ReissueInvite(f.owner.ID, f.project.ID, inv.Client.ID); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("reissuing for a disabled client: got %v, want ErrConflict", err)
	}
}
