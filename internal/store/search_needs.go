package store

import (
	"encoding/json"
	"fmt"

	"portico/internal/domain"
)

// The search index is rebuilt from these scans: each returns at most limit records with an
// ID greater than after, in ID order, so a rebuild walks a bucket in bounded chunks, one
// short read transaction per chunk, and resumes after the last ID it got.

// TasksAfter returns up to limit tasks with an ID greater than after ("" for the first).
func (tx *Tx) TasksAfter(after domain.ID, limit int) ([]domain.Task, error) {
	return scanAfter(tx, bucketTasks, after, limit, decodeTask)
}

// CommentsAfter returns up to limit comments with an ID greater than after.
func (tx *Tx) CommentsAfter(after domain.ID, limit int) ([]domain.Comment, error) {
	return scanAfter(tx, bucketComments, after, limit, decodeJSON[domain.Comment])
}

// FilesAfter returns up to limit file records with an ID greater than after.
func (tx *Tx) FilesAfter(after domain.ID, limit int) ([]domain.File, error) {
	return scanAfter(tx, bucketFiles, after, limit, decodeJSON[domain.File])
}

func scanAfter[T any](tx *Tx, bucket []byte, after domain.ID, limit int,
	decode func([]byte) (T, error)) ([]T, error) {
	var out []T
	c := tx.tx.Bucket(bucket).Cursor()
	k, raw := c.Seek([]byte(after))
	if k != nil && string(k) == string(after) {
		k, raw = c.Next()
	}
	for ; k != nil && len(out) < limit; k, raw = c.Next() {
		v, err := decode(raw)
		if err != nil {
			return nil, fmt.Errorf("scan %s at %s: %w", bucket, k, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// decodeJSON copies as it decodes, so the result does not alias bbolt memory.
func decodeJSON[T any](raw []byte) (T, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}
