package domain

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID identifies a record. IDs are ULIDs: 26 characters that sort by creation time, so
// bbolt keys built from them list records oldest first.
type ID string

var (
	idMu      sync.Mutex
	idEntropy = ulid.Monotonic(rand.Reader, 0)
)

// NewID returns a fresh ID, strictly greater than every ID made before it by this process.
func NewID() ID {
	idMu.Lock()
	defer idMu.Unlock()
	return ID(ulid.MustNew(ulid.Timestamp(time.Now()), idEntropy).String())
}

// Valid reports whether id has the shape of an ID, so that lookups can refuse garbage early.
func (id ID) Valid() bool {
	_, err := ulid.ParseStrict(string(id))
	return err == nil
}
