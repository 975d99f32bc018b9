// Package staffapi is the staff surface of Portico: the staff UI's page and files, the JSON
// API under /api/v1 that the UI and scripts use, the server-sent event stream of activity,
// and the few plain HTML pages that one-time links open (owner setup, staff invites,
// password resets). Every change goes through the service, which enforces staff rights;
// reads follow the same rights, so a project a staff member may not reach answers 404 like
// a missing one.
package staffapi

import (
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"portico/internal/auth"
	"portico/internal/events"
	"portico/internal/search"
	"portico/internal/service"
	"portico/internal/web"
)

// DefaultHeartbeat is how often an idle event stream sends a comment line, so proxies and
// browsers keep the connection open.
const DefaultHeartbeat = 25 * time.Second

// uploadRoute is the staff API's one route that takes file uploads.
const uploadRoute = "POST /api/v1/tasks/{id}/files"

// UploadRoutes are the staff API's routes that take file uploads, for the server's limits
// on slow request bodies, which give uploads more time as long as data keeps arriving.
var UploadRoutes = []string{uploadRoute}

// Options is what the staff API needs from the server.
type Options struct {
	// Service performs every change and gives access to the store for reads.
	Service *service.Service
	// Hub feeds the live event stream.
	Hub *events.Hub
	// CACert is the PEM of the local certificate authority, offered for download; nil
	// when Portico uses no local CA.
	CACert []byte
	// Proxies are the reverse proxies whose X-Forwarded-For is believed when rate
	// limiting sign-in by address.
	Proxies web.Proxies
	// Logger receives failed sign-ins and internal errors; nil discards them.
	Logger *slog.Logger
	// Heartbeat overrides DefaultHeartbeat; tests shorten it.
	Heartbeat time.Duration
	// SessionCheck is how often an open event stream checks that its session is still
	// valid; zero means every five seconds.
	SessionCheck time.Duration
	// UI holds the staff UI's files (index.html, assets/); nil means the UI embedded in
	// the binary, frontend.Assets().
	UI fs.FS
	// Preview renders the portal as one client sees it; nil turns previews off.
	Preview Previewer
	// TLS reports the portal's certificate state for GET /api/v1/tls; nil answers 404.
	TLS func() TLSStatus
	// Search answers GET /api/v1/search; nil answers 503.
	Search *search.Index
}

// api holds the handlers' shared state.
type api struct {
	svc          *service.Service
	hub          *events.Hub
	caCert       []byte
	proxies      web.Proxies
	log          *slog.Logger
	addrLimit    *auth.Limiter
	accountLimit *auth.Limiter
	pages        *template.Template
	heartbeat    time.Duration
	sessionCheck time.Duration
	ui           fs.FS
	uiBuilt      bool
	preview      Previewer
	tls          func() TLSStatus
	search       *search.Index
	streams      *web.StreamLimiter // caps the event streams of each session
}

// New returns the staff API as one handler: every route below, wrapped so that every
// response carries the security headers and cross-site browser writes are refused.
func New(opts Options) http.Handler {
	a := &api{
		svc:          opts.Service,
		hub:          opts.Hub,
		caCert:       opts.CACert,
		proxies:      opts.Proxies,
		log:          opts.Logger,
		addrLimit:    auth.NewAddressLimiter(),
		accountLimit: auth.NewAccountLimiter(),
		pages:        parsePages(),
		heartbeat:    opts.Heartbeat,
		sessionCheck: opts.SessionCheck,
		ui:           uiFiles(opts.UI),
		preview:      opts.Preview,
		tls:          opts.TLS,
		search:       opts.Search,
		streams:      web.NewStreamLimiter(web.StreamsPerSession),
	}
	a.uiBuilt = uiBuilt(a.ui)
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.heartbeat <= 0 {
		a.heartbeat = DefaultHeartbeat
	}
	if a.sessionCheck <= 0 {
		a.sessionCheck = 5 * time.Second
	}
	mux := a.routes()

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(a.crossOriginDenied))
	return securityHeaders(cop.Handler(mux))
}

