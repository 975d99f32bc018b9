package server

import (
	"fmt"
	"path"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// Demo accounts seeded by --demo. They are documented in the README and are not secrets:
// the demo data folder is for trying Portico on one machine, never for real clients.
const (
	DemoOwnerEmail  = "owner@agency.example"
	DemoClientEmail = "dana@client.example"
	DemoPassword    = "portico-demo"
)

// SeedDemo fills an empty data folder with a demo agency: an owner, a shared project with
// milestones and tasks (some hidden), and a client who has accepted the invite. It does
// nothing once an owner exists.
func (s *Server) SeedDemo() error {
	svc := s.service
	if !svc.NeedsSetup() {
		return nil
	}
	link, err := svc.IssueSetupLink()
	if err != nil {
		return err
	}
	_, owner, err := svc.SetupOwner(path.Base(link), DemoOwnerEmail, "Olivia Owner", DemoPassword)
	if err != nil {
		return fmt.Errorf("seed owner: %w", err)
	}
	p, err := s.seedProject(owner.ID)
	if err != nil {
		return fmt.Errorf("seed project: %w", err)
	}
	fmt.Fprintf(s.out, "Demo data seeded: project %q shared with %s.\n", p.Name, DemoClientEmail)
	return nil
}

func (s *Server) seedProject(ownerID domain.ID) (domain.Project, error) {
	svc := s.service
	var team domain.ID
	err := s.store.View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspaceShared {
				team = ws.ID
			}
		}
		return err
	})
	if err != nil {
		return domain.Project{}, err
	}
	p, err := svc.CreateProject(ownerID, service.ProjectInput{WorkspaceID: team,
		Name: "Website relaunch", Description: "New site for Client & Co.", AutoShare: true})
	if err != nil {
		return p, err
	}
	if p, err = svc.SetPortal(ownerID, p.ID, true); err != nil {
		return p, err
	}
	inv, err := svc.AddClient(ownerID, p.ID, service.ClientInput{Email: DemoClientEmail, Name: "Dana Client"})
	if err != nil {
		return p, err
	}
	secret := path.Base(inv.Link)
	if _, _, err := svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, secret, DemoPassword); err != nil {
		return p, err
	}
	return p, s.seedTasks(ownerID, p.ID, inv.Client.ID)
}

type demoTask struct {
	milestone int
	title     string
	body      string
	client    bool
	hidden    bool
	done      bool
}

var demoMilestones = []struct {
	title  string
	hidden bool
}{{"Discovery", false}, {"Design", false}, {"Internal QA", true}}

var demoTasks = []demoTask{
	{0, "Kick-off call", "We agree on goals, audience and timeline.", false, false, true},
	{0, "Send brand assets", "Please upload your **logo** (SVG or PNG) and brand guide.", true, false, false},
	{0, "Approve sitemap", "Review the sitemap attached and mark this task done when happy.", true, false, false},
	{1, "Homepage mock-up", "First draft of the homepage.", false, false, false},
	{1, "Pick a colour palette", "Choose one of the three palettes.", true, false, false},
	{2, "Cross-browser test pass", "Internal checklist, not for the client.", false, true, false},
}

func (s *Server) seedTasks(ownerID, projectID, clientID domain.ID) error {
	svc := s.service
	var milestones []domain.ID
	for _, m := range demoMilestones {
		shared := !m.hidden
		title := m.title
		ms, err := svc.CreateMilestone(ownerID, projectID, service.MilestoneInput{Title: &title, Shared: &shared})
		if err != nil {
			return err
		}
		milestones = append(milestones, ms.ID)
	}
	for _, d := range demoTasks {
		in := service.TaskInput{MilestoneID: &milestones[d.milestone], Title: &d.title, Description: &d.body}
		shared := !d.hidden
		in.Shared = &shared
		if d.client {
			in.Assignee = &domain.Actor{Kind: domain.ActorClient, ID: clientID}
		}
		if d.done {
			status := domain.StatusDone
			in.Status = &status
		}
		t, err := svc.CreateTask(ownerID, projectID, in)
		if err != nil {
			return err
		}
		if d.client {
			if _, err := svc.AddComment(ownerID, t.ID, "Let us know if anything is unclear.", false); err != nil {
				return err
			}
			if _, err := svc.AddComment(ownerID, t.ID, "Internal: chase by Friday.", true); err != nil {
				return err
			}
		}
	}
	return nil
}
