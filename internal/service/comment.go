package service

import (
	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// AddComment adds a staff comment, internal or not.
func (s *Service) AddComment(byID, taskID domain.ID, body string, internal bool) (domain.Comment, error) {
	var c domain.Comment
	err := s.store.Update(func(tx *store.Tx) error {
		t, _, err := StaffTask(tx, byID, taskID)
		if err != nil {
			return err
		}
		c, err = addComment(tx, domain.Comment{TaskID: t.ID, ProjectID: t.ProjectID,
			Author: staffActor(byID), Body: body, Internal: internal})
		return err
	})
	return c, err
}

// ClientComment adds a comment by a client on a task they can see.
func (s *Service) ClientComment(clientID, taskID domain.ID, body string) (domain.Comment, error) {
	var c domain.Comment
	err := s.store.Batch(func(tx *store.Tx) error {
		t, err := access.Task(tx, clientID, taskID)
		if err != nil {
			return err
		}
		c, err = addComment(tx, domain.Comment{TaskID: t.ID, ProjectID: t.ProjectID,
			Author: clientActor(clientID), Body: body})
		return err
	})
	return c, err
}

// AddDocComment adds a staff comment on a doc, internal or not.
func (s *Service) AddDocComment(byID, docID domain.ID, body string,
	internal bool) (domain.Comment, error) {
	var c domain.Comment
	err := s.store.Update(func(tx *store.Tx) error {
		d, err := StaffDoc(tx, byID, docID)
		if err != nil {
			return err
		}
		c, err = addComment(tx, domain.Comment{DocID: d.ID, ProjectID: d.ProjectID,
			Author: staffActor(byID), Body: body, Internal: internal})
		return err
	})
	return c, err
}

// ClientDocComment adds a comment by a client on a doc they can see.
func (s *Service) ClientDocComment(clientID, docID domain.ID, body string) (domain.Comment, error) {
	var c domain.Comment
	err := s.store.Batch(func(tx *store.Tx) error {
		d, err := access.Doc(tx, clientID, docID)
		if err != nil {
			return err
		}
		c, err = addComment(tx, domain.Comment{DocID: d.ID, ProjectID: d.ProjectID,
			Author: clientActor(clientID), Body: body})
		return err
	})
	return c, err
}

// addComment checks c's body, stamps it and writes it with its comment.added entry, which
// names the comment's task or doc.
func addComment(tx *store.Tx, c domain.Comment) (domain.Comment, error) {
	body, err := domain.CleanText("body", c.Body, domain.MaxComment)
	if err != nil {
		return domain.Comment{}, err
	}
	if len(trimSpace(body)) == 0 {
		return domain.Comment{}, domain.Invalid("body", "must not be empty")
	}
	c.ID, c.Body, c.Created = domain.NewID(), body, tx.Now()
	if err := tx.PutComment(c); err != nil {
		return c, err
	}
	_, err = tx.Log(domain.Activity{Actor: c.Author, Action: domain.ActionCommentAdded,
		ProjectID: c.ProjectID, TaskID: c.TaskID, DocID: c.DocID, ObjectID: c.ID})
	return c, err
}

// DeleteComment removes a comment on a task or a doc; the log keeps only the fact.
func (s *Service) DeleteComment(byID, commentID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		c, err := tx.Comment(commentID)
		if err != nil {
			return err
		}
		if c.DocID != "" {
			_, err = StaffDoc(tx, byID, c.DocID)
		} else {
			_, _, err = StaffTask(tx, byID, c.TaskID)
		}
		if err != nil {
			return notFoundf("comment", commentID)
		}
		if err := tx.DeleteComment(c); err != nil {
			return err
		}
		_, err = tx.Log(domain.Activity{Actor: staffActor(byID), Action: domain.ActionCommentDeleted,
			ProjectID: c.ProjectID, TaskID: c.TaskID, DocID: c.DocID, ObjectID: c.ID})
		return err
	})
}

// SetTaskDone completes (done true) or reopens a task assigned to the client. Completing
// a task with its activity entry is one durable transaction, batched with concurrent ones.
func (s *Service) SetTaskDone(clientID, taskID domain.ID, done bool) (domain.Task, error) {
	var t domain.Task
	err := s.store.Batch(func(tx *store.Tx) error {
		var err error
		if t, err = access.Assigned(tx, clientID, taskID); err != nil {
			return err
		}
		want := domain.StatusTodo
		if done {
			want = domain.StatusDone
		}
		if t.Status == want {
			return nil
		}
		t.Status = want
		action := statusChange(tx, &t, clientActor(clientID))
		t.Updated = tx.Now()
		if err := tx.PutTask(t); err != nil {
			return err
		}
		_, err = tx.Log(domain.Activity{Actor: clientActor(clientID), Action: action,
			ProjectID: t.ProjectID, TaskID: t.ID, ObjectID: t.ID})
		return err
	})
	return t, err
}
