package auth

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{"empty", "", ErrPasswordTooShort},
		{"nine characters", "123456789", ErrPasswordTooShort},
		{"ten characters", "1234567890", nil},
		{"ten multi-byte characters", "ääääääääää", nil},
		{"nine multi-byte characters", "äääääääää", ErrPasswordTooShort},
		{"at the byte limit", strings.Repeat("a", MaxPasswordBytes), nil},
		{"over the byte limit", strings.Repeat("a", MaxPasswordBytes+1), ErrPasswordTooLong},
		{"invalid UTF-8", "correct horse\xff", ErrPasswordNotText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidatePassword(tt.pw); !errors.Is(err, tt.want) {
				t.Errorf("ValidatePassword = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestHashAndCheckPassword(t *testing.T) {
	t.Cleanup(SetTestParams())
	encoded, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("encoded hash %q is not in the expected PHC form", encoded)
	}

	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right password", "correct horse battery", true},
		{"wrong password", "correct horse battery!", false},
		{"empty password", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(encoded, tt.pw); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}

	again, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if again == encoded {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
}

func TestDefaultParamsHash(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash skipped in -short mode")
	}
	encoded, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Errorf("encoded hash %q does not use the default parameters", encoded)
	}
	if !CheckPassword(encoded, "correct horse battery") {
		t.Error("CheckPassword rejects the right password")
	}
	if NeedsRehash(encoded) {
		t.Error("NeedsRehash is true for a hash with the current parameters")
	}
	restore := SetTestParams()
	defer restore()
	if !NeedsRehash(encoded) {
		t.Error("NeedsRehash is false after the parameters changed")
	}
	if !CheckPassword(encoded, "correct horse battery") {
		t.Error("an old hash no longer verifies after the parameters changed")
	}
}

func TestCheckPasswordRejectsMalformedHashes(t *testing.T) {
	t.Cleanup(SetTestParams())
	good, err := HashPassword("pw")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Split(good, "$")
	with := func(i int, v string) string {
		f := append([]string(nil), fields...)
		f[i] = v
		return strings.Join(f, "$")
	}

	tests := map[string]string{
		"empty":            "",
		"bcrypt":           "$2a$10$abcdefghijklmnopqrstuu",
		"argon2i":          with(1, "argon2i"),
		"other version":    with(2, "v=16"),
		"junk version":     with(2, "v=19x"),
		"missing params":   with(3, "m=64,t=1"),
		"padded params":    with(3, "m=064,t=1,p=1"),
		"huge memory":      with(3, "m=4294967295,t=1,p=1"),
		"zero time":        with(3, "m=64,t=0,p=1"),
		"many passes":      with(3, "m=64,t=1000,p=1"),
		"zero threads":     with(3, "m=64,t=1,p=0"),
		"bad salt":         with(4, "!!!"),
		"short salt":       with(4, "AAAA"),
		"bad hash":         with(5, "not base64!"),
		"short hash":       with(5, "AAAA"),
		"extra field":      good + "$x",
		"no leading empty": strings.TrimPrefix(good, "$"),
	}
	for name, encoded := range tests {
		t.Run(name, func(t *testing.T) {
			if CheckPassword(encoded, "pw") {
				t.Errorf("CheckPassword(%q) = true", encoded)
			}
			if !NeedsRehash(encoded) {
				t.Errorf("NeedsRehash(%q) = false", encoded)
			}
		})
	}
}

func TestPasswordConcurrency(t *testing.T) {
	t.Cleanup(SetTestParams())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			pw := strings.Repeat("x", 10+i)
			encoded, err := HashPassword(pw)
			if err != nil {
				t.Error(err)
				return
			}
			if !CheckPassword(encoded, pw) {
				t.Errorf("CheckPassword rejects %q", pw)
			}
			DummyCheck()
		})
	}
	wg.Wait()
}

func BenchmarkCheckPassword(b *testing.B) {
	encoded, err := HashPassword("correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("known user", func(b *testing.B) {
		for b.Loop() {
			CheckPassword(encoded, "wrong guess here")
		}
	})
	b.Run("dummy", func(b *testing.B) {
		for b.Loop() {
			DummyCheck()
		}
	})
}
