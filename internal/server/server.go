package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"portico/internal/blob"
	"portico/internal/control"
	"portico/internal/events"
	"portico/internal/mail"
	"portico/internal/portal"
	"portico/internal/search"
	"portico/internal/service"
	"portico/internal/staffapi"
	"portico/internal/store"
	"portico/internal/tlsca"
	"portico/internal/web"
)

// Server is a running Portico.
type Server struct {
	cfg     Config
	log     *slog.Logger
	out     io.Writer
	store   *store.Store
	hub     *events.Hub
	ca      *tlsca.CA
	outbox  *mail.Outbox
	service *service.Service
	portal  *http.Server
	staff   *http.Server
	public  *publicTLS      // nil without a domain
	control *control.Server // nil until serving, or when the socket cannot be made
	metrics *serverMetrics
	search  *search.Index
	// stopIndexer and indexerDone stop the search indexer and tell when it has stopped.
	stopIndexer context.CancelFunc
	indexerDone <-chan struct{}
	// indexLag, when set, returns how many activity entries the search index has yet to
	// apply; /metrics reports it.
	indexLag func() uint64
	// PortalURL and StaffURL are the addresses printed at start.
	PortalURL string
	StaffURL  string
}

// Open prepares everything that serving needs, without listening yet. out receives the
// lines meant for the person who started Portico (addresses, the setup link).
func Open(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) (*Server, error) {
	cfg.Defaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, out: out, hub: events.New()}
	if err := s.openData(); err != nil {
		return nil, err
	}
	if err := s.build(ctx); err != nil {
		s.closeData()
		return nil, err
	}
	return s, nil
}

func (s *Server) openData() error {
	if s.cfg.DataDir == "" {
		return errors.New("--data is required")
	}
	for _, dir := range []string{s.cfg.DataDir, s.path("certs")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create data folder: %w", err)
		}
	}
	// The folder holds the database, client files, keys and the control socket: only its
	// owner may enter it, also when someone created it beforehand with looser rights.
	if err := os.Chmod(s.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("restrict data folder: %w", err)
	}
	st, err := store.Open(s.path("portico.db"), store.Options{})
	if err != nil {
		return err
	}
	s.store = st
	st.OnCommit(s.hub.Publish)
	if err := s.openSearch(); err != nil {
		st.Close()
		return err
	}
	return nil
}

func (s *Server) path(name string) string { return filepath.Join(s.cfg.DataDir, name) }

func (s *Server) build(ctx context.Context) error {
	var err error
	if s.PortalURL, err = s.cfg.publicURL(); err != nil {
		return err
	}
	if s.StaffURL, err = baseURL(s.cfg.StaffAddr, hostName()); err != nil {
		return err
	}
	blobs, err := blob.Open(s.path("files"))
	if err != nil {
		return fmt.Errorf("open file store: %w", err)
	}
	var mailer service.Mailer
	if s.cfg.SMTPURL != "" {
		sender, err := mail.NewSMTP(s.cfg.SMTPURL, s.cfg.SMTPFrom, mail.Options{})
		if err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
		s.outbox = mail.NewOutbox(sender, s.log)
		mailer = s.outbox
	}
	s.service = service.New(s.store, blobs, mailer, service.Config{
		PortalURL: s.PortalURL, StaffURL: s.StaffURL, AgencyName: s.cfg.AgencyName,
		MaxUpload: s.cfg.MaxUpload, FoldersRoot: s.cfg.FoldersRoot,
		FoldersAnywhere: s.cfg.FoldersAnywhere, DataDir: s.cfg.DataDir,
	}, s.log)
	return s.buildHTTP(ctx)
}

func (s *Server) buildHTTP(ctx context.Context) error {
	if err := s.clearCertLocks(); err != nil {
		return err
	}
	names := tlsca.LocalNames(hostName(), urlHost(s.PortalURL))
	ca, err := tlsca.LoadOrCreate(s.path(filepath.Join("certs", "local-ca")), names, s.log)
	if err != nil {
		return fmt.Errorf("local certificate authority: %w", err)
	}
	s.ca = ca
	tlsConfig, err := tlsca.TLSConfig(ctx, ca, s.path("certs"), names, s.log)
	if err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	portalTLS, err := s.portalTLS(ctx, tlsConfig)
	if err != nil {
		return err
	}
	proxies, err := web.ParseProxies(s.cfg.TrustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	portalHandler := portal.New(portal.Options{Service: s.service, Hub: s.hub, Proxies: proxies,
		Logger: s.log, Search: s.search})
	preview := portal.NewPreview(portal.Options{Service: s.service, Logger: s.log})
	staffHandler := staffapi.New(staffapi.Options{Service: s.service, Hub: s.hub,
		CACert: ca.CertPEM(), Proxies: proxies, Logger: s.log, Preview: preview,
		TLS: s.tlsStatus, Search: s.search})
	portalHandler = s.bodyDeadlines(portal.UploadRoutes).Handler(portalHandler)
	staffHandler = s.bodyDeadlines(staffapi.UploadRoutes).Handler(staffHandler)
	portalHandler, staffHandler = s.instrument(portalHandler, staffHandler, proxies)
	s.portal = newHTTPServer(ctx, s.cfg.PortalAddr, portalHandler, portalTLS, s.log)
	s.staff = newHTTPServer(ctx, s.cfg.StaffAddr, staffHandler, tlsConfig, s.log)
	return nil
}

// bodyDeadlines are the limits on slow request bodies for one listener, whose upload
// routes are uploads.
func (s *Server) bodyDeadlines(uploads []string) web.BodyDeadlines {
	return web.BodyDeadlines{Body: s.cfg.BodyTimeout, UploadStall: s.cfg.UploadStall,
		Uploads: uploads}
}

func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// newHTTPServer builds a listener's server. Its timeouts guard against clients that
// connect and then send slowly or not at all, without cutting long uploads, downloads or
// event streams short: headers must arrive within 10 s, an idle keep-alive connection is
// closed after 2 minutes, and request bodies are bounded per route by web.BodyDeadlines
// (30 s for ordinary bodies; uploads must keep arriving, 32 KiB a minute at least). No
// ReadTimeout or WriteTimeout: either would cap the length of every upload or answer.
// Headers may hold 64 KiB; a longer request line or header list gets 431.
func newHTTPServer(ctx context.Context, addr string, h http.Handler, tlsConfig *tls.Config,
	log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		TLSConfig:         tlsConfig.Clone(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// Service returns the service, for seeding and tests.
func (s *Server) Service() *service.Service { return s.service }

// CA returns the local certificate authority.
func (s *Server) CA() *tlsca.CA { return s.ca }
