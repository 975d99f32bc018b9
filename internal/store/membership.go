package store

import (
	"fmt"

	"portico/internal/domain"
)

// Membership returns a client's membership of a project.
func (tx *Tx) Membership(projectID, clientID domain.ID) (domain.Membership, error) {
	return get[domain.Membership](tx, bucketMembers, pair(projectID, clientID))
}

// IsMember reports whether the client currently belongs to the project.
func (tx *Tx) IsMember(projectID, clientID domain.ID) bool {
	return tx.tx.Bucket(bucketMembers).Get(pair(projectID, clientID)) != nil
}

// Members returns a project's memberships, oldest client first.
func (tx *Tx) Members(projectID domain.ID) ([]domain.Membership, error) {
	var out []domain.Membership
	err := children(tx, bucketMembers, projectID, func(clientID domain.ID, _ []byte) error {
		m, err := tx.Membership(projectID, clientID)
		if err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// MemberProjects returns the IDs of the projects a client belongs to.
func (tx *Tx) MemberProjects(clientID domain.ID) ([]domain.ID, error) {
	var out []domain.ID
	err := children(tx, bucketMemberProjects, clientID, func(projectID domain.ID, _ []byte) error {
		out = append(out, projectID)
		return nil
	})
	return out, err
}

// PutMembership adds a client to a project.
func (tx *Tx) PutMembership(m domain.Membership) error {
	if err := tx.tx.Bucket(bucketMemberProjects).Put(pair(m.ClientID, m.ProjectID), nil); err != nil {
		return fmt.Errorf("index membership: %w", err)
	}
	return put(tx, bucketMembers, pair(m.ProjectID, m.ClientID), m)
}

// DeleteMembership removes a client from a project.
func (tx *Tx) DeleteMembership(projectID, clientID domain.ID) error {
	if err := del(tx, bucketMemberProjects, pair(clientID, projectID)); err != nil {
		return err
	}
	return del(tx, bucketMembers, pair(projectID, clientID))
}
