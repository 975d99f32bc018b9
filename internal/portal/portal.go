// Package portal is the client portal: server-rendered pages where a client signs in,
// sees the projects shared with them, completes their tasks, comments, uploads and
// downloads files, and follows changes live. It reads only through the access policy and
// writes only through the service, so it holds no rule of its own about who may see what;
// it turns requests into those calls and their answers into pages.
package portal

import (
	"log/slog"
	"net/http"

	"portico/internal/auth"
	"portico/internal/events"
	"portico/internal/search"
	"portico/internal/service"
	"portico/internal/web"
)

// Options are the portal's dependencies.
type Options struct {
	// Service performs every read check and write; its Config gives the agency name, the
	// session lifetime and the upload limit.
	Service *service.Service
	// Hub feeds the live event streams.
	Hub *events.Hub
	// Proxies are the reverse proxies whose X-Forwarded-For is believed, for rate limits
	// and logs.
	Proxies web.Proxies
	// Logger receives failed sign-ins and server errors; nil discards them.
	Logger *slog.Logger
	// Search answers the search page; nil leaves the portal without one (404).
	Search *search.Index
}

// Portal serves the client portal.
type Portal struct {
	svc       *service.Service
	hub       *events.Hub
	proxies   web.Proxies
	log       *slog.Logger
	agency    string
	addresses *auth.Limiter
	accounts  *auth.Limiter
	static    map[string]asset
	search    *search.Index
	// streams caps the event streams each client session holds open (see
	// web.StreamLimiter for why a stream past the cap is refused).
	streams *web.StreamLimiter
}

// New returns the portal's handler: every route, behind cross-origin protection for form
// posts and with the security headers on every response.
func New(opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	p := &Portal{
		svc:       opts.Service,
		hub:       opts.Hub,
		proxies:   opts.Proxies,
		log:       logger,
		agency:    opts.Service.Config().AgencyName,
		addresses: auth.NewAddressLimiter(),
		accounts:  auth.NewAccountLimiter(),
		static:    loadStatic(),
		search:    opts.Search,
		streams:   web.NewStreamLimiter(web.StreamsPerSession),
	}

	mux := http.NewServeMux()
	p.routes(mux)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(p.crossOrigin))
	return securityHeaders(cop.Handler(mux))
}
