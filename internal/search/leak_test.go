package search

import (
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

// TestClientNeverFindsHidden plants a secret word in a record each access rule hides and
// checks that the client's search finds nothing, counts nothing, while staff find it
// (so the record is indexed and the filter, not luck, hides it).
func TestClientNeverFindsHidden(t *testing.T) {
	w := newWorld(t)
	visible := w.task("Shared homepage", "", true, "")
	cases := []struct {
		name string
		// plant creates the hidden record holding word; it returns the record's ID.
		plant func(word string) domain.ID
	}{
		{"hidden task", func(word string) domain.ID {
			return w.task("Budget "+word, "", false, "").ID
		}},
		{"hidden task, word in description", func(word string) domain.ID {
			return w.task("Budget", "the "+word+" plan", false, "").ID
		}},
		{"task in hidden milestone", func(word string) domain.ID {
			m := w.milestone("Internal phase", false)
			return w.task("Plan "+word, "", true, m.ID).ID
		}},
		{"internal comment", func(word string) domain.ID {
			return w.comment(visible.ID, "between us: "+word, true).ID
		}},
		{"comment on hidden task", func(word string) domain.ID {
			hidden := w.task("Hidden", "", false, "")
			return w.comment(hidden.ID, "note "+word, false).ID
		}},
		{"comment on task in hidden milestone", func(word string) domain.ID {
			m := w.milestone("Later", false)
			task := w.task("Later task", "", true, m.ID)
			return w.comment(task.ID, "note "+word, false).ID
		}},
		{"file on hidden task", func(word string) domain.ID {
			hidden := w.task("Hidden files", "", false, "")
			return w.file(hidden.ID, word+"-contract.pdf").ID
		}},
		{"other project", func(word string) domain.ID {
			other := w.newProject("Other client's project")
			w.addClient(other.ID, "someone@else.example")
			return w.taskIn(other.ID, "Their "+word).ID
		}},
		{"project with portal off", func(word string) domain.ID {
			p := w.newProject("Closed")
			w.addClient(p.ID, "dana@client.example")
			id := w.taskIn(p.ID, "Closed "+word).ID
			must(w.svc.SetPortal(w.owner.ID, p.ID, false))(t)
			return id
		}},
		{"removed client", func(word string) domain.ID {
			p := w.newProject("Left")
			w.addClient(p.ID, "dana@client.example")
			id := w.taskIn(p.ID, "Left "+word).ID
			if err := w.svc.RemoveClient(w.owner.ID, p.ID, w.client); err != nil {
				t.Fatal(err)
			}
			return id
		}},
		{"after unshare", func(word string) domain.ID {
			p := w.newProject("Unshared")
			w.addClient(p.ID, "dana@client.example")
			id := w.taskIn(p.ID, "Unshared "+word).ID
			if err := w.svc.Unshare(w.owner.ID, p.ID); err != nil {
				t.Fatal(err)
			}
			return id
		}},
		{"archived project", func(word string) domain.ID {
			p := w.newProject("Archived")
			w.addClient(p.ID, "dana@client.example")
			id := w.taskIn(p.ID, "Archived "+word).ID
			archived := true
			must(w.svc.UpdateProject(w.owner.ID, p.ID, service.ProjectUpdate{Archived: &archived}))(t)
			return id
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			word := "zebracorn" + string(rune('a'+i))
			id := tc.plant(word)
			for _, synced := range []bool{false, true} {
				if synced {
					w.sync()
				}
				res := w.find(word)
				if len(res.Hits) != 0 || res.Total != 0 || res.More || len(res.Counts) != 0 {
					t.Errorf("synced=%v: client found the hidden record: total %d, counts %v\n%s",
						synced, res.Total, res.Counts, describe(res))
				}
			}
			if ids := w.filteredOnly(word); len(ids) != 0 {
				t.Errorf("the visibility filter alone (without the re-check) admits %v", ids)
			}
			staff := w.staffSearch(w.owner.ID, Query{Text: word})
			if !has(staff, id) {
				t.Errorf("staff did not find the record, so the test proves nothing:\n%s", describe(staff))
			}
		})
	}
}

// TestAccessChangesApplyAtOnce: a client who could see a task stops finding it on the
// very next search after losing access, before the indexer has seen the change.
func TestAccessChangesApplyAtOnce(t *testing.T) {
	cases := []struct {
		name   string
		revoke func(w *world, task domain.Task)
	}{
		{"task unshared", func(w *world, task domain.Task) {
			shared := false
			must(w.svc.UpdateTask(w.owner.ID, task.ID, service.TaskInput{Shared: &shared}))(w.t)
		}},
		{"client removed", func(w *world, _ domain.Task) {
			if err := w.svc.RemoveClient(w.owner.ID, w.project.ID, w.client); err != nil {
				w.t.Fatal(err)
			}
		}},
		{"client disabled", func(w *world, _ domain.Task) {
			must(w.svc.SetClientDisabled(w.owner.ID, w.client, true))(w.t)
		}},
		{"project unshared", func(w *world, _ domain.Task) {
			if err := w.svc.Unshare(w.owner.ID, w.project.ID); err != nil {
				w.t.Fatal(err)
			}
		}},
		{"portal off", func(w *world, _ domain.Task) {
			must(w.svc.SetPortal(w.owner.ID, w.project.ID, false))(w.t)
		}},
		{"project archived", func(w *world, _ domain.Task) {
			archived := true
			must(w.svc.UpdateProject(w.owner.ID, w.project.ID, service.ProjectUpdate{Archived: &archived}))(w.t)
		}},
		{"task deleted", func(w *world, task domain.Task) {
			if err := w.svc.DeleteTask(w.owner.ID, task.ID); err != nil {
				w.t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			task := w.task("Quarterly okapi review", "", true, "")
			comment := w.comment(task.ID, "okapi notes attached", false)
			file := w.file(task.ID, "okapi-report.pdf")
			w.sync()
			before := w.find("okapi")
			if before.Total != 3 || !has(before, task.ID) || !has(before, comment.ID) || !has(before, file.ID) {
				t.Fatalf("before: want the task, its comment and file, got total %d\n%s",
					before.Total, describe(before))
			}
			w.stopIndexer() // the index keeps its old facts: only the re-check can hide
			tc.revoke(w, task)
			after := w.find("okapi")
			if len(after.Hits) != 0 || after.Total != 0 || len(after.Counts) != 0 {
				t.Errorf("after: client still finds %d (total %d)\n%s", len(after.Hits), after.Total, describe(after))
			}
		})
	}
}

// TestUnsharingMilestone: unsharing a milestone hides its tasks and their comments from
// the very next search, then the indexer rewrites their facts; sharing it again brings
// them back once indexed.
func TestUnsharingMilestone(t *testing.T) {
	w := newWorld(t)
	m := w.milestone("Launch", true)
	task := w.task("Prepare narwhal launch", "", true, m.ID)
	comment := w.comment(task.ID, "narwhal copy is ready", false)
	file := w.file(task.ID, "narwhal.png")
	outside := w.task("Narwhal follow-up outside the milestone", "", true, "")
	w.sync()
	if res := w.find("narwhal"); res.Total != 4 {
		t.Fatalf("before: total %d, want 4\n%s", res.Total, describe(res))
	}

	shared := false
	must(w.svc.UpdateMilestone(w.owner.ID, m.ID, service.MilestoneInput{Shared: &shared}))(t)
	res := w.find("narwhal") // no sync: the index may still say "shared"
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ID != outside.ID || res.Counts[KindTask] != 1 {
		t.Fatalf("right after unsharing: want only the task outside, got total %d\n%s", res.Total, describe(res))
	}

	w.sync()
	if n := w.countIndexed(boolTerm(fieldMilestoneHidden, true)); n != 3 {
		t.Errorf("after indexing: %d documents marked as in a hidden milestone, want 3", n)
	}
	if res := w.find("narwhal"); res.Total != 1 {
		t.Errorf("after indexing: total %d, want 1", res.Total)
	}

	shared = true
	must(w.svc.UpdateMilestone(w.owner.ID, m.ID, service.MilestoneInput{Shared: &shared}))(t)
	w.sync()
	res = w.find("narwhal")
	for _, id := range []domain.ID{task.ID, comment.ID, file.ID, outside.ID} {
		if !has(res, id) {
			t.Errorf("after sharing again: %s missing\n%s", id, describe(res))
		}
	}
	if err := w.svc.DeleteMilestone(w.owner.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	w.sync()
	if n := w.countIndexed(term(fieldMilestoneID, string(m.ID))); n != 0 {
		t.Errorf("after deleting the milestone: %d documents still filed under it", n)
	}
	if res := w.find("narwhal"); res.Total != 4 {
		t.Errorf("after deleting the milestone: total %d, want 4 (its tasks stay shared)", res.Total)
	}
}

// TestTotalsObeyRules: totals and per-kind counts only count what the client may see,
// including when the index facts are stale, and say "more" past the cap.
func TestTotalsObeyRules(t *testing.T) {
	w := newWorld(t)
	var shown []domain.Task
	for range 5 {
		shown = append(shown, w.task("Wombat task", "", true, ""))
		w.task("Wombat hidden", "", false, "")
	}
	w.comment(shown[0].ID, "wombat comment", false)
	w.comment(shown[0].ID, "wombat internal", true)
	w.sync()

	res := w.clientSearch(w.client, Query{Text: "wombat", Limit: 2})
	if len(res.Hits) != 2 || res.Total != 6 || res.More || res.Counts[KindTask] != 5 || res.Counts[KindComment] != 1 {
		t.Fatalf("got %d hits, total %d, more %v, counts %v; want 2, 6, false, 5 tasks 1 comment",
			len(res.Hits), res.Total, res.More, res.Counts)
	}
	page := w.clientSearch(w.client, Query{Text: "wombat", Limit: 4, Offset: 4})
	if len(page.Hits) != 2 || page.Total != 6 {
		t.Errorf("last page: %d hits, total %d; want 2, 6", len(page.Hits), page.Total)
	}
	kind := w.clientSearch(w.client, Query{Text: "wombat", Kind: KindComment})
	if kind.Total != 1 || kind.Counts[KindTask] != 0 {
		t.Errorf("comments only: total %d, counts %v", kind.Total, kind.Counts)
	}
	staff := w.staffSearch(w.owner.ID, Query{Text: "wombat"})
	if staff.Total != 12 {
		t.Errorf("staff total %d, want 12", staff.Total)
	}

	w.stopIndexer()
	hide := false
	for _, task := range shown[:3] {
		must(w.svc.UpdateTask(w.owner.ID, task.ID, service.TaskInput{Shared: &hide}))(t)
	}
	res = w.clientSearch(w.client, Query{Text: "wombat"})
	if res.Total != 2 || res.Counts[KindTask] != 2 || res.Counts[KindComment] != 0 {
		t.Errorf("with stale index facts: total %d, counts %v; want 2 tasks", res.Total, res.Counts)
	}
}

func TestTotalsCapped(t *testing.T) {
	w := newWorld(t)
	for range CountCap + 5 {
		w.task("Capybara", "", true, "")
	}
	w.sync()
	res := w.find("capybara")
	if res.Total != CountCap || !res.More || len(res.Hits) != DefaultLimit {
		t.Errorf("total %d, more %v, %d hits; want %d, true, %d", res.Total, res.More, len(res.Hits),
			CountCap, DefaultLimit)
	}
	deep := w.clientSearch(w.client, Query{Text: "capybara", Offset: 90, Limit: 20})
	if len(deep.Hits) != 15 || deep.Total != CountCap+5 || deep.More {
		t.Errorf("deep page: %d hits, total %d, more %v; want 15, %d, false", len(deep.Hits), deep.Total,
			deep.More, CountCap+5)
	}
}

// TestStaffRights: personal workspaces stay private to their owner.
func TestStaffRights(t *testing.T) {
	w := newWorld(t)
	member, _ := must2(w.svc.InviteStaff(w.owner.ID, service.StaffInput{Email: "mo@agency.example",
		Name: "Mo", Role: domain.RoleMember}))(t)
	var personal domain.ID
	w.st.View(func(tx storeTx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspacePersonal && ws.OwnerID == member.ID {
				personal = ws.ID
			}
		}
		return nil
	})
	p := must(w.svc.CreateProject(member.ID, service.ProjectInput{WorkspaceID: personal, Name: "Mine"}))(t)
	task := must(w.svc.CreateTask(member.ID, p.ID, service.TaskInput{Title: ptr("Private quokka notes")}))(t)
	shared := w.task("Team quokka", "", true, "")
	w.sync()

	if res := w.staffSearch(member.ID, Query{Text: "quokka"}); !has(res, task.ID) || !has(res, shared.ID) {
		t.Errorf("member should find both:\n%s", describe(res))
	}
	if res := w.staffSearch(w.owner.ID, Query{Text: "quokka"}); has(res, task.ID) || res.Total != 1 {
		t.Errorf("owner found another member's personal task (total %d)\n%s", res.Total, describe(res))
	}
	if res := w.staffSearch(w.owner.ID, Query{Text: "quokka", ProjectID: p.ID}); res.Total != 0 {
		t.Errorf("owner filtering on the personal project found %d", res.Total)
	}
	if res := w.staffSearch(domain.NewID(), Query{Text: "quokka"}); res.Total != 0 {
		t.Errorf("unknown staff found %d", res.Total)
	}
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(tb testing.TB) (A, B) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return a, b
	}
}

func ptr[T any](v T) *T { return &v }
