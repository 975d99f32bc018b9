package service

import (
	"errors"
	"fmt"
	"sync"

	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/foldersync"
	"portico/internal/store"
)

// FolderUnlinked is the FolderStatus state of a project without a linked folder.
const FolderUnlinked = "unlinked"

// folders is the service's share of folder sync: the engine, once started, and the latest
// state of each linked folder, which lives in memory only. Each change of state goes to
// feed, which the staff event streams watch; it is not an activity, so it is never logged.
type folders struct {
	mu     sync.Mutex
	syncer *foldersync.Syncer
	status map[domain.ID]foldersync.Status
	feed   *events.StatusFeed // set once by New
	copies uploadCopies
}

// FolderStatus is the state of a project's linked folder as staff see it: "unlinked",
// "scanning", "online", "degraded" or "offline", with words to act on for the last two.
type FolderStatus struct {
	State   string `json:"state"`
	Message string `json:"message,omitempty"`
}

// FolderView is what staff see of a project's folder: its path ("" when none is linked),
// its state and its live files by path. Root is the folder every link must lie in (serve
// mode); Anywhere is true where any folder may be linked (the desktop app). WaitingUploads
// counts the client uploads not yet written into the folder (it was offline, or the write
// failed); they are written when it can be done.
type FolderView struct {
	Path           string              `json:"path"`
	Status         FolderStatus        `json:"status"`
	Files          []domain.FolderFile `json:"files"`
	Root           string              `json:"root,omitempty"`
	Anywhere       bool                `json:"anywhere"`
	WaitingUploads int                 `json:"waiting_uploads"`
}

// StartFolders starts folder sync and links every project that has a folder; the engine's
// first scan reconciles what changed while Portico was not running. A folder that is
// missing is looked for until it is back; one the current settings do not allow stays
// recorded and shows as offline, and the engine asks allowFolder again each time it finds
// a folder, so a folder swapped for a link to elsewhere is never read. Client uploads still
// waiting for a folder are written once it is online. Close stops it.
func (s *Service) StartFolders(opts foldersync.Options) error {
	opts.Allow = s.allowFound
	syncer := foldersync.New(folderSink{s}, opts)
	s.folders.mu.Lock()
	s.folders.syncer = syncer
	s.folders.mu.Unlock()
	s.folders.copies.mu.Lock()
	s.folders.copies.every = opts.RescanInterval // a failed write is tried as often
	s.folders.copies.mu.Unlock()

	var links map[domain.ID]string
	if err := s.store.View(func(tx *store.Tx) error {
		var err error
		links, err = tx.FolderLinks()
		return err
	}); err != nil {
		return fmt.Errorf("start folder sync: %w", err)
	}

	for projectID, path := range links {
		if !s.cfg.FoldersAnywhere && s.cfg.FoldersRoot == "" {
			s.setFolderStatus(projectID, foldersync.Status{State: foldersync.StateOffline,
				Message: "Folder sync is not enabled on this server: start it with " +
					"--folders-root. Nothing is removed from the project."})
			continue
		}
		s.setFolderStatus(projectID, foldersync.Status{State: foldersync.StateScanning})
		if err := syncer.Link(string(projectID), path); err != nil {
			return fmt.Errorf("link folder of project %s: %w", projectID, err)
		}
	}
	return nil
}

// closeFolders stops folder sync, waiting for imports in progress, and starts no more
// upload copies; Close waits for those under way.
func (s *Service) closeFolders() {
	if syncer := s.folderSyncer(); syncer != nil {
		_ = syncer.Close()
	}
	s.stopUploadCopies()
}

func (s *Service) folderSyncer() *foldersync.Syncer {
	s.folders.mu.Lock()
	defer s.folders.mu.Unlock()
	return s.folders.syncer
}

// FolderStatusFeed is where every change of a linked folder's state is published, for the
// staff event streams to watch.
func (s *Service) FolderStatusFeed() *events.StatusFeed { return s.folders.feed }

// setFolderStatus keeps the latest state of the project's folder and publishes it when it
// changed. Publishing under the lock keeps the feed in the order the states were set. A
// folder that becomes writable (online or degraded), at start or on its return, gets the
// client uploads that waited for it.
func (s *Service) setFolderStatus(projectID domain.ID, st foldersync.Status) {
	s.folders.mu.Lock()
	if s.folders.status == nil {
		s.folders.status = map[domain.ID]foldersync.Status{}
	}
	old, ok := s.folders.status[projectID]
	if ok && old == st {
		s.folders.mu.Unlock()
		return
	}
	s.folders.status[projectID] = st
	s.folders.feed.Publish(events.FolderStatus{ProjectID: projectID,
		State: string(st.State), Message: st.Message})
	s.folders.mu.Unlock()

	if writable(st.State) && !(ok && writable(old.State)) {
		s.copyWaitingUploadsSoon(projectID)
	}
}

// writable reports whether files can be written into a folder in state st.
func writable(st foldersync.State) bool {
	return st == foldersync.StateOnline || st == foldersync.StateDegraded
}

// clearFolderStatus forgets the state of a folder no longer linked and, if it had one,
// says that it is unlinked now.
func (s *Service) clearFolderStatus(projectID domain.ID) {
	s.folders.mu.Lock()
	defer s.folders.mu.Unlock()
	if _, ok := s.folders.status[projectID]; !ok {
		return
	}
	delete(s.folders.status, projectID)
	s.folders.feed.Publish(events.FolderStatus{ProjectID: projectID,
		State: FolderUnlinked})
}

