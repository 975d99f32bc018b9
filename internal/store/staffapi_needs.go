package store

import "encoding/binary"

// LastActivitySeq returns the Seq of the newest activity entry, or 0 while the log is
// empty. A live stream that starts without a Last-Event-ID starts after it.
func (tx *Tx) LastActivitySeq() uint64 {
	v := tx.tx.Bucket(bucketMeta).Get(keyActivitySeq)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}
