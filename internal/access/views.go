package access

import (
	"cmp"
	"slices"

	"portico/internal/domain"
	"portico/internal/store"
)

// Projects returns the projects the client may see, in creation order.
func Projects(tx *store.Tx, clientID domain.ID) ([]domain.Project, error) {
	ids, err := tx.MemberProjects(clientID)
	if err != nil {
		return nil, err
	}
	var out []domain.Project
	for _, id := range ids {
		if p, err := Project(tx, clientID, id); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// MilestoneView is a visible milestone with its visible tasks and the progress computed
// over those tasks only, so hidden work cannot be inferred.
type MilestoneView struct {
	Milestone domain.Milestone
	Tasks     []domain.Task
	Done      int
}

// Percent is the share of visible tasks that are done, 0 to 100.
func (m MilestoneView) Percent() int {
	if len(m.Tasks) == 0 {
		return 0
	}
	return m.Done * 100 / len(m.Tasks)
}

// ProjectView is what a client sees of one project.
type ProjectView struct {
	Project    domain.Project
	Milestones []MilestoneView
	// Loose holds visible tasks outside any milestone.
	Loose []domain.Task
	// Docs holds the shared docs, by title.
	Docs []domain.Doc
	// FolderFiles holds the shared, live files of the project's linked folder, by path.
	FolderFiles []domain.FolderFile
}

// ViewProject returns the client's view of a project: shared milestones and visible
// tasks, each list in display order.
func ViewProject(tx *store.Tx, clientID, projectID domain.ID) (ProjectView, error) {
	p, err := Project(tx, clientID, projectID)
	if err != nil {
		return ProjectView{}, err
	}
	view := ProjectView{Project: p}
	milestones, err := tx.Milestones(projectID)
	if err != nil {
		return ProjectView{}, err
	}
	index := map[domain.ID]int{}
	for _, m := range milestones {
		if m.Shared {
			index[m.ID] = len(view.Milestones)
			view.Milestones = append(view.Milestones, MilestoneView{Milestone: m})
		}
	}
	tasks, err := tx.Tasks(projectID, true)
	if err != nil {
		return ProjectView{}, err
	}
	for _, t := range tasks {
		if t.MilestoneID == "" {
			view.Loose = append(view.Loose, t)
			continue
		}
		i, ok := index[t.MilestoneID]
		if !ok {
			continue
		}
		mv := &view.Milestones[i]
		mv.Tasks = append(mv.Tasks, t)
		if t.Status == domain.StatusDone {
			mv.Done++
		}
	}
	slices.SortStableFunc(view.Milestones, func(a, b MilestoneView) int {
		return cmp.Compare(a.Milestone.Order, b.Milestone.Order)
	})
	for i := range view.Milestones {
		SortTasks(view.Milestones[i].Tasks)
	}
	SortTasks(view.Loose)
	if view.Docs, err = tx.Docs(projectID, true); err != nil {
		return ProjectView{}, err
	}
	view.FolderFiles, err = tx.FolderFiles(projectID, true)
	return view, err
}

// SortTasks orders tasks by their Order field, then by creation.
func SortTasks(tasks []domain.Task) {
	slices.SortStableFunc(tasks, func(a, b domain.Task) int {
		return cmp.Compare(a.Order, b.Order)
	})
}

// TaskView is what a client sees of one task.
type TaskView struct {
	Project   domain.Project
	Milestone *domain.Milestone
	Task      domain.Task
	Comments  []domain.Comment
	Files     []domain.File
	// CanComplete is true when the task is assigned to this client.
	CanComplete bool
}

// ViewTask returns the client's view of a task with its visible comments and files.
func ViewTask(tx *store.Tx, clientID, taskID domain.ID) (TaskView, error) {
	t, err := Task(tx, clientID, taskID)
	if err != nil {
		return TaskView{}, err
	}
	p, err := Project(tx, clientID, t.ProjectID)
	if err != nil {
		return TaskView{}, err
	}
	view := TaskView{Project: p, Task: t, CanComplete: t.Assignee.IsClient(clientID)}
	if t.MilestoneID != "" {
		m, err := Milestone(tx, clientID, t.MilestoneID)
		if err != nil {
			return TaskView{}, err
		}
		view.Milestone = &m
	}
	comments, err := tx.Comments(taskID)
	if err != nil {
		return TaskView{}, err
	}
	for _, c := range comments {
		if !c.Internal {
			view.Comments = append(view.Comments, c)
		}
	}
	view.Files, err = tx.Files(taskID)
	return view, err
}

// Activity reports whether the client may learn of an activity entry: the object it names
// must be visible to them now. Entries about deleted objects are never sent to clients.
func Activity(tx *store.Tx, clientID domain.ID, a domain.Activity) bool {
	var err error
	switch a.Action {
	case domain.ActionCommentAdded:
		_, err = Comment(tx, clientID, a.ObjectID)
	case domain.ActionFileUploaded:
		_, err = File(tx, clientID, a.ObjectID)
	case domain.ActionTaskCreated, domain.ActionTaskUpdated, domain.ActionTaskCompleted,
		domain.ActionTaskReopened:
		_, err = Task(tx, clientID, a.TaskID)
	case domain.ActionDocCreated, domain.ActionDocUpdated, domain.ActionDocRestored,
		domain.ActionDocShared:
		_, err = Doc(tx, clientID, a.DocID)
	case domain.ActionMilestoneCreated, domain.ActionMilestoneUpdated:
		_, err = Milestone(tx, clientID, a.ObjectID)
	case domain.ActionFolderFileAdded, domain.ActionFolderFileUpdated,
		domain.ActionFolderFileShared:
		_, err = FolderFile(tx, clientID, a.ObjectID)
	case domain.ActionProjectUpdated:
		_, err = Project(tx, clientID, a.ProjectID)
	default:
		return false
	}
	return err == nil
}