func (s *Service) folderStatus(projectID domain.ID) FolderStatus {
	s.folders.mu.Lock()
	defer s.folders.mu.Unlock()
	st, ok := s.folders.status[projectID]
	if !ok {
		return FolderStatus{State: string(foldersync.StateScanning)}
	}
	return FolderStatus{State: string(st.State), Message: st.Message}
}

// LinkFolder links the project to a local folder and starts syncing it, replacing any
// previous link. It returns the folder as resolved (symbolic links followed).
func (s *Service) LinkFolder(byID, projectID domain.ID, path string) (string, error) {
	if err := s.store.View(func(tx *store.Tx) error {
		_, err := StaffProject(tx, byID, projectID)
		return err
	}); err != nil {
		return "", err
	}
	dir, err := s.checkFolder(path)
	if err != nil {
		return "", err
	}
	syncer := s.folderSyncer()
	if syncer == nil {
		return "", errFoldersDisabled
	}

	var previous string
	if err := s.store.Update(func(tx *store.Tx) error {
		if _, err := StaffProject(tx, byID, projectID); err != nil {
			return err
		}
		links, err := tx.FolderLinks()
		if err != nil {
			return err
		}
		if err := linkedElsewhere(links, projectID, dir); err != nil {
			return err
		}
		previous = links[projectID]
		if err := tx.PutFolderLink(projectID, dir); err != nil {
			return err
		}
		return s.log(tx, byID, domain.ActionFolderLinked, projectID, "", projectID)
	}); err != nil {
		return "", err
	}
	s.setFolderStatus(projectID, foldersync.Status{State: foldersync.StateScanning})
	link := syncer.Link
	if previous != dir {
		link = syncer.LinkNew
	}
	if err := link(string(projectID), dir); err != nil {
		return "", fmt.Errorf("link folder: %w", err)
	}
	s.logger.Info("folder linked", "project_id", projectID, "path", dir)
	return dir, nil
}

// UnlinkFolder stops syncing the project's folder. Its files stay in Portico and on disk;
// client uploads still waiting to be written into it stay in Portico only. Unlinking a
// project without a folder does nothing.
func (s *Service) UnlinkFolder(byID, projectID domain.ID) error {
	if err := s.store.Update(func(tx *store.Tx) error {
		if _, err := StaffProject(tx, byID, projectID); err != nil {
			return err
		}
		if _, err := tx.FolderLink(projectID); errors.Is(err, domain.ErrNotFound) {
			return nil // nothing to unlink, nothing to log
		} else if err != nil {
			return err
		}
		if err := tx.DeleteFolderLink(projectID); err != nil {
			return err
		}
		if err := tx.DropFolderUploads(projectID); err != nil {
			return err // uploads not yet written stay in Portico only
		}
		return s.log(tx, byID, domain.ActionFolderUnlinked, projectID, "", projectID)
	}); err != nil {
		return err
	}
	if syncer := s.folderSyncer(); syncer != nil {
		syncer.Unlink(string(projectID))
	}
	s.clearFolderStatus(projectID)
	return nil
}

// Folder returns what staff see of a project's folder.
func (s *Service) Folder(byID, projectID domain.ID) (FolderView, error) {
	view := FolderView{Root: s.cfg.FoldersRoot, Anywhere: s.cfg.FoldersAnywhere}
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := StaffProject(tx, byID, projectID); err != nil {
			return err
		}
		path, err := tx.FolderLink(projectID)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		view.Path = path
		if view.Files, err = tx.FolderFiles(projectID, false); err != nil {
			return err
		}
		view.WaitingUploads, err = waitingUploads(tx, projectID)
		return err
	})
	if err != nil {
		return FolderView{}, err
	}
	view.Status = FolderStatus{State: FolderUnlinked}
	if view.Path != "" {
		view.Status = s.folderStatus(projectID)
	}
	if view.Files == nil {
		view.Files = []domain.FolderFile{}
	}
	return view, nil
}

// StaffFolderFile returns a live folder file of a project the staff member may work in.
func StaffFolderFile(tx *store.Tx, staffID, id domain.ID) (domain.FolderFile, error) {
	f, err := tx.FolderFile(id)
	if err != nil || f.Deleted {
		return domain.FolderFile{}, notFoundf("folder file", id)
	}
	if _, err := StaffProject(tx, staffID, f.ProjectID); err != nil {
		return domain.FolderFile{}, notFoundf("folder file", id)
	}
	return f, nil
}

// ShareFolderFile turns a folder file's shared switch on or off.
func (s *Service) ShareFolderFile(byID, id domain.ID, shared bool) (domain.FolderFile, error) {
	var f domain.FolderFile
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if f, err = StaffFolderFile(tx, byID, id); err != nil {
			return err
		}
		if f.Shared == shared {
			return nil
		}
		f.Shared = shared
		if err := tx.PutFolderFile(f); err != nil {
			return err
		}
		action := domain.ActionFolderFileShared
		if !shared {
			action = domain.ActionFolderFileUnshared
		}
		return s.log(tx, byID, action, f.ProjectID, "", f.ID)
	})
	return f, err
}
