//go:build desktop

package app

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// ownerHandler is the staff API as the local owner uses it: every request it passes on
// carries the owner's session as a bearer token, so the page never holds a secret. It
// serves the Wails asset server (reads and event streams) and the bound methods (writes,
// uploads and downloads).
type ownerHandler struct {
	api    http.Handler
	secret string

	// ctx ends when the window closes, which ends open event streams.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
}

func newOwnerHandler(api http.Handler, secret string) *ownerHandler {
	ctx, cancel := context.WithCancel(context.Background())
	return &ownerHandler{api: api, secret: secret, ctx: ctx, cancel: cancel}
}

// ServeHTTP passes a request from the page to the staff API as the local owner. Whatever
// Authorization the page sent is replaced.
func (h *ownerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.begin() {
		http.Error(w, "Portico is closing", http.StatusServiceUnavailable)
		return
	}
	defer h.inflight.Done()

	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	defer context.AfterFunc(r.Context(), cancel)()

	r = r.Clone(ctx)
	r.Header.Set("Authorization", "Bearer "+h.secret)
	h.api.ServeHTTP(flushWriter{w}, r)
}

// flushWriter gives a response writer a Flush. The Wails asset server's writer has none,
// although it passes every write to the page at once: without this, the staff API's
// event stream, which flushes after each event, would fail at its first line.
type flushWriter struct{ http.ResponseWriter }

// FlushError flushes the writer underneath when it can; a writer that cannot already
// streams each write.
func (w flushWriter) FlushError() error {
	err := http.NewResponseController(w.ResponseWriter).Flush()
	if errors.Is(err, http.ErrNotSupported) {
		return nil
	}
	return err
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w flushWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// newRequest builds an in-process request to the staff API. Its body is streamed, never
// read whole here; size is its length, or -1 when unknown.
func (h *ownerHandler) newRequest(method, path string, body io.Reader,
	size int64) (*http.Request, error) {
	req, err := http.NewRequestWithContext(h.ctx, method, "http://desktop.invalid"+path, body)
	if err != nil {
		return nil, err
	}
	if size >= 0 {
		req.ContentLength = size
	}
	req.RemoteAddr = "127.0.0.1:0"
	return req, nil
}

// begin counts a request in, unless the handler is draining.
func (h *ownerHandler) begin() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.inflight.Add(1)
	return true
}

// drain refuses new requests, ends open ones (event streams stop with their context) and
// waits for them up to limit. It reports whether they all ended.
func (h *ownerHandler) drain(limit time.Duration) bool {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()

	done := make(chan struct{})
	go func() {
		h.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		return false
	}
}
