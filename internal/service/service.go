// Package service performs every change staff and clients make: each operation checks its
// input and the actor's rights, then writes the records and their activity entry in one
// bbolt transaction. The staff API and the portal are thin layers over it, so a rule lives
// in one place whichever door a request came through. Client operations ask the access
// policy; staff operations follow the workspace rules (owners everywhere, members in shared
// workspaces and their own personal one).
package service

import (
	"io"
	"log/slog"
	"sync"
	"time"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/mail"
	"portico/internal/store"
)

// Mailer queues outgoing mail; *mail.Outbox implements it.
type Mailer interface {
	Enqueue(m mail.Message)
}

// Config is what the service needs from the server.
type Config struct {
	// PortalURL and StaffURL are the public base addresses used in links, without a
	// trailing slash.
	PortalURL string
	StaffURL  string
	// AgencyName appears in emails and page titles.
	AgencyName string
	// InviteTTL is how long invite and reset links stay valid.
	InviteTTL time.Duration
	// SessionTTL is how long a session lasts without use.
	SessionTTL time.Duration
	// MaxUpload is the largest accepted file, in bytes.
	MaxUpload int64
	// FoldersRoot is the folder that linked folders must lie in (serve --folders-root);
	// empty turns folder linking off unless FoldersAnywhere.
	FoldersRoot string
	// FoldersAnywhere lets staff link any folder: the desktop app, whose user picks it.
	FoldersAnywhere bool
	// DataDir is Portico's data folder, which no linked folder may hold or lie in: its
	// keys and database must never become folder files.
	DataDir string
}

// Service carries the dependencies of every operation.
type Service struct {
	store  *store.Store
	blobs  *blob.Store
	mailer Mailer
	cfg    Config
	logger *slog.Logger
	// passwordTries limits guesses of the current password by a session holder.
	passwordTries *auth.Limiter
	// background tracks work that outlives a request (reset mails, client uploads copied
	// into linked folders), so Close can wait.
	background sync.WaitGroup
	// folders is folder sync, once StartFolders ran.
	folders folders
}

// New returns a service. mailer may be nil when no mail server is configured; invite links
// are then only returned to staff.
func New(st *store.Store, blobs *blob.Store, mailer Mailer, cfg Config, log *slog.Logger) *Service {
	if cfg.InviteTTL == 0 {
		cfg.InviteTTL = 7 * 24 * time.Hour
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 14 * 24 * time.Hour
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = 2 << 30
	}
	if cfg.AgencyName == "" {
		cfg.AgencyName = "Portico"
	}
	return &Service{store: st, blobs: blobs, mailer: mailer, cfg: cfg, logger: log,
		passwordTries: auth.NewAccountLimiter(), folders: folders{feed: events.NewStatusFeed()}}
}

// Close stops folder sync and waits for background work to finish; call it before
// closing the store.
func (s *Service) Close() {
	s.closeFolders()
	s.background.Wait()
}

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// Store returns the store, for reads by the API layers.
func (s *Service) Store() *store.Store { return s.store }

// Blobs returns the blob store, for downloads.
func (s *Service) Blobs() *blob.Store { return s.blobs }

// MailEnabled reports whether emails are sent.
func (s *Service) MailEnabled() bool { return s.mailer != nil }

// OpenBlob opens a file's contents for reading.
func (s *Service) OpenBlob(f domain.File) (io.ReadSeekCloser, error) {
	return s.blobs.Open(f.SHA256)
}

func staffActor(id domain.ID) domain.Actor  { return domain.Actor{Kind: domain.ActorStaff, ID: id} }
func clientActor(id domain.ID) domain.Actor { return domain.Actor{Kind: domain.ActorClient, ID: id} }
