package mail

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testExpiry is a fixed expiry so that rendered mails are stable.
var testExpiry = time.Date(2026, time.March, 14, 16, 30, 0, 0, time.FixedZone("CET", 3600))

func TestTemplatesGolden(t *testing.T) {
	tests := []struct {
		name        string
		msg         Message
		wantSubject string
	}{
		{"invite", Invite("bob@client.example", testLink, "Acme Studio", "Website relaunch",
			testExpiry), "Acme Studio invited you to Website relaunch"},
		{"staff_invite", StaffInvite("carl@acme.example", testLink, "Acme Studio", testExpiry),
			"You're invited to join Acme Studio"},
		{"password_reset", PasswordReset("bob@client.example", testLink, "Acme Studio",
			testExpiry), "Reset your Acme Studio password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.msg.Subject != tt.wantSubject {
				t.Errorf("Subject = %q, want %q", tt.msg.Subject, tt.wantSubject)
			}
			if tt.msg.To == "" {
				t.Error("To is empty")
			}
			golden(t, tt.name+".txt", tt.msg.Text)
			golden(t, tt.name+".html", tt.msg.HTML)

			for _, part := range []string{tt.msg.Text, tt.msg.HTML} {
				for _, want := range []string{testLink, "15:30 UTC", "ignore this email"} {
					if !strings.Contains(part, want) {
						t.Errorf("mail does not contain %q:\n%s", want, part)
					}
				}
			}
		})
	}
}

func TestTemplatesEscapeHTML(t *testing.T) {
	m := Invite("bob@client.example", `https://portal.example/i/a"b<c>`, `<b>Acme & Co</b>`,
		`<script>alert(1)</script>`, testExpiry)

	for _, bad := range []string{"<script>", "<b>Acme", `a"b<c>`} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;b&gt;Acme &amp; Co&lt;/b&gt;"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML does not contain escaped %q", want)
		}
	}
	if !strings.Contains(m.Text, "<b>Acme & Co</b>") {
		t.Error("text part should keep names as typed")
	}
}

func TestTemplatesDefaultAgencyName(t *testing.T) {
	m := PasswordReset("bob@client.example", testLink, "  ", testExpiry)
	if m.Subject != "Reset your Portico password" {
		t.Errorf("Subject = %q, want the default agency name", m.Subject)
	}
}

// golden compares got with testdata/name, rewriting the file when -update is set.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff."+
			"\ngot:\n%s", path, got)
	}
}

func TestWrap(t *testing.T) {
	long := strings.Repeat("x", 80)
	tests := []struct{ in, want string }{
		{"", ""},
		{"one  two\nthree", "one two three"},
		{strings.Repeat("abcd ", 15), strings.TrimSpace(strings.Repeat("abcd ", 14)) + "\nabcd"},
		{"a " + long + " b", "a\n" + long + "\nb"},
	}
	for _, tt := range tests {
		if got := wrap(tt.in); got != tt.want {
			t.Errorf("wrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
