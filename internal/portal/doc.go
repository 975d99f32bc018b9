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

// docPage is what a client sees of a shared doc: its rendered markdown, its visible
// comments and the comment form.
type docPage struct {
	ID           domain.ID
	ProjectID    domain.ID
	ProjectName  string
	Title        string
	Updated      time.Time
	UpdatedLabel string
	Body         template.HTML
	Comments     []commentRow
	// Draft and CommentError refill the comment form after a refused post.
	Draft        string
	CommentError string
	// bodySource is the markdown, rendered once the read transaction has ended.
	bodySource string
}

// docRow is one doc in a project page's list of documents.
type docRow struct {
	ID           domain.ID
	Title        string
	Updated      time.Time
	UpdatedLabel string
}

func newDocRows(docs []domain.Doc) []docRow {
	rows := make([]docRow, len(docs))
	for i, d := range docs {
		rows[i] = docRow{ID: d.ID, Title: d.Title, Updated: d.Updated,
			UpdatedLabel: timeLabel(d.Updated)}
	}

	return rows
}

// doc renders a doc page; a hidden doc is a missing one.
func (p *Portal) doc(w http.ResponseWriter, r *http.Request, c client) {
	id, ok := pathID(r)
	if !ok {
		p.notFound(w, r)
		return
	}

	p.showDoc(w, r, c, id, http.StatusOK, nil)
}

// showDoc loads and renders a doc page with status; edit, when set, fills in a refused
// comment's draft and message.
func (p *Portal) showDoc(w http.ResponseWriter, r *http.Request, c client, id domain.ID,
	status int, edit func(*docPage)) {
	page, err := p.loadDoc(c.ID, id)
	if err != nil {
		p.fail(w, r, err)
		return
	}

	if edit != nil {
		edit(&page)
	}

	p.render(w, status, "doc", view{Title: page.Title, SignedIn: true,
		Events: "/p/" + string(page.ProjectID) + "/events", Doc: id, Data: page})
}

// loadDoc reads the client's view of a doc and renders its markdown (see loadPage).
func (p *Portal) loadDoc(viewer, id domain.ID) (docPage, error) {
	return loadPage(p, func(tx *store.Tx) (docPage, error) { return p.readDoc(tx, viewer, id) })
}

// readDoc reads the client's view of a doc, and the names of its comments' authors,
// through the access policy; its markdown is left for renderMarkdown.
func (p *Portal) readDoc(tx *store.Tx, viewer, id domain.ID) (docPage, error) {
	dv, err := access.ViewDoc(tx, viewer, id)
	if err != nil {
		return docPage{}, err
	}

	page := docPage{ID: dv.Doc.ID, ProjectID: dv.Project.ID, ProjectName: dv.Project.Name,
		Title: dv.Doc.Title, Updated: dv.Doc.Updated, UpdatedLabel: timeLabel(dv.Doc.Updated),
		bodySource: dv.Doc.Body}
	names := authorNames{tx: tx, viewer: viewer, agency: p.agency}
	page.Comments = make([]commentRow, len(dv.Comments))
	for i, cm := range dv.Comments {
		page.Comments[i] = commentRow{Author: names.label(cm.Author),
			Mine: cm.Author.IsClient(viewer), Staff: cm.Author.Kind == domain.ActorStaff,
			Time: cm.Created, TimeLabel: timeLabel(cm.Created), source: cm.Body}
	}

	return page, nil
}

// renderMarkdown renders the body and the comments with the sanitizing renderer.
func (page *docPage) renderMarkdown() {
	if page.bodySource != "" {
		page.Body = markdown.Render(page.bodySource)
	}

	for i := range page.Comments {
		page.Comments[i].Body = markdown.Render(page.Comments[i].source)
	}
}

// docComment adds the client's comment to a shared doc and goes back to the doc page. A
// refused comment (empty, too long) shows the page again with the draft and the reason.
func (p *Portal) docComment(w http.ResponseWriter, r *http.Request, c client) {
	p.postComment(w, r, "/d/", func(id domain.ID, body string) error {
		_, err := p.svc.ClientDocComment(c.ID, id, body)
		return err
	}, func(id domain.ID, draft, reason string) {
		p.showDoc(w, r, c, id, http.StatusBadRequest, func(page *docPage) {
			page.Draft, page.CommentError = draft, reason
		})
	})
}
