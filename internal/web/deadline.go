package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// Defaults for BodyDeadlines. The server has no overall read timeout, because uploads of a
// gigabyte and more on slow lines must work; these bound request bodies instead:
//   - an ordinary request (a form, a JSON call) has DefaultBodyTimeout to send its whole
//     body, far more than the few kilobytes any of them carries need;
//   - an upload must deliver DefaultUploadStep bytes within every DefaultUploadStall, so it
//     may take as long as it needs while data keeps coming, but one that stalls or
//     trickles (under about 0.5 KiB/s) is cut a minute later.
const (
	DefaultBodyTimeout = 30 * time.Second
	DefaultUploadStall = time.Minute
	DefaultUploadStep  = 32 << 10
)

// BodyDeadlines bounds how long a client may take to send a request body, so that a
// client sending slowly on purpose (slowloris) cannot hold connections and handlers open.
// Requests without a body, such as event streams and downloads, are left alone: a read
// deadline on them would only end a long answer early.
type BodyDeadlines struct {
	// Body is how long an ordinary request may take to send its whole body, from the end
	// of its headers; zero means DefaultBodyTimeout.
	Body time.Duration
	// UploadStall is how long an upload may go without UploadStep more bytes arriving;
	// zero means DefaultUploadStall.
	UploadStall time.Duration
	// UploadStep is how many bytes push an upload's deadline UploadStall further; zero
	// means DefaultUploadStep.
	UploadStep int64
	// Uploads are the route patterns that take uploads, as given to http.ServeMux
	// ("POST /t/{id}/files").
	Uploads []string
}

// Handler returns next with the deadlines applied. A body that misses its deadline ends
// the request's context, as a client going away does, so handlers treat it the same way;
// one that answered nothing then gets 408. When the connection cannot take a read deadline
// (a request handed over in-process), the request goes through unchanged.
func (d BodyDeadlines) Handler(next http.Handler) http.Handler {
	d.defaults()
	// A mux of the upload patterns only matches requests; it never serves them.
	uploads := http.NewServeMux()
	for _, pattern := range d.Uploads {
		uploads.Handle(pattern, http.NotFoundHandler())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}

		rc := http.NewResponseController(w)
		body := &deadlineBody{ReadCloser: r.Body, rc: rc}
		wait := d.Body
		if _, upload := uploads.Handler(r); upload != "" {
			body.stall, body.step = d.UploadStall, d.UploadStep
			wait = d.UploadStall
		}
		if err := rc.SetReadDeadline(time.Now().Add(wait)); err != nil {
			next.ServeHTTP(w, r)
			return
		}

		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		body.cancel = cancel
		inner := r.WithContext(ctx)
		inner.Body = body
		aw := &answerWriter{ResponseWriter: w}
		next.ServeHTTP(aw, inner)
		// A ServeMux inside records the route on the request it was given; wrappers
		// outside (metrics) read it from theirs.
		if inner.Pattern != "" {
			r.Pattern = inner.Pattern
		}
		if body.timedOut.Load() && !aw.answered {
			http.Error(w, "The request body arrived too slowly.", http.StatusRequestTimeout)
		}
	})
}

func (d *BodyDeadlines) defaults() {
	if d.Body <= 0 {
		d.Body = DefaultBodyTimeout
	}
	if d.UploadStall <= 0 {
		d.UploadStall = DefaultUploadStall
	}
	if d.UploadStep <= 0 {
		d.UploadStep = DefaultUploadStep
	}
}

// deadlineBody is a request body under a read deadline. For an upload (stall > 0) every
// step bytes received move the deadline stall further. Once a body has been read to its
// end, net/http lifts the deadline itself before it watches the connection for the
// client going away, so a request answered long after its body arrived is not cut.
type deadlineBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	cancel   context.CancelFunc
	stall    time.Duration
	step     int64
	received int64 // bytes since the deadline last moved
	timedOut atomic.Bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.stall > 0 {
		b.received += int64(n)
		if b.received >= b.step {
			b.received = 0
			_ = b.rc.SetReadDeadline(time.Now().Add(b.stall)) // it worked before the first read
		}
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		b.timedOut.Store(true)
		b.cancel()
	}
	return n, err
}

// answerWriter notes whether a handler answered. Unwrap lets http.ResponseController
// reach the connection underneath.
type answerWriter struct {
	http.ResponseWriter
	answered bool
}

func (w *answerWriter) WriteHeader(code int) {
	if code >= http.StatusOK {
		w.answered = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerWriter) Write(p []byte) (int, error) {
	w.answered = true
	return w.ResponseWriter.Write(p)
}

func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
