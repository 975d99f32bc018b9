package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/service"
)

// TestIndexFollowsChanges checks the index itself, not just search results: deleted
// records leave it, and a task's visibility facts reach its comments and files.
func TestIndexFollowsChanges(t *testing.T) {
	w := newWorld(t)
	task := w.task("Follow the lynx", "", true, "")
	comment := w.comment(task.ID, "lynx spotted", false)
	other := w.comment(task.ID, "second lynx note", false)
	file := w.file(task.ID, "lynx.jpg")
	w.sync()
	ofTask := term(fieldTaskID, string(task.ID))
	if n := w.countIndexed(ofTask); n != 4 {
		t.Fatalf("%d documents for the task, want 4", n)
	}

	if err := w.svc.DeleteComment(w.owner.ID, comment.ID); err != nil {
		t.Fatal(err)
	}
	w.sync()
	if n := w.countIndexed(query.NewDocIDQuery([]string{docID(KindComment, comment.ID)})); n != 0 {
		t.Error("a deleted comment is still indexed")
	}

	m := w.milestone("Hidden stage", false)
	must(w.svc.UpdateTask(w.owner.ID, task.ID, service.TaskInput{MilestoneID: &m.ID}))(t)
	w.sync()
	inHidden := query.NewConjunctionQuery([]query.Query{ofTask, boolTerm(fieldMilestoneHidden, true),
		term(fieldMilestoneID, string(m.ID))})
	if n := w.countIndexed(inHidden); n != 3 {
		t.Errorf("after moving the task into a hidden milestone: %d of its 3 documents say so", n)
	}
	if n := w.countIndexed(term(fieldPortalProject, string(w.project.ID))); n != 0 {
		t.Errorf("%d documents still admitted to the portal", n)
	}

	shared := true
	must(w.svc.UpdateMilestone(w.owner.ID, m.ID, service.MilestoneInput{Shared: &shared}))(t)
	w.sync()
	if n := w.countIndexed(term(fieldPortalProject, string(w.project.ID))); n != 3 {
		t.Errorf("after sharing the milestone: %d documents admitted to the portal, want 3", n)
	}
	if res := w.find("lynx"); res.Total != 3 || !has(res, other.ID) || !has(res, file.ID) {
		t.Errorf("after sharing the milestone: total %d\n%s", res.Total, describe(res))
	}

	if err := w.svc.DeleteTask(w.owner.ID, task.ID); err != nil {
		t.Fatal(err)
	}
	w.sync()
	if n := w.countIndexed(ofTask); n != 0 {
		t.Errorf("%d documents of a deleted task remain", n)
	}
}
