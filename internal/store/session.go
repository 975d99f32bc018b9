package store

import (
	"encoding/hex"
	"fmt"

	"portico/internal/domain"
)

// Token returns the one-time link stored under the hash of its secret.
func (tx *Tx) Token(hash [32]byte) (domain.Token, error) {
	return get[domain.Token](tx, bucketTokens, hashKey(hash))
}

// PutToken stores a one-time link. Storing a new token for the same user and purpose
// marks the earlier ones replaced, so reissuing kills the old link.
func (tx *Tx) PutToken(hash [32]byte, t domain.Token) error {
	prefix := domain.ID(string(t.User.ID) + "/" + string(t.Purpose))
	err := children(tx, bucketTokensByUser, prefix, func(old domain.ID, _ []byte) error {
		key := []byte(old)
		prev, err := get[domain.Token](tx, bucketTokens, key)
		if err != nil {
			return err
		}
		prev.Replaced = true
		return put(tx, bucketTokens, key, prev)
	})
	if err != nil {
		return err
	}
	indexKey := pair(prefix, domain.ID(hex.EncodeToString(hash[:])))
	if err := tx.tx.Bucket(bucketTokensByUser).Put(indexKey, nil); err != nil {
		return err
	}
	return put(tx, bucketTokens, hashKey(hash), t)
}

// UseToken marks a token used.
func (tx *Tx) UseToken(hash [32]byte) error {
	t, err := tx.Token(hash)
	if err != nil {
		return err
	}
	t.Used = true
	return put(tx, bucketTokens, hashKey(hash), t)
}

// Session returns the session stored under the hash of its secret.
func (tx *Tx) Session(hash [32]byte) (domain.Session, error) {
	return get[domain.Session](tx, bucketSessions, hashKey(hash))
}

// PutSession creates or refreshes a session.
func (tx *Tx) PutSession(hash [32]byte, s domain.Session) error {
	idx := pair(s.User.ID, domain.ID(hex.EncodeToString(hash[:])))
	if err := tx.tx.Bucket(bucketSessionsByUser).Put(idx, nil); err != nil {
		return err
	}
	return put(tx, bucketSessions, hashKey(hash), s)
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(hash [32]byte) error {
	s, err := tx.Session(hash)
	if err != nil {
		return nil // already gone
	}
	if err := del(tx, bucketSessionsByUser, pair(s.User.ID, domain.ID(hex.EncodeToString(hash[:])))); err != nil {
		return err
	}
	return del(tx, bucketSessions, hashKey(hash))
}

// DeleteUserSessions ends every session of a user except keep (pass a zero hash to end
// them all) and returns how many it ended.
func (tx *Tx) DeleteUserSessions(userID domain.ID, keep [32]byte) (int, error) {
	var hashes [][32]byte
	err := children(tx, bucketSessionsByUser, userID, func(h domain.ID, _ []byte) error {
		var hash [32]byte
		if _, err := hex.Decode(hash[:], []byte(h)); err != nil {
			return fmt.Errorf("session index: %w", err)
		}
		if hash != keep {
			hashes = append(hashes, hash)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, h := range hashes {
		if err := tx.DeleteSession(h); err != nil {
			return 0, err
		}
	}
	return len(hashes), nil
}

func hashKey(hash [32]byte) []byte {
	return []byte(hex.EncodeToString(hash[:]))
}

// Setting returns a stored setting, or "" when unset.
func (tx *Tx) Setting(name string) string {
	return string(tx.tx.Bucket(bucketSettings).Get([]byte(name)))
}

// PutSetting stores a setting.
func (tx *Tx) PutSetting(name, value string) error {
	return tx.tx.Bucket(bucketSettings).Put([]byte(name), []byte(value))
}
