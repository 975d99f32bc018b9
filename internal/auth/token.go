package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// TokenBytes is the number of random bytes in a token: 256 bits.
const TokenBytes = 32

// NewToken returns a fresh random token for an invite, a password reset or a session,
// encoded as unpadded base64url (43 characters), and its hash. Give the token to the
// person; store only the hash.
func NewToken() (token string, hash [32]byte, err error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", [32]byte{}, fmt.Errorf("new token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 hash under which a token is stored and looked up. A plain
// hash suffices because tokens carry 256 random bits, unlike passwords.
func HashToken(token string) [32]byte {
	return sha256.Sum256([]byte(token))
}
