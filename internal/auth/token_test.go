package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 100 {
		token, hash, err := NewToken()
		if err != nil {
			t.Fatalf("NewToken: %v", err)
		}
		if len(token) != 43 {
			t.Errorf("token %q has %d characters, want 43", token, len(token))
		}
		raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
		if err != nil || len(raw) != TokenBytes {
			t.Errorf("token %q is not %d bytes of unpadded base64url: %v", token, TokenBytes, err)
		}
		if hash != HashToken(token) {
			t.Errorf("hash of %q differs from HashToken", token)
		}
		if seen[token] {
			t.Fatalf("token %q repeated", token)
		}
		seen[token] = true
	}
}

func TestHashToken(t *testing.T) {
	tests := []string{"", "abc", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"}
	for _, token := range tests {
		if got, want := HashToken(token), sha256.Sum256([]byte(token)); got != want {
			t.Errorf("HashToken(%q) = %x, want %x", token, got, want)
		}
	}
	if HashToken("a") == HashToken("b") {
		t.Error("different tokens hash alike")
	}
}
