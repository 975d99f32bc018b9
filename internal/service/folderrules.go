package service

import (
	"errors"
	"os"
	"path/filepath"

	"portico/internal/domain"
	"portico/internal/foldersync"
	"portico/internal/store"
)

// The rules a linked folder must follow: checked when staff link it, and again by the sync
// engine each time it finds the folder, so a folder later swapped for a symbolic link to
// somewhere not allowed is never read.

// errFoldersDisabled answers a link request on a server started without --folders-root.
var errFoldersDisabled = domain.Invalid("path",
	"folder sync is not enabled: start with --folders-root")

// checkFolder resolves a folder staff asked to link, checks that it exists, and checks it
// with allowFolder. Relative paths are taken inside the folders root; on the desktop they
// are refused.
func (s *Service) checkFolder(path string) (string, error) {
	var dir string
	switch {
	case s.cfg.FoldersAnywhere:
		if !filepath.IsAbs(path) {
			return "", domain.Invalid("path", "must be an absolute path")
		}
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			return "", domain.Invalid("path", "must name an existing folder")
		}
		if info, err := os.Stat(resolved); err != nil || !info.IsDir() {
			return "", domain.Invalid("path", "must name an existing folder")
		}
		dir = resolved
	case s.cfg.FoldersRoot == "":
		return "", errFoldersDisabled
	default:
		resolved, err := foldersync.CheckUnderRoot(s.cfg.FoldersRoot, path)
		if err != nil && !errors.Is(err, foldersync.ErrOutsideRoot) {
			return "", domain.Invalid("path", "must name an existing folder inside %s",
				s.cfg.FoldersRoot)
		}
		if err != nil {
			return "", s.outsideRoot()
		}
		dir = resolved // CheckUnderRoot found a folder there
	}

	if err := s.allowFolder(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// allowFolder is the rule every linked folder must follow whenever it is read, with its
// symbolic links resolved: never Portico's data folder, nor a folder inside it or holding
// it; in serve mode, inside the folders root.
func (s *Service) allowFolder(dir string) error {
	if s.cfg.DataDir != "" {
		data, err := filepath.Abs(s.cfg.DataDir)
		if err == nil {
			data, err = filepath.EvalSymlinks(data)
		}
		if err == nil && foldersync.Overlaps(data, dir) {
			return domain.Invalid("path", "must not hold or lie inside Portico's data folder")
		}
	}

	if s.cfg.FoldersAnywhere {
		return nil
	}
	if s.cfg.FoldersRoot == "" {
		return errFoldersDisabled
	}
	if _, err := foldersync.CheckUnderRoot(s.cfg.FoldersRoot, dir); err != nil {
		return s.outsideRoot()
	}
	return nil
}

func (s *Service) outsideRoot() error {
	return domain.Invalid("path", "must lie inside the folders root %s", s.cfg.FoldersRoot)
}

// allowFound is the sync engine's check of a project's folder each time it finds it:
// allowFolder, and no overlap with another project's folder (which a folder swapped for a
// link could otherwise reach). A refusal's message alone becomes the folder's offline
// message, without the field name staff never typed.
func (s *Service) allowFound(projectID, dir string) error {
	err := s.allowFolder(dir)
	if err == nil {
		err = s.store.View(func(tx *store.Tx) error {
			links, err := tx.FolderLinks()
			if err != nil {
				return err
			}
			return linkedElsewhere(links, domain.ID(projectID), dir)
		})
	}
	var invalid *domain.ValidationError
	if errors.As(err, &invalid) {
		return errors.New(invalid.Message)
	}
	return err
}

// linkedElsewhere refuses a folder that is, holds or lies inside another project's linked
// folder: its files would belong to two projects, and one project's client uploads would
// become the other's folder files. The other project is not named; staff may not see it.
func linkedElsewhere(links map[domain.ID]string, projectID domain.ID, dir string) error {
	for other, path := range links {
		if other == projectID {
			continue
		}
		// The other folder as linked, and as it resolves now.
		now, err := filepath.EvalSymlinks(path)
		if foldersync.Overlaps(path, dir) || err == nil && foldersync.Overlaps(now, dir) {
			return domain.Invalid("path", "overlaps the folder linked to another project")
		}
	}
	return nil
}
