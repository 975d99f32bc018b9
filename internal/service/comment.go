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
		c, err = addComment(tx, t, staffActor(byID), body, internal)
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
		c, err = addComment(tx, t, clientActor(clientID), body, false)
		return err
	})
	return c, err
}

func addComment(tx *store.Tx, t domain.Task, by domain.Actor, body string, internal bool) (domain.Comment, error) {
	body, err := domain.CleanText("body", body, domain.MaxComment)
	if err != nil {
		return domain.Comment{}, err
	}
	if len(trimSpace(body)) == 0 {
		return domain.Comment{}, domain.Invalid("body", "must not be empty")
	}
	c := domain.Comment{ID: domain.NewID(), TaskID: t.ID, ProjectID: t.ProjectID, Author: by,
		Body: body, Internal: internal, Created: tx.Now()}
	if err := tx.PutComment(c); err != nil {
		return c, err
	}
	_, err = tx.Log(domain.Activity{Actor: by, Action: domain.ActionCommentAdded,
		ProjectID: t.ProjectID, TaskID: t.ID, ObjectID: c.ID})
	return c, err
}

// DeleteComment removes a comment; the log keeps only the fact.
func (s *Service) DeleteComment(byID, commentID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		c, err := tx.Comment(commentID)
		if err != nil {
			return err
		}
		if _, _, err := StaffTask(tx, byID, c.TaskID); err != nil {
			return notFoundf("comment", commentID)
		}
		if err := tx.DeleteComment(c); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionCommentDeleted, c.ProjectID, c.TaskID, c.ID)
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
