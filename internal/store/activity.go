package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"portico/internal/domain"
)

var (
	keyActivitySeq  = []byte("activity_seq")
	keyActivityHead = []byte("activity_head")
)

// Log appends an activity entry stamped with this transaction's time, chained to the
// entry before it. ProjectID, TaskID and ObjectID name what changed; content is never
// copied into the log.
func (tx *Tx) Log(a domain.Activity) (domain.Activity, error) {
	meta := tx.tx.Bucket(bucketMeta)
	seq := uint64(1)
	if v := meta.Get(keyActivitySeq); v != nil {
		seq = binary.BigEndian.Uint64(v) + 1
	}
	a.Seq = seq
	a.Time = tx.Now()
	a.PrevHash = string(meta.Get(keyActivityHead))
	a.Hash = ActivityHash(a)

	if err := put(tx, bucketActivity, u64(seq), a); err != nil {
		return a, err
	}
	if a.ProjectID != "" {
		key := append([]byte(string(a.ProjectID)+"/"), u64(seq)...)
		if err := tx.tx.Bucket(bucketActivityByProj).Put(key, nil); err != nil {
			return a, fmt.Errorf("index activity: %w", err)
		}
	}
	if err := meta.Put(keyActivitySeq, u64(seq)); err != nil {
		return a, fmt.Errorf("advance activity sequence: %w", err)
	}
	if err := meta.Put(keyActivityHead, []byte(a.Hash)); err != nil {
		return a, fmt.Errorf("advance activity head: %w", err)
	}
	tx.logged = append(tx.logged, a)
	return a, nil
}

// ActivityHash is the SHA-256 over an entry's fields other than Hash, PrevHash included.
func ActivityHash(a domain.Activity) string {
	a.Hash = ""
	raw, _ := json.Marshal(a) // a struct of plain fields always encodes
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// ProjectActivity returns a project's entries, newest first, at most limit of them, with
// Seq below before (0 means from the newest).
func (tx *Tx) ProjectActivity(projectID domain.ID, before uint64, limit int) ([]domain.Activity, error) {
	if before == 0 {
		before = ^uint64(0)
	}
	prefix := []byte(string(projectID) + "/")
	c := tx.tx.Bucket(bucketActivityByProj).Cursor()
	k, _ := c.Seek(append(append([]byte{}, prefix...), u64(before)...))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var out []domain.Activity
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
		a, err := get[domain.Activity](tx, bucketActivity, k[len(prefix):])
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ActivitySince returns up to limit entries with Seq greater than after, oldest first.
func (tx *Tx) ActivitySince(after uint64, limit int) ([]domain.Activity, error) {
	var out []domain.Activity
	c := tx.tx.Bucket(bucketActivity).Cursor()
	for k, raw := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, raw = c.Next() {
		var a domain.Activity
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("decode activity %d: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, a)
	}
	return out, nil
}

// ChainProblem describes one break in the activity log's hash chain.
type ChainProblem struct {
	Seq    uint64
	Reason string
}

// VerifyActivity walks the whole log and reports every entry whose hash does not match
// its contents or whose PrevHash does not match the entry before it.
func (tx *Tx) VerifyActivity() ([]ChainProblem, error) {
	var problems []ChainProblem
	prev := ""
	err := tx.tx.Bucket(bucketActivity).ForEach(func(k, raw []byte) error {
		seq := binary.BigEndian.Uint64(k)
		var a domain.Activity
		if err := json.Unmarshal(raw, &a); err != nil {
			problems = append(problems, ChainProblem{seq, "entry cannot be decoded"})
			return nil
		}
		if a.PrevHash != prev {
			problems = append(problems, ChainProblem{seq, "does not follow the entry before it"})
		}
		if ActivityHash(a) != a.Hash {
			problems = append(problems, ChainProblem{seq, "contents do not match its hash"})
		}
		prev = a.Hash
		return nil
	})
	if head := string(tx.tx.Bucket(bucketMeta).Get(keyActivityHead)); head != prev {
		problems = append(problems, ChainProblem{0, "the newest entries are missing"})
	}
	return problems, err
}
