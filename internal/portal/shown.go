package portal

import (
	"cmp"
	"slices"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// actionGone is the event that tells an open page one of the objects it shows is no longer
// there for the client. It is one action for every cause (hidden, unshared, deleted,
// removed from the folder), so a hidden object reads exactly like a missing one.
const actionGone domain.Action = "gone"

// objectKind says which access check decides whether a shown object is still visible.
type objectKind uint8

const (
	kindTask objectKind = iota + 1
	kindMilestone
	kindDoc
	kindFolderFile
	kindFile
	kindComment
)

// shownObject is one object a stream's page may show. Task and doc name the task or doc it
// is or belongs to, which the task and doc pages filter events on.
type shownObject struct {
	kind objectKind
	task domain.ID
	doc  domain.ID
}

// child reports whether the object lives on a task's or doc's page and goes with it.
func (o shownObject) child() bool { return o.kind == kindFile || o.kind == kindComment }

// shownSet is what one event stream's page may be showing of its project: what the client
// could see when the stream opened, and what forwarded events named since. When an entry
// the client may not see names one of these objects, the access policy is asked again, and
// an object no longer visible becomes a "gone" event; objects the client was never shown
// never cause one. Objects enter only while visible and leave once they are not, so the set
// stays within what the project holds.
//
// Files and comments appear on one task's or doc's page only, so they are tracked for the
// page that opened the stream (pageTask or pageDoc), not for the whole project.
type shownSet struct {
	clientID  domain.ID
	projectID domain.ID
	pageTask  domain.ID
	pageDoc   domain.ID
	objects   map[domain.ID]shownObject
}

// newShownSet returns what the client sees of the project now, with the files and comments
// of the task or doc page that opened the stream, if the client sees that page.
func newShownSet(tx *store.Tx, clientID, projectID, pageTask, pageDoc domain.ID) (*shownSet,
	error) {
	s := &shownSet{clientID: clientID, projectID: projectID,
		objects: map[domain.ID]shownObject{}}
	if err := s.addProject(tx); err != nil {
		return nil, err
	}

	s.addPage(tx, pageTask, pageDoc)
	return s, nil
}

// addProject adds every milestone, task, doc and folder file the client sees in the
// project now.
func (s *shownSet) addProject(tx *store.Tx) error {
	view, err := access.ViewProject(tx, s.clientID, s.projectID)
	if err != nil {
		return err
	}

	for _, mv := range view.Milestones {
		s.objects[mv.Milestone.ID] = shownObject{kind: kindMilestone}
		s.addTasks(mv.Tasks)
	}
	s.addTasks(view.Loose)
	for _, d := range view.Docs {
		s.objects[d.ID] = shownObject{kind: kindDoc, doc: d.ID}
	}
	for _, f := range view.FolderFiles {
		s.objects[f.ID] = shownObject{kind: kindFolderFile}
	}
	return nil
}

func (s *shownSet) addTasks(tasks []domain.Task) {
	for _, t := range tasks {
		s.objects[t.ID] = shownObject{kind: kindTask, task: t.ID}
	}
}

// addPage remembers the page's task or doc, if the client sees it in this project, with
// its files and visible comments. A page the client does not see tracks nothing.
func (s *shownSet) addPage(tx *store.Tx, taskID, docID domain.ID) {
	if taskID != "" {
		view, err := access.ViewTask(tx, s.clientID, taskID)
		if err != nil || view.Task.ProjectID != s.projectID {
			return
		}
		s.pageTask = taskID
		for _, f := range view.Files {
			s.objects[f.ID] = shownObject{kind: kindFile, task: taskID}
		}
		for _, c := range view.Comments {
			s.objects[c.ID] = shownObject{kind: kindComment, task: taskID}
		}
		return
	}

	if docID != "" {
		view, err := access.ViewDoc(tx, s.clientID, docID)
		if err != nil || view.Doc.ProjectID != s.projectID {
			return
		}
		s.pageDoc = docID
		for _, c := range view.Comments {
			s.objects[c.ID] = shownObject{kind: kindComment, doc: docID}
		}
	}
}

// follow returns the events one entry of the stream's project makes: the entry itself when
// the client may see it (and its objects are remembered), "gone" events when it made shown
// objects invisible, and nothing otherwise.
func (s *shownSet) follow(tx *store.Tx, a domain.Activity) []clientEvent {
	if access.Activity(tx, s.clientID, a) {
		s.remember(tx, a)
		return []clientEvent{{Action: a.Action, TaskID: a.TaskID, DocID: a.DocID,
			ObjectID: a.ObjectID}}
	}

	return s.lost(tx, a)
}

// remember adds the objects a visible entry names.
func (s *shownSet) remember(tx *store.Tx, a domain.Activity) {
	if a.TaskID != "" {
		s.objects[a.TaskID] = shownObject{kind: kindTask, task: a.TaskID}
	}
	if a.DocID != "" {
		s.objects[a.DocID] = shownObject{kind: kindDoc, doc: a.DocID}
	}

	switch a.Action {
	case domain.ActionCommentAdded:
		if s.onPage(a) {
			s.objects[a.ObjectID] = shownObject{kind: kindComment, task: a.TaskID, doc: a.DocID}
		}
	case domain.ActionFileUploaded:
		if s.onPage(a) {
			s.objects[a.ObjectID] = shownObject{kind: kindFile, task: a.TaskID}
		}
	case domain.ActionFolderFileAdded, domain.ActionFolderFileUpdated,
		domain.ActionFolderFileShared:
		s.objects[a.ObjectID] = shownObject{kind: kindFolderFile}
	case domain.ActionMilestoneCreated, domain.ActionMilestoneUpdated:
		// A milestone shared again shows its tasks, which no entry of their own announces.
		// An error means the project itself is hidden now, which ends the stream anyway.
		_ = s.addProject(tx)
	}
}

// onPage reports whether an entry's task or doc is the page that opened the stream.
func (s *shownSet) onPage(a domain.Activity) bool {
	return a.TaskID != "" && a.TaskID == s.pageTask || a.DocID != "" && a.DocID == s.pageDoc
}

// lost checks the shown objects an invisible entry names. Only when one of them is no
// longer visible does it look further: at the tasks of a milestone gone, and at the files
// and comments of a task or doc gone, which go silently with their page. It returns a
// "gone" event for each object that went, and forgets them.
func (s *shownSet) lost(tx *store.Tx, a domain.Activity) []clientEvent {
	gone := map[domain.ID]shownObject{}
	for _, id := range []domain.ID{a.ObjectID, a.TaskID, a.DocID} {
		if o, ok := s.objects[id]; ok && id != "" && !s.visible(tx, id, o) {
			gone[id] = o
		}
	}
	if len(gone) == 0 {
		return nil
	}

	s.dependents(tx, gone)
	var out []clientEvent
	for id, o := range gone {
		delete(s.objects, id)
		if parentGone(gone, o) {
			continue // its task's or doc's own event refreshes the page
		}
		out = append(out, clientEvent{Action: actionGone, ObjectID: id, TaskID: o.task,
			DocID: o.doc})
	}
	slices.SortFunc(out, func(x, y clientEvent) int { return cmp.Compare(x.ObjectID, y.ObjectID) })
	return out
}

// dependents adds to gone the shown objects that went with it: the tasks of a milestone
// (checked again, since a task may have moved) and the files and comments of a task or doc.
func (s *shownSet) dependents(tx *store.Tx, gone map[domain.ID]shownObject) {
	milestoneGone := false
	for _, o := range gone {
		milestoneGone = milestoneGone || o.kind == kindMilestone
	}
	if milestoneGone {
		for id, o := range s.objects {
			if o.kind == kindTask && !s.visible(tx, id, o) {
				gone[id] = o
			}
		}
	}

	for id, o := range s.objects {
		if parentGone(gone, o) {
			gone[id] = o
		}
	}
}

// parentGone reports whether o is a file or comment whose task or doc is in gone.
func parentGone(gone map[domain.ID]shownObject, o shownObject) bool {
	if !o.child() {
		return false
	}
	_, task := gone[o.task]
	_, doc := gone[o.doc]
	return o.task != "" && task || o.doc != "" && doc
}

// visible asks the access policy whether the client still sees a shown object.
func (s *shownSet) visible(tx *store.Tx, id domain.ID, o shownObject) bool {
	var err error
	switch o.kind {
	case kindTask:
		_, err = access.Task(tx, s.clientID, id)
	case kindMilestone:
		_, err = access.Milestone(tx, s.clientID, id)
	case kindDoc:
		_, err = access.Doc(tx, s.clientID, id)
	case kindFolderFile:
		_, err = access.FolderFile(tx, s.clientID, id)
	case kindFile:
		_, err = access.File(tx, s.clientID, id)
	case kindComment:
		_, err = access.Comment(tx, s.clientID, id)
	}
	return err == nil
}
