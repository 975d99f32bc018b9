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

// taskPage is what a client sees of a task: its description, visible comments and files,
// and the forms they may use.
type taskPage struct {
	taskRow
	ProjectID      domain.ID
	ProjectName    string
	Milestone      string
	Description    template.HTML
	CanComplete    bool
	CompletedLabel string
	Comments       []commentRow
	Files          []fileRow
	MaxUpload      string
	MaxUploadBytes int64
	// Draft, CommentError and UploadError refill the forms after a refused post.
	Draft        string
	CommentError string
	UploadError  string
	// descriptionSource is the markdown, rendered once the read transaction has ended.
	descriptionSource string
}

type commentRow struct {
	Author    string
	Mine      bool
	Staff     bool
	Time      time.Time
	TimeLabel string
	Body      template.HTML
	// source is the markdown, rendered once the read transaction has ended.
	source string
}

type fileRow struct {
	ID        domain.ID
	Name      string
	Size      string
	Uploader  string
	TimeLabel string
}

// task renders a task page; a hidden task is a missing one.
func (p *Portal) task(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	p.showTask(w, r, c, id, http.StatusOK, nil)
}

// showTask loads and renders a task page with status; edit, when set, fills in a refused
// form's draft and message.
func (p *Portal) showTask(w http.ResponseWriter, r *http.Request, c client, id domain.ID,
	status int, edit func(*taskPage)) {
	page, err := p.loadTask(c.ID, id)
	if err != nil {
		p.fail(w, r, err)
		return
	}

	if edit != nil {
		edit(&page)
	}

	p.render(w, status, "task", view{Title: page.Title, SignedIn: true,
		Events: "/p/" + string(page.ProjectID) + "/events", Task: id, Data: page})
}

// loadTask reads the client's view of a task and the names of its authors, and renders
// its markdown (see loadPage).
func (p *Portal) loadTask(viewer, id domain.ID) (taskPage, error) {
	return loadPage(p, func(tx *store.Tx) (taskPage, error) { return p.readTask(tx, viewer, id) })
}

// readTask reads the client's view of a task through the access policy; its markdown is
// left for renderMarkdown, after the transaction.
func (p *Portal) readTask(tx *store.Tx, viewer, id domain.ID) (taskPage, error) {
	tv, err := access.ViewTask(tx, viewer, id)
	if err != nil {
		return taskPage{}, err
	}

	return p.newTaskPage(tx, tv, viewer), nil
}

// renderMarkdown renders the description and the comments.
func (page *taskPage) renderMarkdown() {
	page.Description = markdown.Render(page.descriptionSource)
	for i := range page.Comments {
		page.Comments[i].Body = markdown.Render(page.Comments[i].source)
	}
}

func (p *Portal) newTaskPage(tx *store.Tx, tv access.TaskView, viewer domain.ID) taskPage {
	today := time.Now().UTC().Format(time.DateOnly)
	page := taskPage{taskRow: newTaskRow(&tv.Task, viewer, today), ProjectID: tv.Project.ID,
		ProjectName: tv.Project.Name, CanComplete: tv.CanComplete,
		MaxUpload: formatSize(p.svc.Config().MaxUpload), MaxUploadBytes: p.svc.Config().MaxUpload,
		descriptionSource: tv.Task.Description}
	if tv.Milestone != nil {
		page.Milestone = tv.Milestone.Title
	}

	if tv.Task.Status == domain.StatusDone && !tv.Task.CompletedAt.IsZero() {
		page.CompletedLabel = completedLabel(tv.Task, viewer)
	}

	names := authorNames{tx: tx, viewer: viewer, agency: p.agency}
	page.Comments = make([]commentRow, len(tv.Comments))
	for i, cm := range tv.Comments {
		page.Comments[i] = commentRow{Author: names.label(cm.Author),
			Mine: cm.Author.IsClient(viewer), Staff: cm.Author.Kind == domain.ActorStaff,
			Time: cm.Created, TimeLabel: timeLabel(cm.Created), source: cm.Body}
	}

	page.Files = make([]fileRow, len(tv.Files))
	for i, f := range tv.Files {
		page.Files[i] = fileRow{ID: f.ID, Name: f.Name, Size: formatSize(f.Size),
			Uploader: names.label(f.Uploader), TimeLabel: timeLabel(f.Created)}
	}

	return page
}

func completedLabel(t domain.Task, viewer domain.ID) string {
	by := assigneeLabel(t.CompletedBy, viewer)
	if by == "" {
		return "Completed " + timeLabel(t.CompletedAt)
	}

	return "Completed by " + by + ", " + timeLabel(t.CompletedAt)
}

// authorNames labels the authors of visible comments and files, looking each up once:
// "You" for the viewer, otherwise the author's name (never an email address), or a
// neutral label when there is none.
type authorNames struct {
	tx     *store.Tx
	viewer domain.ID
	agency string
	cache  map[domain.Actor]string
}

func (n *authorNames) label(a domain.Actor) string {
	if a.IsClient(n.viewer) {
		return "You"
	}

	if name, ok := n.cache[a]; ok {
		return name
	}

	name := access.AuthorName(n.tx, a)
	if name == "" && a.Kind == domain.ActorStaff {
		name = n.agency
	}

	if name == "" {
		name = "Client"
	}

	if n.cache == nil {
		n.cache = map[domain.Actor]string{}
	}

	n.cache[a] = name
	return name
}
