package search

import (
	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// record is a hit turned back into what the database holds now.
type record struct {
	kind                         Kind
	id, projectID, taskID, docID domain.ID
	title, body                  string
	// fileName marks a title that is a file name, indexed through fileNameText.
	fileName bool
}

// kindRules are the search rules of one kind of record. client and staff read the
// database through the access policy or the staff rights; admits only narrows a client
// search in the index before those re-checks.
type kindRules struct {
	// admits is the access policy's rule for this kind, applied to the facts a document
	// carries (project rules aside, which searches apply live). It must never admit what
	// the policy hides: stale facts are caught by the re-check, but a wrong rule here
	// would show up as missing hits or wrong counts.
	admits func(d document) bool
	// client returns the record if the client may see it now, else domain.ErrNotFound.
	client func(tx *store.Tx, clientID, id domain.ID) (record, error)
	// staff returns the record if the staff member may see it now, else
	// domain.ErrNotFound.
	staff func(tx *store.Tx, staffID, id domain.ID) (record, error)
}

// kindOrder lists the searchable kinds.
var kindOrder = []Kind{KindTask, KindComment, KindFile, KindDoc, KindFolderFile}

var kinds = map[Kind]kindRules{
	KindTask: {
		admits: taskAdmits,
		client: func(tx *store.Tx, clientID, id domain.ID) (record, error) {
			t, err := access.Task(tx, clientID, id)
			return taskRecord(t), err
		},
		staff: func(tx *store.Tx, staffID, id domain.ID) (record, error) {
			t, _, err := service.StaffTask(tx, staffID, id)
			return taskRecord(t), err
		},
	},
	KindComment: {admits: commentAdmits, client: clientComment, staff: staffComment},
	KindFile: {
		admits: taskAdmits,
		client: func(tx *store.Tx, clientID, id domain.ID) (record, error) {
			f, err := access.File(tx, clientID, id)
			return fileRecord(f), err
		},
		staff: func(tx *store.Tx, staffID, id domain.ID) (record, error) {
			f, err := tx.File(id)
			if err != nil {
				return record{}, err
			}
			_, _, err = service.StaffTask(tx, staffID, f.TaskID)
			return fileRecord(f), err
		},
	},
	KindDoc:        docRules,
	KindFolderFile: folderFileRules,
}

// taskAdmits is the policy's rule for a task, and for what hangs from it: shared, and
// not in a hidden milestone. Project rules are applied separately (clientFilter).
func taskAdmits(d document) bool { return d.TaskShared && !d.MilestoneHidden }

func taskRecord(t domain.Task) record {
	return record{kind: KindTask, id: t.ID, projectID: t.ProjectID, taskID: t.ID,
		title: t.Title, body: t.Description}
}

func commentRecord(c domain.Comment, t domain.Task) record {
	return record{kind: KindComment, id: c.ID, projectID: c.ProjectID, taskID: c.TaskID,
		title: t.Title, body: c.Body}
}

func fileRecord(f domain.File) record {
	return record{kind: KindFile, id: f.ID, projectID: f.ProjectID, taskID: f.TaskID,
		title: f.Name, fileName: true}
}
