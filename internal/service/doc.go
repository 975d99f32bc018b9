package service

import (
	"fmt"

	"portico/internal/domain"
	"portico/internal/store"
)

// DocInput describes a doc to create or change; nil fields stay as they are (on creation,
// Shared defaults to the project's auto-share toggle and Body to empty). BaseVersion, when
// set, is the version the editor started from: a change to a doc saved by someone else
// since then is refused with ErrConflict instead of overwriting their work.
type DocInput struct {
	Title       *string `json:"title"`
	Body        *string `json:"body"`
	Shared      *bool   `json:"shared"`
	BaseVersion *int    `json:"base_version"`
}

// CreateDoc adds a doc to a project, with its first version.
func (s *Service) CreateDoc(byID, projectID domain.ID, in DocInput) (domain.Doc, error) {
	var d domain.Doc
	err := s.store.Update(func(tx *store.Tx) error {
		p, err := StaffProject(tx, byID, projectID)
		if err != nil {
			return err
		}
		if in.Title == nil {
			return domain.Invalid("title", "is required")
		}
		now := tx.Now()
		d = domain.Doc{ID: domain.NewID(), ProjectID: p.ID, Shared: p.AutoShare, Created: now}
		if err := applyDocContent(&d, in); err != nil {
			return err
		}
		if in.Shared != nil {
			d.Shared = *in.Shared
		}
		if err := saveDocVersion(tx, &d, staffActor(byID), 0); err != nil {
			return err
		}
		return s.logDoc(tx, byID, domain.ActionDocCreated, d)
	})
	return d, err
}

// UpdateDoc changes a doc's title, body or shared switch. A changed title or body is saved
// as a new version (doc.updated); a changed switch logs doc.shared or doc.unshared. A
// change that changes nothing writes nothing.
func (s *Service) UpdateDoc(byID, docID domain.ID, in DocInput) (domain.Doc, error) {
	var d domain.Doc
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if d, err = StaffDoc(tx, byID, docID); err != nil {
			return err
		}
		if err := checkBaseVersion(d, in.BaseVersion); err != nil {
			return err
		}
		before := d
		if err := applyDocContent(&d, in); err != nil {
			return err
		}
		if d.Title != before.Title || d.Body != before.Body {
			if err := saveDocVersion(tx, &d, staffActor(byID), 0); err != nil {
				return err
			}
			if err := s.logDoc(tx, byID, domain.ActionDocUpdated, d); err != nil {
				return err
			}
		}
		if in.Shared == nil || *in.Shared == d.Shared {
			return nil
		}
		return s.setDocShared(tx, byID, &d, *in.Shared)
	})
	return d, err
}

// checkBaseVersion refuses a change made from another version than the doc's: a conflict
// (409), except for a base below 1, which no doc ever had (bad input, 400). A base above
// the doc's version stays a conflict: an editor left open while the data folder was
// restored from a backup sends one, and should reload rather than be told it erred.
func checkBaseVersion(d domain.Doc, base *int) error {
	switch {
	case base == nil || *base == d.Version:
		return nil
	case *base < 1:
		return domain.Invalid("base_version",
			"must be the version your change started from: 1 or more")
	}
	return fmt.Errorf("this doc was saved by someone else since you opened it "+
		"(version %d); reload it and make your change again: %w", d.Version, domain.ErrConflict)
}

func (s *Service) setDocShared(tx *store.Tx, byID domain.ID, d *domain.Doc, shared bool) error {
	d.Shared = shared
	if err := tx.PutDoc(*d); err != nil {
		return err
	}
	action := domain.ActionDocShared
	if !shared {
		action = domain.ActionDocUnshared
	}
	return s.logDoc(tx, byID, action, *d)
}

// RestoreDocVersion makes version n the doc's content again, as a new version whose
// RestoredFrom is n (doc.restored). Older versions stay as they were. Restoring the
// content the doc has already (its own version, or one with the same title and body)
// writes nothing and returns the doc as it is, like a change that changes nothing.
func (s *Service) RestoreDocVersion(byID, docID domain.ID, n int) (domain.Doc, error) {
	var d domain.Doc
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if d, err = StaffDoc(tx, byID, docID); err != nil {
			return err
		}
		old, err := tx.DocVersion(d.ID, n)
		if err != nil {
			return err
		}
		if old.Title == d.Title && old.Body == d.Body {
			return nil
		}
		d.Title, d.Body = old.Title, old.Body
		if err := saveDocVersion(tx, &d, staffActor(byID), n); err != nil {
			return err
		}
		return s.logDoc(tx, byID, domain.ActionDocRestored, d)
	})
	return d, err
}

// DeleteDoc removes a doc with its versions and comments; the activity log keeps the fact.
func (s *Service) DeleteDoc(byID, docID domain.ID) error {
	return s.store.Update(func(tx *store.Tx) error {
		d, err := StaffDoc(tx, byID, docID)
		if err != nil {
			return err
		}
		if err := tx.DeleteDoc(d); err != nil {
			return err
		}
		return s.logDoc(tx, byID, domain.ActionDocDeleted, d)
	})
}

// StaffDoc returns a doc in a project the staff member may work in.
func StaffDoc(tx *store.Tx, staffID, docID domain.ID) (domain.Doc, error) {
	d, err := tx.Doc(docID)
	if err != nil {
		return domain.Doc{}, err
	}
	if _, err := StaffProject(tx, staffID, d.ProjectID); err != nil {
		return domain.Doc{}, notFoundf("doc", docID)
	}
	return d, nil
}

// applyDocContent checks and sets the title and body that in changes.
func applyDocContent(d *domain.Doc, in DocInput) error {
	var err error
	if in.Title != nil {
		if d.Title, err = domain.CleanTitle("title", *in.Title, domain.MaxTitle); err != nil {
			return err
		}
	}
	if in.Body != nil {
		if d.Body, err = domain.CleanText("body", *in.Body, domain.MaxDocBody); err != nil {
			return err
		}
	}
	return nil
}

// saveDocVersion stores the doc's current content as its next version, by author, and
// the doc itself pointing at it.
func saveDocVersion(tx *store.Tx, d *domain.Doc, author domain.Actor, restoredFrom int) error {
	d.Version++
	d.Updated, d.UpdatedBy = tx.Now(), author
	v := domain.DocVersion{DocID: d.ID, N: d.Version, Title: d.Title, Body: d.Body,
		Author: author, Created: tx.Now(), RestoredFrom: restoredFrom}
	if err := tx.PutDocVersion(v); err != nil {
		return err
	}
	return tx.PutDoc(*d)
}

// logDoc appends a doc entry by a staff member.
func (s *Service) logDoc(tx *store.Tx, staffID domain.ID, action domain.Action,
	d domain.Doc) error {
	_, err := tx.Log(domain.Activity{Actor: staffActor(staffID), Action: action,
		ProjectID: d.ProjectID, DocID: d.ID, ObjectID: d.ID})
	return err
}
