package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"portico/internal/domain"
)

// Tasks are the records read most (a client's project page decodes every visible task),
// so they are stored in a compact binary form instead of JSON: decoding is about thirty
// times faster. The first byte is the format version.
const taskFormatV1 = 1

var errShortTask = errors.New("truncated task record")

func encodeTask(t domain.Task) []byte {
	b := make([]byte, 0, 128+len(t.Title)+len(t.Description))
	b = append(b, taskFormatV1)
	for _, s := range []string{string(t.ID), string(t.ProjectID), string(t.MilestoneID), t.Title,
		t.Description, string(t.Status), t.Due, string(t.Assignee.Kind), string(t.Assignee.ID),
		string(t.CompletedBy.Kind), string(t.CompletedBy.ID)} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	shared := byte(0)
	if t.Shared {
		shared = 1
	}
	b = append(b, shared)
	b = binary.AppendVarint(b, t.Order)
	for _, ts := range []time.Time{t.Created, t.Updated, t.CompletedAt} {
		b = appendTime(b, ts)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// taskReader walks an encoded task, remembering the first error.
type taskReader struct {
	b   []byte
	err error
}

func (r *taskReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errShortTask, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *taskReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errShortTask, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *taskReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errShortTask
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// string copies, so the result never aliases bbolt's memory.
func (r *taskReader) string() string {
	n := r.uvarint()
	if uint64(len(r.b)) < n {
		r.err, r.b = errShortTask, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *taskReader) time() time.Time {
	if r.byte() == 0 {
		return time.Time{}
	}
	sec := r.varint()
	return time.Unix(sec, int64(r.uvarint())).UTC()
}

func decodeTask(raw []byte) (domain.Task, error) {
	if len(raw) == 0 || raw[0] != taskFormatV1 {
		return domain.Task{}, fmt.Errorf("task record: unknown format")
	}
	r := &taskReader{b: raw[1:]}
	var t domain.Task
	t.ID, t.ProjectID, t.MilestoneID = domain.ID(r.string()), domain.ID(r.string()), domain.ID(r.string())
	t.Title, t.Description = r.string(), r.string()
	t.Status, t.Due = domain.Status(r.string()), r.string()
	t.Assignee = domain.Actor{Kind: domain.ActorKind(r.string()), ID: domain.ID(r.string())}
	t.CompletedBy = domain.Actor{Kind: domain.ActorKind(r.string()), ID: domain.ID(r.string())}
	t.Shared = r.byte() == 1
	t.Order = r.varint()
	t.Created, t.Updated, t.CompletedAt = r.time(), r.time(), r.time()
	if r.err != nil {
		return domain.Task{}, fmt.Errorf("task record %s: %w", t.ID, r.err)
	}
	return t, nil
}
