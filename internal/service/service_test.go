package service_test

import (
	"errors"
	"path"
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
		if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, secret, "a good password"); !errors.Is(err, service.ErrInvalidLink) {
			t.Errorf("%s link: got %v, want ErrInvalidLink", name, err)
		}
	}
	if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, path.Base(second.Link), "a good password"); err != nil {
		t.Fatalf("redeem: %v", err)
	}
	if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, path.Base(second.Link), "a good password"); !errors.Is(err, service.ErrInvalidLink) {
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
