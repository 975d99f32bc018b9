package search

import (
	"errors"

	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// docRules are the search rules of project docs: the policy shows a shared doc of a
// project the client may see (project rules are applied live, see clientFilter).
var docRules = kindRules{
	admits: func(d document) bool { return d.Shared },
	client: func(tx *store.Tx, clientID, id domain.ID) (record, error) {
		d, err := access.Doc(tx, clientID, id)
		return docRecord(d), err
	},
	staff: func(tx *store.Tx, staffID, id domain.ID) (record, error) {
		d, err := service.StaffDoc(tx, staffID, id)
		return docRecord(d), err
	},
}

// commentAdmits is the policy's rule for a comment: not internal, on a shared doc or on
// a task the client may see.
func commentAdmits(d document) bool {
	if d.Internal {
		return false
	}
	if d.DocID != "" {
		return d.Shared
	}
	return taskAdmits(d)
}

// clientComment re-reads a comment, on a task or a doc, through the access policy.
func clientComment(tx *store.Tx, clientID, id domain.ID) (record, error) {
	c, err := access.Comment(tx, clientID, id)
	if err != nil {
		return record{}, err
	}

	if c.DocID != "" {
		d, err := tx.Doc(c.DocID) // visible: access.Comment checked it
		return docCommentRecord(c, d), err
	}

	t, err := tx.Task(c.TaskID) // visible: access.Comment checked it
	return commentRecord(c, t), err
}

// staffComment re-reads a comment, on a task or a doc, through the staff rights.
func staffComment(tx *store.Tx, staffID, id domain.ID) (record, error) {
	c, err := tx.Comment(id)
	if err != nil {
		return record{}, err
	}

	if c.DocID != "" {
		d, err := service.StaffDoc(tx, staffID, c.DocID)
		return docCommentRecord(c, d), err
	}

	t, _, err := service.StaffTask(tx, staffID, c.TaskID)
	return commentRecord(c, t), err
}

func docRecord(d domain.Doc) record {
	return record{kind: KindDoc, id: d.ID, projectID: d.ProjectID, docID: d.ID,
		title: d.Title, body: d.Body}
}

// docCommentRecord is a comment on a doc, titled with the doc's title.
func docCommentRecord(c domain.Comment, d domain.Doc) record {
	return record{kind: KindComment, id: c.ID, projectID: c.ProjectID, docID: c.DocID,
		title: d.Title, body: c.Body}
}

func docDocument(d domain.Doc) document {
	doc := document{Kind: string(KindDoc), ProjectID: string(d.ProjectID), Shared: d.Shared}
	doc.withText(d.Title, d.Body)
	return doc
}

// docCommentDocument carries the doc's shared switch, which the policy applies to the
// comment; the doc's ID lets the indexer find the comment when the switch changes.
func docCommentDocument(c domain.Comment, d domain.Doc) document {
	doc := document{Kind: string(KindComment), ProjectID: string(c.ProjectID),
		DocID: string(c.DocID), Shared: d.Shared, Internal: c.Internal}
	doc.withText("", c.Body)
	return doc
}

// resyncDoc writes a doc's current document, or deletes it when the doc is gone.
func (w *writer) resyncDoc(tx *store.Tx, id domain.ID) error {
	d, err := tx.Doc(id)
	if errors.Is(err, domain.ErrNotFound) {
		w.remove(KindDoc, id)
		return nil
	}
	if err != nil {
		return err
	}

	return w.put(KindDoc, id, docDocument(d))
}

// putDocComment writes a comment on a doc with the doc's current facts, or deletes it
// when the doc is gone.
func (w *writer) putDocComment(tx *store.Tx, c domain.Comment) error {
	d, err := tx.Doc(c.DocID)
	if errors.Is(err, domain.ErrNotFound) {
		w.remove(KindComment, c.ID)
		return nil
	}
	if err != nil {
		return err
	}

	return w.put(KindComment, c.ID, docCommentDocument(c, d))
}

func scanDocs(tx *store.Tx, w *writer, after domain.ID, limit int) (domain.ID, error) {
	docs, err := tx.DocsAfter(after, limit)
	if err != nil || len(docs) == 0 {
		return "", err
	}

	for _, d := range docs {
		if err := w.put(KindDoc, d.ID, docDocument(d)); err != nil {
			return "", err
		}
	}

	return docs[len(docs)-1].ID, nil
}

// staleUnderDoc selects a doc's comments whose shared fact differs from the doc's
// current switch; all of them once the doc is gone.
func staleUnderDoc(docID domain.ID) func(*store.Tx) query.Query {
	return func(tx *store.Tx) query.Query {
		mine := query.NewConjunctionQuery([]query.Query{
			term(fieldDocID, string(docID)), term(fieldKind, string(KindComment))})
		d, err := tx.Doc(docID)
		if err != nil {
			return mine
		}
		fresh := boolTerm(fieldShared, d.Shared)
		return query.NewBooleanQuery([]query.Query{mine}, nil, []query.Query{fresh})
	}
}
