package portal

import (
	"html/template"
	"net/http"
	"time"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/markdown"
	"portico/internal/store"
)

// projectPage is what a client sees of a project: shared milestones with progress over
// the visible tasks only, the visible tasks and the shared docs.
type projectPage struct {
	ID          domain.ID
	Name        string
	Description template.HTML
	Milestones  []milestoneRow
	// Loose lists the visible tasks outside any milestone; HasLoose says whether there
	// are any.
	Loose    template.HTML
	HasLoose bool
	Docs     []docRow
	// FolderFiles lists the shared files of the project's linked folder.
	FolderFiles []folderFileRow
}

type milestoneRow struct {
	Title    string
	DueLabel string
	Done     int
	Total    int
	Percent  int
	Tasks    template.HTML
}

// taskRow is one task in a list, with every label computed before the template runs.
type taskRow struct {
	ID          domain.ID
	Title       string
	Status      domain.Status
	StatusLabel string
	Assignee    string
	Due         string
	DueLabel    string
	Overdue     bool
}

// project renders a project page; a hidden project is a missing one.
func (p *Portal) project(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	var pv access.ProjectView
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		pv, err = access.ViewProject(tx, c.ID, id)
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}

	page := newProjectPage(pv, c.ID, portalSite)
	p.render(w, http.StatusOK, "project", view{Title: page.Name, SignedIn: true,
		Events: "/p/" + string(id) + "/events", Data: page})
}

// newProjectPage turns the access view into the page, rendering each task list once
// through one reused row buffer, with task links into s.
func newProjectPage(pv access.ProjectView, viewer domain.ID, s *site) projectPage {
	page := projectPage{ID: pv.Project.ID, Name: pv.Project.Name, HasLoose: len(pv.Loose) > 0,
		Docs: newDocRows(pv.Docs), FolderFiles: newFolderFileRows(pv.FolderFiles)}
	if pv.Project.Description != "" {
		page.Description = markdown.Render(pv.Project.Description)
	}

	today := time.Now().UTC().Format(time.DateOnly)
	var rows []taskRow
	page.Milestones = make([]milestoneRow, len(pv.Milestones))
	for i, m := range pv.Milestones {
		rows = appendRows(rows[:0], m.Tasks, viewer, today)
		due, _ := dueLabel(m.Milestone.Due, today, "")
		page.Milestones[i] = milestoneRow{Title: m.Milestone.Title, DueLabel: due, Done: m.Done,
			Total: len(m.Tasks), Percent: m.Percent(), Tasks: taskListHTML(rows, s.taskPrefix)}
	}

	page.Loose = taskListHTML(appendRows(rows[:0], pv.Loose, viewer, today), s.taskPrefix)
	return page
}

func appendRows(rows []taskRow, tasks []domain.Task, viewer domain.ID, today string) []taskRow {
	for i := range tasks {
		rows = append(rows, newTaskRow(&tasks[i], viewer, today))
	}

	return rows
}

func newTaskRow(t *domain.Task, viewer domain.ID, today string) taskRow {
	due, overdue := dueLabel(t.Due, today, t.Status)
	return taskRow{ID: t.ID, Title: t.Title, Status: t.Status, StatusLabel: statusLabel(t.Status),
		Assignee: assigneeLabel(t.Assignee, viewer), Due: t.Due, DueLabel: due, Overdue: overdue}
}
