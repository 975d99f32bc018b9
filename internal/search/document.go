package search

import (
	"fmt"
	"strings"

	"portico/internal/domain"
	"portico/internal/markdown"
	"portico/internal/store"
)

// Kind names what a search hit is.
type Kind string

// Kinds of indexed records. A comment is on a task (TaskID) or on a doc (DocID); a file is
// attached to a task, while a folder file comes from the project's linked folder and
// hangs from no task.
const (
	KindTask       Kind = "task"
	KindComment    Kind = "comment"
	KindFile       Kind = "file"
	KindDoc        Kind = "doc"
	KindFolderFile Kind = "folder_file"
)

// document is what the index holds for one record. Field names are those of mapping.go.
type document struct {
	Kind            string `json:"kind"`
	ProjectID       string `json:"project_id"`
	TaskID          string `json:"task_id,omitempty"`
	DocID           string `json:"doc_id,omitempty"`
	MilestoneID     string `json:"milestone_id,omitempty"`
	Chain           string `json:"chain,omitempty"`
	PortalProject   string `json:"portal_project,omitempty"`
	TaskShared      bool   `json:"task_shared"`
	MilestoneHidden bool   `json:"milestone_hidden"`
	Internal        bool   `json:"internal"`
	// Shared is the shared switch of a doc (on a doc and on its comments) or of a
	// folder file; tasks and what hangs from them use TaskShared.
	Shared bool   `json:"shared"`
	Text   string `json:"text,omitempty"`
	Title  string `json:"title,omitempty"`
	// Name is a file's name or a folder file's path, cut by fileNameText.
	Name string `json:"name,omitempty"`
	// TitleCJK and BodyCJK repeat the title and body when they hold Chinese or Japanese.
	TitleCJK string `json:"title_cjk,omitempty"`
	BodyCJK  string `json:"body_cjk,omitempty"`
}

// withText sets a document's text fields from a plain title and a markdown body, which
// is indexed as the plain text its readers see: snippets are cut from the same text.
func (d *document) withText(title, body string) {
	body = markdown.PlainText(body)
	d.Title, d.Text = title, body
	if title != "" && body != "" {
		d.Text = title + "\n" + body
	} else if title != "" {
		d.Text = title
	}

	if hasCJK(title) {
		d.TitleCJK = title
	}

	if hasCJK(body) {
		d.BodyCJK = body
	}
}

// withName sets the name field of a file or folder file. Names are kept apart from
// prose so that query words can be cut like names to search them (see fieldName).
func (d *document) withName(name string) {
	d.Name = fileNameText(name)
	if hasCJK(name) {
		d.TitleCJK = d.Name
	}
}

// docID is the index ID of a record: its kind and its database ID.
func docID(kind Kind, id domain.ID) string { return string(kind) + ":" + string(id) }

// parseDocID splits an index ID made by docID.
func parseDocID(s string) (Kind, domain.ID, error) {
	kind, id, ok := strings.Cut(s, ":")
	if !ok || id == "" {
		return "", "", fmt.Errorf("index document %q: malformed id", s)
	}

	return Kind(kind), domain.ID(id), nil
}

// taskFacts are the visibility facts of a task and everything hanging from it.
type taskFacts struct {
	shared          bool
	milestoneID     domain.ID
	milestoneHidden bool
}

// factsOf reads a task's facts the way the access policy judges them: a task in a
// milestone that is missing, hidden or in another project is hidden by it.
func factsOf(tx *store.Tx, t domain.Task) taskFacts {
	f := taskFacts{shared: t.Shared, milestoneID: t.MilestoneID}
	if t.MilestoneID != "" {
		m, err := tx.Milestone(t.MilestoneID)
		f.milestoneHidden = err != nil || !m.Shared || m.ProjectID != t.ProjectID
	}

	return f
}

// chain is the fingerprint of the facts, indexed on every document of the task.
func (f taskFacts) chain() string {
	return fmt.Sprintf("%t/%s/%t", f.shared, f.milestoneID, f.milestoneHidden)
}

func (f taskFacts) apply(d *document, taskID domain.ID) {
	d.TaskID, d.MilestoneID, d.Chain = string(taskID), string(f.milestoneID), f.chain()
	d.TaskShared, d.MilestoneHidden = f.shared, f.milestoneHidden
}

func taskDocument(t domain.Task, f taskFacts) document {
	d := document{Kind: string(KindTask), ProjectID: string(t.ProjectID)}
	d.withText(t.Title, t.Description)
	f.apply(&d, t.ID)
	return d
}

func commentDocument(c domain.Comment, f taskFacts) document {
	d := document{Kind: string(KindComment), ProjectID: string(c.ProjectID), Internal: c.Internal}
	d.withText("", c.Body)
	f.apply(&d, c.TaskID)
	return d
}

func fileDocument(fl domain.File, f taskFacts) document {
	d := document{Kind: string(KindFile), ProjectID: string(fl.ProjectID)}
	d.withName(fl.Name)
	f.apply(&d, fl.TaskID)
	return d
}

// fileNameText turns the separators people put in file names into spaces, so that
// "brand_guide-v2.pdf" is found by "brand", "guide" or "pdf". The word tokenizer would
// keep "logo.txt" or "brand_guide" whole, so query words searched in names go through it
// too. Each replaced character is one byte and so is its replacement, so offsets into the
// result are offsets into the name.
func fileNameText(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '.', '-', '+', '~':
			return ' '
		}
		return r
	}, name)
}
