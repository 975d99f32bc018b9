package domain

import (
	"net/mail"
	"strings"
	"time"
)

// Role is a staff member's role.
type Role string

// Staff roles: an owner may do everything, including managing staff and settings; a member
// works in shared workspaces and in their own personal workspace.
const (
	RoleOwner  Role = "owner"
	RoleMember Role = "member"
)

// Staff is a member of the agency.
type Staff struct {
	ID           ID        `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"password_hash,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	Created      time.Time `json:"created"`
}

// Client is a person outside the agency who sees shared projects through the portal. One
// account per email address, across all projects.
type Client struct {
	ID           ID        `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"password_hash,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	Created      time.Time `json:"created"`
	// Accepted is when the client first set a password; zero while the invite is pending.
	Accepted time.Time `json:"accepted,omitzero"`
}

// Membership records that a client belongs to a shared project.
type Membership struct {
	ProjectID ID        `json:"project_id"`
	ClientID  ID        `json:"client_id"`
	Added     time.Time `json:"added"`
}

// NormalizeEmail checks an email address and returns the form used as its key: trimmed
// and lower-cased.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 {
		return "", Invalid("email", "is longer than 254 characters")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email, "@") {
		return "", Invalid("email", "is not a valid email address")
	}
	return email, nil
}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool {
	return r == RoleOwner || r == RoleMember
}
