package store

import (
	"fmt"

	"portico/internal/domain"
)

// Staff returns the staff member with id.
func (tx *Tx) Staff(id domain.ID) (domain.Staff, error) {
	return get[domain.Staff](tx, bucketStaff, []byte(id))
}

// StaffByEmail returns the staff member with a normalized email address.
func (tx *Tx) StaffByEmail(email string) (domain.Staff, error) {
	id := tx.tx.Bucket(bucketStaffByEmail).Get([]byte(email))
	if id == nil {
		return domain.Staff{}, fmt.Errorf("staff %s: %w", email, domain.ErrNotFound)
	}
	return tx.Staff(domain.ID(id))
}

// AllStaff returns every staff member, oldest first.
func (tx *Tx) AllStaff() ([]domain.Staff, error) {
	return all[domain.Staff](tx, bucketStaff)
}

// PutStaff creates or replaces a staff member. An email address already used by another
// staff member is an ErrConflict.
func (tx *Tx) PutStaff(s domain.Staff) error {
	if err := tx.claimEmail(bucketStaffByEmail, s.Email, s.ID); err != nil {
		return err
	}
	return put(tx, bucketStaff, []byte(s.ID), s)
}

// Client returns the client with id.
func (tx *Tx) Client(id domain.ID) (domain.Client, error) {
	return get[domain.Client](tx, bucketClients, []byte(id))
}

// ClientByEmail returns the client with a normalized email address.
func (tx *Tx) ClientByEmail(email string) (domain.Client, error) {
	id := tx.tx.Bucket(bucketClientsByEmail).Get([]byte(email))
	if id == nil {
		return domain.Client{}, fmt.Errorf("client %s: %w", email, domain.ErrNotFound)
	}
	return tx.Client(domain.ID(id))
}

// AllClients returns every client, oldest first.
func (tx *Tx) AllClients() ([]domain.Client, error) {
	return all[domain.Client](tx, bucketClients)
}

// PutClient creates or replaces a client.
func (tx *Tx) PutClient(c domain.Client) error {
	if err := tx.claimEmail(bucketClientsByEmail, c.Email, c.ID); err != nil {
		return err
	}
	return put(tx, bucketClients, []byte(c.ID), c)
}

// claimEmail points email at id in an email index, refusing an address held by another.
func (tx *Tx) claimEmail(index []byte, email string, id domain.ID) error {
	b := tx.tx.Bucket(index)
	if holder := b.Get([]byte(email)); holder != nil && domain.ID(holder) != id {
		return fmt.Errorf("email %s is already in use: %w", email, domain.ErrConflict)
	}
	return b.Put([]byte(email), []byte(id))
}

// User returns the email, display name and disabled flag of a staff member or client.
func (tx *Tx) User(a domain.Actor) (email, name string, disabled bool, err error) {
	switch a.Kind {
	case domain.ActorStaff:
		s, err := tx.Staff(a.ID)
		return s.Email, s.Name, s.Disabled, err
	case domain.ActorClient:
		c, err := tx.Client(a.ID)
		return c.Email, c.Name, c.Disabled, err
	}
	return "", "", false, fmt.Errorf("user %s %s: %w", a.Kind, a.ID, domain.ErrNotFound)
}

// SetPassword stores a new password hash for a staff member or client.
func (tx *Tx) SetPassword(a domain.Actor, hash string) error {
	switch a.Kind {
	case domain.ActorStaff:
		s, err := tx.Staff(a.ID)
		if err != nil {
			return err
		}
		s.PasswordHash = hash
		return tx.PutStaff(s)
	case domain.ActorClient:
		c, err := tx.Client(a.ID)
		if err != nil {
			return err
		}
		c.PasswordHash = hash
		if c.Accepted.IsZero() {
			c.Accepted = tx.Now()
		}
		return tx.PutClient(c)
	}
	return fmt.Errorf("user %s %s: %w", a.Kind, a.ID, domain.ErrNotFound)
}
