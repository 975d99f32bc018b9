package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"portico/internal/domain"
)

// Docs are stored whole (with the newest body) under their ID; docs_by_project lists a
// project's docs with one flag byte (flagShared), like tasks_by_project; doc_versions
// keeps every saved version under "docID/" and the version number as 8 big-endian bytes,
// so a doc's versions list oldest first; comments_by_doc lists a doc's comments.

// Doc returns the doc with id.
func (tx *Tx) Doc(id domain.ID) (domain.Doc, error) {
	return get[domain.Doc](tx, bucketDocs, []byte(id))
}

// Docs returns a project's docs ordered by title, then creation. With sharedOnly, docs
// whose shared switch is off are skipped without being read (the project rules are the
// caller's).
func (tx *Tx) Docs(projectID domain.ID, sharedOnly bool) ([]domain.Doc, error) {
	var out []domain.Doc
	err := children(tx, bucketDocsByProject, projectID, func(id domain.ID, flags []byte) error {
		if sharedOnly && (len(flags) == 0 || flags[0]&flagShared == 0) {
			return nil
		}
		d, err := tx.Doc(id)
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	slices.SortStableFunc(out, func(a, b domain.Doc) int {
		return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
	})
	return out, err
}

// PutDoc creates or replaces a doc. Its versions are written separately, by PutDocVersion.
func (tx *Tx) PutDoc(d domain.Doc) error {
	flags := byte(0)
	if d.Shared {
		flags |= flagShared
	}
	index := tx.tx.Bucket(bucketDocsByProject)
	if err := index.Put(pair(d.ProjectID, d.ID), []byte{flags}); err != nil {
		return fmt.Errorf("index doc %s: %w", d.ID, err)
	}
	return put(tx, bucketDocs, []byte(d.ID), d)
}

// DeleteDoc removes a doc with every version and comment of it.
func (tx *Tx) DeleteDoc(d domain.Doc) error {
	comments, err := tx.DocComments(d.ID)
	if err != nil {
		return err
	}
	for _, c := range comments {
		if err := tx.DeleteComment(c); err != nil {
			return err
		}
	}
	var keys [][]byte
	prefix := versionPrefix(d.ID)
	c := tx.tx.Bucket(bucketDocVersions).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := del(tx, bucketDocVersions, k); err != nil {
			return err
		}
	}
	if err := del(tx, bucketDocsByProject, pair(d.ProjectID, d.ID)); err != nil {
		return err
	}
	return del(tx, bucketDocs, []byte(d.ID))
}

// DocVersion returns version n of a doc.
func (tx *Tx) DocVersion(docID domain.ID, n int) (domain.DocVersion, error) {
	if n < 1 {
		return domain.DocVersion{}, fmt.Errorf("doc %s version %d: %w", docID, n, domain.ErrNotFound)
	}
	raw := tx.tx.Bucket(bucketDocVersions).Get(versionKey(docID, n))
	if raw == nil {
		return domain.DocVersion{}, fmt.Errorf("doc %s version %d: %w", docID, n, domain.ErrNotFound)
	}
	v, err := decodeJSON[domain.DocVersion](raw)
	if err != nil {
		return v, fmt.Errorf("decode doc %s version %d: %w", docID, n, err)
	}
	return v, nil
}

// DocVersions returns every version of a doc, oldest first.
func (tx *Tx) DocVersions(docID domain.ID) ([]domain.DocVersion, error) {
	var out []domain.DocVersion
	prefix := versionPrefix(docID)
	c := tx.tx.Bucket(bucketDocVersions).Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		v, err := decodeJSON[domain.DocVersion](raw)
		if err != nil {
			return nil, fmt.Errorf("decode doc %s version: %w", docID, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// PutDocVersion writes a version of a doc. A version, once written, is never replaced:
// writing a number that exists already is an ErrConflict.
func (tx *Tx) PutDocVersion(v domain.DocVersion) error {
	if v.N < 1 {
		return fmt.Errorf("doc %s: version number %d is not positive", v.DocID, v.N)
	}
	key := versionKey(v.DocID, v.N)
	if tx.tx.Bucket(bucketDocVersions).Get(key) != nil {
		return fmt.Errorf("doc %s version %d exists already: %w", v.DocID, v.N, domain.ErrConflict)
	}
	return put(tx, bucketDocVersions, key, v)
}

// DocComments returns a doc's comments, oldest first.
func (tx *Tx) DocComments(docID domain.ID) ([]domain.Comment, error) {
	return listed[domain.Comment](tx, bucketCommentsByDoc, bucketComments, docID)
}

// DocsAfter returns up to limit docs with an ID greater than after ("" for the first), in
// ID order, for rebuilding the search index in bounded chunks.
func (tx *Tx) DocsAfter(after domain.ID, limit int) ([]domain.Doc, error) {
	return scanAfter(tx, bucketDocs, after, limit, decodeJSON[domain.Doc])
}

func versionPrefix(docID domain.ID) []byte {
	return []byte(string(docID) + "/")
}

func versionKey(docID domain.ID, n int) []byte {
	return binary.BigEndian.AppendUint64(versionPrefix(docID), uint64(n))
}
