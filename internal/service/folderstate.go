package service

import (
	"errors"
	"fmt"

	"portico/internal/domain"
	"portico/internal/store"
)

// FolderState returns the state of the project's linked folder for the project record:
// "unlinked" when none is linked. It costs one lookup in tx and one in memory, so every
// project answer can carry it and the staff UI can flag an offline folder without
// reading the folder's files.
func (s *Service) FolderState(tx *store.Tx, projectID domain.ID) (FolderStatus, error) {
	_, err := tx.FolderLink(projectID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return FolderStatus{State: FolderUnlinked}, nil
	case err != nil:
		return FolderStatus{}, fmt.Errorf("folder state of project %s: %w", projectID, err)
	}
	return s.folderStatus(projectID), nil
}
