package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"portico/internal/metrics"
	"portico/internal/web"
)

// serverMetrics are what GET /metrics on the staff listener reports. It has no
// authentication: the staff listener is on loopback unless the operator says otherwise,
// and the figures are counts and timings by route, never names, addresses or content.
type serverMetrics struct {
	registry  *metrics.Registry
	requests  *metrics.Counter
	durations *metrics.Histogram
}

func (s *Server) newMetrics() *serverMetrics {
	reg := metrics.New()
	m := &serverMetrics{
		registry: reg,
		requests: reg.NewCounter("portico_http_requests_total",
			"HTTP requests answered, by listener, route pattern and status code.",
			"listener", "route", "code"),
		durations: reg.NewHistogram("portico_http_request_duration_seconds",
			"Time from a request's arrival to the end of its answer, by listener and route "+
				"pattern; an event stream counts once, when it ends.",
			metrics.DefaultBuckets, "listener", "route"),
	}
	reg.NewGaugeFunc("portico_event_streams_open", "Subscriptions to the live event hub: "+
		"every open staff or client event stream, plus one per internal subscriber such as "+
		"the search indexer.", func() float64 { return float64(s.hub.Len()) })
	reg.NewGaugeFunc("portico_search_index_lag", "Activity entries written to the database "+
		"but not yet applied to the search index.", func() float64 {
		if s.indexLag == nil {
			return 0
		}
		return float64(s.indexLag())
	})
	reg.NewGaugeFunc("portico_mail_outbox_messages", "Emails waiting to be delivered or "+
		"retried (always 0 without --smtp).", func() float64 {
		if s.outbox == nil {
			return 0
		}
		return float64(s.outbox.Len())
	})
	started := float64(time.Now().Unix())
	reg.NewGaugeFunc("portico_start_time_seconds", "When this Portico started, in seconds "+
		"since the Unix epoch.", func() float64 { return started })
	reg.NewGaugeFunc("go_goroutines", "Goroutines that currently exist.",
		func() float64 { return float64(runtime.NumGoroutine()) })
	reg.NewInfo("portico_build_info", "The running Portico's version and the Go version it "+
		"was built with.", []string{"version", "go_version"},
		[]string{s.cfg.Version, runtime.Version()})
	return m
}

// instrument wraps both listeners' handlers so that every request is counted, timed and
// (at debug level) logged, and adds GET /metrics to the staff surface.
func (s *Server) instrument(portal, staff http.Handler, proxies web.Proxies) (http.Handler, http.Handler) {
	s.metrics = s.newMetrics()
	withMetrics := http.NewServeMux()
	withMetrics.Handle("GET /metrics", s.metrics.registry)
	withMetrics.Handle("/", staff)
	return s.metrics.observe("portal", portal, s.log, proxies),
		s.metrics.observe("staff", withMetrics, s.log, proxies)
}

// observe records each request under the route pattern that served it, read from
// r.Pattern once the handler's ServeMux has set it. The pattern, never the path, goes
// into metrics and logs: paths of one-time links hold their secret, and patterns keep
// the number of series bounded.
func (m *serverMetrics) observe(listener string, next http.Handler, log *slog.Logger,
	proxies web.Proxies) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)

		elapsed := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		status := rec.status()
		m.requests.Inc(listener, route, strconv.Itoa(status))
		m.durations.Observe(elapsed.Seconds(), listener, route)
		if log.Enabled(r.Context(), slog.LevelDebug) {
			log.Debug("request", "listener", listener, "method", r.Method, "route", route,
				"status", status, "duration_ms", elapsed.Milliseconds(),
				"remote_addr", proxies.ClientAddr(r))
		}
	})
}

// statusRecorder remembers the status code a handler sent. Unwrap lets
// http.ResponseController reach the connection underneath (event streams flush through
// it), and Flush serves handlers that ask for http.Flusher directly.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 && code >= 200 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

func (r *statusRecorder) Flush() {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
