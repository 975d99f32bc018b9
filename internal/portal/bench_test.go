package portal

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/web"
)

// BenchmarkProjectPage measures the server time of a client's project page with 1,000
// tasks, of which 200 are visible, with descriptions, assignees and due dates: once with
// the 800 others unshared, once with 100 of them shared but inside hidden milestones
// (which the store must decode before the policy drops them). Run by make bench.
func BenchmarkProjectPage(b *testing.B) {
	for _, inHiddenMilestones := range []int{0, 100} {
		name := fmt.Sprintf("1000_tasks_200_visible_%d_in_hidden_milestones", inHiddenMilestones)
		b.Run(name, func(b *testing.B) { benchProjectPage(b, inHiddenMilestones) })
	}
}

func benchProjectPage(b *testing.B, inHiddenMilestones int) {
	f := newFixture(b, service.Config{})
	projectID := f.project(b, "Website relaunch")
	clientID, session := f.client(b, projectID, "bench@client.test", "Bea Bench")
	seedBenchProject(b, f, projectID, clientID, inHiddenMilestones)

	h := New(Options{Service: f.svc, Hub: f.hub})
	req := httptest.NewRequest(http.MethodGet, "/p/"+string(projectID), nil)
	req.AddCookie(&http.Cookie{Name: web.ClientCookie, Value: session})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `<li class="task`) != 200 {
		b.Fatalf("status %d, %d tasks shown", rec.Code, strings.Count(rec.Body.String(), `<li class="task`))
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

func seedBenchProject(b *testing.B, f *fixture, projectID, clientID domain.ID, inHiddenMilestones int) {
	var shared, hidden []domain.ID
	for i := range 8 {
		shared = append(shared, f.milestone(b, projectID, fmt.Sprintf("Phase %d", i+1), true))
	}
	for i := range 2 {
		hidden = append(hidden, f.milestone(b, projectID, fmt.Sprintf("Internal %d", i+1), false))
	}
	client := domain.Actor{Kind: domain.ActorClient, ID: clientID}
	staff := domain.Actor{Kind: domain.ActorStaff, ID: f.ownerID}
	desc := strings.Repeat("Some **markdown** describing the work to be done. ", 6)
	for i := range 1000 {
		in := service.TaskInput{Title: ptr(fmt.Sprintf("Task number %d of the relaunch", i)),
			Description: &desc, Due: ptr("2031-06-30"), Shared: ptr(true), Assignee: &staff}
		switch {
		case i%5 == 0: // 200 visible
			in.MilestoneID = &shared[i%len(shared)]
			if i%2 == 0 {
				in.Assignee = &client
			}
		case i%10 == 1 && i/10 < inHiddenMilestones: // shared, in a hidden milestone
			in.MilestoneID = &hidden[i%len(hidden)]
		default: // not shared
			in.MilestoneID = &shared[i%len(shared)]
			in.Shared = ptr(false)
		}
		if _, err := f.svc.CreateTask(f.ownerID, projectID, in); err != nil {
			b.Fatal(err)
		}
	}
}