// routes lists every route of the staff surface.
func (a *api) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.uiIndex)
	mux.HandleFunc("GET /assets/", a.uiAsset)
	mux.HandleFunc("GET /base.css", a.baseStylesheet)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /api/v1/ca.crt", a.downloadCA)

	mux.HandleFunc("GET /setup/{token}", a.setupPage)
	mux.HandleFunc("POST /setup/{token}", a.setupSubmit)
	mux.HandleFunc("GET /invite/{token}", a.linkPage(inviteLink))
	mux.HandleFunc("POST /invite/{token}", a.linkSubmit(inviteLink))
	mux.HandleFunc("GET /reset/{token}", a.linkPage(resetLink))
	mux.HandleFunc("POST /reset/{token}", a.linkSubmit(resetLink))
	mux.HandleFunc("POST /api/v1/setup", a.setupJSON)
	mux.HandleFunc("POST /api/v1/password-reset", a.requestReset)

	mux.HandleFunc("POST /api/v1/session", a.signIn)
	mux.Handle("DELETE /api/v1/session", a.staff(a.signOut))
	mux.Handle("POST /api/v1/session/others", a.staff(a.signOutOthers))
	mux.Handle("GET /api/v1/me", a.staff(a.me))
	mux.Handle("PUT /api/v1/me/password", a.staff(a.changePassword))
	mux.Handle("GET /api/v1/tls", a.staff(a.tlsStatus))

	mux.Handle("GET /api/v1/staff", a.staff(a.listStaff))
	mux.Handle("POST /api/v1/staff", a.staff(a.inviteStaff))
	mux.Handle("PATCH /api/v1/staff/{id}", a.staff(a.updateStaff))
	mux.Handle("POST /api/v1/staff/{id}/invite", a.staff(a.reissueStaffInvite))
	mux.Handle("POST /api/v1/staff/{id}/reset-link", a.staff(a.issueStaffResetLink))

	mux.Handle("GET /api/v1/workspaces", a.staff(a.listWorkspaces))
	mux.Handle("POST /api/v1/workspaces", a.staff(a.createWorkspace))

	mux.Handle("GET /api/v1/projects", a.staff(a.listProjects))
	mux.Handle("POST /api/v1/projects", a.staff(a.createProject))
	mux.Handle("GET /api/v1/projects/{id}", a.staff(a.getProject))
	mux.Handle("PATCH /api/v1/projects/{id}", a.staff(a.updateProject))
	mux.Handle("PUT /api/v1/projects/{id}/portal", a.staff(a.setPortal))
	mux.Handle("POST /api/v1/projects/{id}/unshare", a.staff(a.unshare))
	mux.Handle("GET /api/v1/projects/{id}/activity", a.staff(a.projectActivity))
	mux.Handle("GET /api/v1/projects/{id}/preview/{clientID}", a.staff(a.previewProject))
	mux.Handle("GET /api/v1/projects/{id}/preview/{clientID}/t/{taskID}", a.staff(a.previewTask))
	mux.Handle("GET /api/v1/projects/{id}/preview/{clientID}/d/{docID}", a.staff(a.previewDoc))
	mux.HandleFunc("GET /api/v1/preview-static/portal.css", a.previewStylesheet)

	mux.Handle("GET /api/v1/projects/{id}/milestones", a.staff(a.listMilestones))
	mux.Handle("POST /api/v1/projects/{id}/milestones", a.staff(a.createMilestone))
	mux.Handle("PATCH /api/v1/milestones/{id}", a.staff(a.updateMilestone))
	mux.Handle("DELETE /api/v1/milestones/{id}", a.staff(a.deleteMilestone))

	mux.Handle("GET /api/v1/projects/{id}/tasks", a.staff(a.listTasks))
	mux.Handle("POST /api/v1/projects/{id}/tasks", a.staff(a.createTask))
	mux.Handle("GET /api/v1/tasks/{id}", a.staff(a.getTask))
	mux.Handle("PATCH /api/v1/tasks/{id}", a.staff(a.updateTask))
	mux.Handle("DELETE /api/v1/tasks/{id}", a.staff(a.deleteTask))

	mux.Handle("GET /api/v1/tasks/{id}/comments", a.staff(a.listComments))
	mux.Handle("POST /api/v1/tasks/{id}/comments", a.staff(a.addComment))
	mux.Handle("DELETE /api/v1/comments/{id}", a.staff(a.deleteComment))

	mux.Handle("GET /api/v1/projects/{id}/docs", a.staff(a.listDocs))
	mux.Handle("POST /api/v1/projects/{id}/docs", a.staff(a.createDoc))
	mux.Handle("GET /api/v1/docs/{id}", a.staff(a.getDoc))
	mux.Handle("PATCH /api/v1/docs/{id}", a.staff(a.updateDoc))
	mux.Handle("DELETE /api/v1/docs/{id}", a.staff(a.deleteDoc))
	mux.Handle("GET /api/v1/docs/{id}/versions", a.staff(a.listDocVersions))
	mux.Handle("GET /api/v1/docs/{id}/versions/{n}", a.staff(a.getDocVersion))
	mux.Handle("POST /api/v1/docs/{id}/versions/{n}/restore", a.staff(a.restoreDocVersion))
	mux.Handle("GET /api/v1/docs/{id}/comments", a.staff(a.listDocComments))
	mux.Handle("POST /api/v1/docs/{id}/comments", a.staff(a.addDocComment))

	mux.Handle("GET /api/v1/tasks/{id}/files", a.staff(a.listFiles))
	mux.Handle(uploadRoute, a.staff(a.uploadFile))
	mux.Handle("GET /api/v1/files/{id}/content", a.staff(a.downloadFile))
	mux.Handle("DELETE /api/v1/files/{id}", a.staff(a.deleteFile))

	mux.Handle("GET /api/v1/projects/{id}/folder", a.staff(a.getFolder))
	mux.Handle("PUT /api/v1/projects/{id}/folder", a.staff(a.linkFolder))
	mux.Handle("DELETE /api/v1/projects/{id}/folder", a.staff(a.unlinkFolder))
	mux.Handle("PATCH /api/v1/folder-files/{id}", a.staff(a.updateFolderFile))
	mux.Handle("GET /api/v1/folder-files/{id}/content", a.staff(a.downloadFolderFile))

	mux.Handle("GET /api/v1/projects/{id}/clients", a.staff(a.listMembers))
	mux.Handle("POST /api/v1/projects/{id}/clients", a.staff(a.addClient))
	mux.Handle("POST /api/v1/projects/{id}/clients/{clientID}/invite", a.staff(a.reissueInvite))
	mux.Handle("DELETE /api/v1/projects/{id}/clients/{clientID}", a.staff(a.removeClient))
	mux.Handle("GET /api/v1/clients", a.staff(a.listClients))
	mux.Handle("PATCH /api/v1/clients/{id}", a.staff(a.updateClient))

	mux.Handle("POST /api/v1/markdown/preview", a.staff(a.previewMarkdown))
	mux.Handle("GET /api/v1/search", a.staff(a.searchStaff))
	mux.Handle("GET /api/v1/events", a.staff(a.events))

	mux.HandleFunc("/api/", a.noRoute(mux))
	return mux
}
