package service_test

import (
	"io"
	"log/slog"
	"path"
	"path/filepath"
	"testing"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// fixture is an owner with a shared project whose portal is on and one accepted client.
type fixture struct {
	svc     *service.Service
	st      *store.Store
	blobs   *blob.Store
	owner   domain.Staff
	team    domain.ID
	project domain.Project
	client  domain.ID
}

func newFixture(tb testing.TB, noSync bool) *fixture {
	tb.Helper()
	return newFixtureWith(tb, noSync, service.Config{})
}

// newFixtureWith is newFixture with cfg, whose portal and staff addresses it fills in.
func newFixtureWith(tb testing.TB, noSync bool, cfg service.Config) *fixture {
	tb.Helper()
	auth.SetTestParams()
	dir := tb.TempDir()
	st, err := store.Open(filepath.Join(dir, "portico.db"), store.Options{NoSync: noSync})
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{st: st}
	tb.Cleanup(func() {
		if f.svc != nil {
			f.svc.Close()
		}
		st.Close()
	})
	blobs, err := blob.Open(filepath.Join(dir, "files"))
	if err != nil {
		tb.Fatal(err)
	}
	f.blobs = blobs
	f.svc = f.newService(cfg)
	f.setup(tb)
	return f
}

// newService returns a service on the fixture's store with cfg, as a restart would; the
// fixture closes whichever service is in f.svc.
func (f *fixture) newService(cfg service.Config) *service.Service {
	cfg.PortalURL, cfg.StaffURL = "https://portal.test", "https://staff.test"
	return service.New(f.st, f.blobs, nil, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// must returns v, failing the test when err is set: must(call())(tb).
func must[T any](v T, err error) func(testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

func (f *fixture) setup(tb testing.TB) {
	link := must(f.svc.IssueSetupLink())(tb)
	_, owner, err := f.svc.SetupOwner(path.Base(link), "owner@agency.example", "Owner", "correct horse battery")
	if err != nil {
		tb.Fatal(err)
	}
	f.owner = owner
	f.st.View(func(tx *store.Tx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspaceShared {
				f.team = ws.ID
			}
		}
		return nil
	})
	f.project = must(f.svc.CreateProject(owner.ID, service.ProjectInput{WorkspaceID: f.team,
		Name: "Site", AutoShare: true}))(tb)
	must(f.svc.SetPortal(owner.ID, f.project.ID, true))(tb)
	inv := must(f.svc.AddClient(owner.ID, f.project.ID, service.ClientInput{Email: "dana@client.example"}))(tb)
	if _, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite,
		path.Base(inv.Link), "client password 1"); err != nil {
		tb.Fatal(err)
	}
	f.client = inv.Client.ID
}

func (f *fixture) task(tb testing.TB, title string, assignClient bool) domain.Task {
	in := service.TaskInput{Title: &title}
	if assignClient {
		in.Assignee = &domain.Actor{Kind: domain.ActorClient, ID: f.client}
	}
	return must(f.svc.CreateTask(f.owner.ID, f.project.ID, in))(tb)
}
