package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"portico/internal/domain"
)

// get decodes the record under key in bucket into a fresh value; json.Unmarshal copies,
// so the result does not alias bbolt memory.
func get[T any](tx *Tx, bucket []byte, key []byte) (T, error) {
	var v T
	raw := tx.tx.Bucket(bucket).Get(key)
	if raw == nil {
		return v, fmt.Errorf("%s %s: %w", bucket, key, domain.ErrNotFound)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("decode %s %s: %w", bucket, key, err)
	}
	return v, nil
}

func put(tx *Tx, bucket []byte, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", bucket, key, err)
	}
	if err := tx.tx.Bucket(bucket).Put(key, raw); err != nil {
		return fmt.Errorf("write %s %s: %w", bucket, key, err)
	}
	return nil
}

func del(tx *Tx, bucket []byte, key []byte) error {
	if err := tx.tx.Bucket(bucket).Delete(key); err != nil {
		return fmt.Errorf("delete %s %s: %w", bucket, key, err)
	}
	return nil
}

// pair builds the composite key "parent/child" used by index buckets.
func pair(parent, child domain.ID) []byte {
	return []byte(string(parent) + "/" + string(child))
}

// errStop ends a walk early without being an error to the caller.
var errStop = errors.New("stop")

// children calls fn with the child ID and value of every index entry under parent, in key
// order (which for ULIDs is creation order). fn's value slice is only valid during the call.
func children(tx *Tx, index []byte, parent domain.ID, fn func(child domain.ID, v []byte) error) error {
	prefix := []byte(string(parent) + "/")
	c := tx.tx.Bucket(index).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(domain.ID(k[len(prefix):]), v); err == errStop {
			return nil
		} else if err != nil {
			return err
		}
	}
	return nil
}

// all decodes every record of a bucket, in key order.
func all[T any](tx *Tx, bucket []byte) ([]T, error) {
	var out []T
	err := tx.tx.Bucket(bucket).ForEach(func(k, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode %s %s: %w", bucket, k, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// listed decodes the records whose IDs the index lists under parent, in index order.
func listed[T any](tx *Tx, index, bucket []byte, parent domain.ID) ([]T, error) {
	var out []T
	err := children(tx, index, parent, func(child domain.ID, _ []byte) error {
		v, err := get[T](tx, bucket, []byte(child))
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
