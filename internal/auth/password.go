package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits enforced by ValidatePassword.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 1024
)

// User-facing reasons ValidatePassword rejects a password.
var (
	ErrPasswordTooShort = fmt.Errorf("password must be at least %d characters long",
		MinPasswordChars)
	ErrPasswordTooLong = fmt.Errorf("password must be at most %d bytes long",
		MaxPasswordBytes)
	ErrPasswordNotText = errors.New("password must be valid text (UTF-8)")
)

// errMalformedHash reports a stored hash that is not one HashPassword could have made.
var errMalformedHash = errors.New("malformed argon2id hash")

// params are argon2id cost parameters; Memory is in KiB.
type params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// defaultParams cost about 64 MiB and one pass on two threads per hash: tens of
// milliseconds on a small server: affordable at sign-in, costly for offline guessing.
var defaultParams = params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// testParams make hashing nearly free, for tests only.
var testParams = params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// current holds the parameters new hashes use.
var current atomic.Pointer[params]

func init() {
	p := defaultParams
	current.Store(&p)
}

// SetTestParams makes new hashes nearly free, so that tests in other packages that create
// many accounts stay fast, and returns a function that restores the previous parameters:
// t.Cleanup(auth.SetTestParams()). Existing hashes keep verifying because each hash
// records its own parameters. Never call it outside tests.
func SetTestParams() (restore func()) {
	p := testParams
	previous := current.Swap(&p)
	return func() { current.Store(previous) }
}

// ValidatePassword checks a password a person chose: at least MinPasswordChars
// characters, at most MaxPasswordBytes bytes, valid UTF-8. Its errors can be shown as is.
func ValidatePassword(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return ErrPasswordNotText
	case len(pw) > MaxPasswordBytes:
		return ErrPasswordTooLong
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return ErrPasswordTooShort
	}
	return nil
}

// HashPassword returns pw hashed with argon2id and a random salt, encoded in the PHC
// string format: $argon2id$v=19$m=65536,t=1,p=2$salt$hash. It does not call
// ValidatePassword; check new passwords with it first.
func HashPassword(pw string) (string, error) {
	p := *current.Load()
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}

	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches encoded, a hash from HashPassword. It compares
// in constant time and returns false for a malformed hash.
func CheckPassword(encoded, pw string) bool {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

// NeedsRehash reports whether encoded was made with other parameters than new hashes use,
// so that a caller who just checked the password can store a fresh hash.
func NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	want := *current.Load()
	return p.Memory != want.Memory || p.Time != want.Time || p.Threads != want.Threads ||
		p.KeyLen != want.KeyLen
}

// DummyCheck spends about the time of one CheckPassword against a current hash. Call it
// when the account does not exist, so that response times do not reveal which do.
func DummyCheck() {
	p := *current.Load()
	salt := make([]byte, p.SaltLen)
	key := argon2.IDKey([]byte("portico dummy password"), salt, p.Time, p.Memory, p.Threads,
		p.KeyLen)
	subtle.ConstantTimeCompare(key, make([]byte, len(key)))
}

// decodeHash parses a PHC argon2id string, rejecting parameters outside sane bounds so
// that a corrupted record cannot make a check take unbounded memory or time.
func decodeHash(encoded string) (params, []byte, []byte, error) {
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" || fields[1] != "argon2id" {
		return params{}, nil, nil, errMalformedHash
	}

	if fields[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return params{}, nil, nil, errMalformedHash
	}

	var p params
	_, err := fmt.Sscanf(fields[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads)
	if err != nil || fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads) != fields[3] {
		return params{}, nil, nil, errMalformedHash
	}

	salt, saltErr := base64.RawStdEncoding.Strict().DecodeString(fields[4])
	key, keyErr := base64.RawStdEncoding.Strict().DecodeString(fields[5])
	if saltErr != nil || keyErr != nil {
		return params{}, nil, nil, errMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))

	if !saneParams(p) {
		return params{}, nil, nil, errMalformedHash
	}
	return p, salt, key, nil
}

// saneParams bounds the parameters CheckPassword accepts from a stored hash.
func saneParams(p params) bool {
	return p.Memory >= 8*uint32(p.Threads) && p.Memory <= 1<<20 &&
		p.Time >= 1 && p.Time <= 16 && p.Threads >= 1 && p.Threads <= 16 &&
		p.SaltLen >= 8 && p.SaltLen <= 64 && p.KeyLen >= 16 && p.KeyLen <= 64
}
