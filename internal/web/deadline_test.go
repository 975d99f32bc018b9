package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Short deadlines keep the tests quick; bound is how long any of them may take to show,
// generous so that a loaded machine never fails them.
const (
	testBody  = 500 * time.Millisecond
	testStall = 2 * time.Second
	testStep  = 8 << 10
	bound     = 30 * time.Second
)

// bodyRead is what a handler saw reading a request body: how much, the read's error and
// then the request context's.
type bodyRead struct {
	n      int64
	err    error
	ctxErr error
}

// deadlineServer serves /form (ordinary) and /upload (an upload route) over real HTTPS on
// loopback, HTTP/2 when h2, under short body deadlines. Each read body is reported on the
// channel. /stream answers a GET slowly, like an event stream.
func deadlineServer(t *testing.T, h2 bool) (*httptest.Server, <-chan bodyRead) {
	t.Helper()
	reads := make(chan bodyRead, 4)
	read := func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		reads <- bodyRead{n, err, r.Context().Err()}
		if err != nil {
			return // as Portico's handlers do when the client went away
		}
		// Answer later than the body deadline: a deadline left in place after the body
		// ended would have cancelled the request by now.
		time.Sleep(2 * testBody)
		if err := r.Context().Err(); err != nil {
			http.Error(w, "cancelled: "+err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, n)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /form", read)
	mux.HandleFunc("POST /upload/{id}", read)
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		for i := range 4 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			http.NewResponseController(w).Flush()
			time.Sleep(testBody)
		}
	})

	d := BodyDeadlines{Body: testBody, UploadStall: testStall, UploadStep: testStep,
		Uploads: []string{"POST /upload/{id}"}}
	srv := httptest.NewUnstartedServer(d.Handler(mux))
	srv.EnableHTTP2 = h2
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, reads
}

// post sends a body written by send and returns the status and body, or an error when
// the server broke the request off. It runs beside the test, so it reports instead of
// failing.
func post(ctx context.Context, srv *httptest.Server, path string, h2 bool,
	send func(context.Context, io.Writer) error) (int, string, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(send(ctx, pw)) }()
	defer pw.Close()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+path, pr)
	if err != nil {
		return 0, "", err
	}
	client := srv.Client()
	client.Timeout = bound
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	if (res.ProtoMajor == 2) != h2 {
		return 0, "", fmt.Errorf("answered over %s", res.Proto)
	}
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, string(raw), err
}

// trickle writes chunks of size bytes every pause until n bytes are written, or until ctx
// ends when n is 0.
func trickle(size int, pause time.Duration, n int) func(context.Context, io.Writer) error {
	return func(ctx context.Context, w io.Writer) error {
		chunk := []byte(strings.Repeat("x", size))
		for sent := 0; n == 0 || sent < n; sent += size {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
		}
		return nil
	}
}

// stall writes a few bytes and then nothing more until ctx ends.
func stall(ctx context.Context, w io.Writer) error {
	if _, err := w.Write([]byte("a=1&b=")); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

// cut waits for the handler's read and checks that the deadline ended it.
func cut(t *testing.T, reads <-chan bodyRead) {
	t.Helper()
	select {
	case got := <-reads:
		if !errors.Is(got.err, os.ErrDeadlineExceeded) || got.ctxErr == nil {
			t.Fatalf("the body read ended with %v after %d bytes, context error %v; want a "+
				"deadline error and the context ended", got.err, got.n, got.ctxErr)
		}
	case <-time.After(bound):
		t.Fatalf("the body was still being read after %v", bound)
	}
}

func TestBodyDeadlines(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "HTTP1", true: "HTTP2"}[h2], func(t *testing.T) {
			t.Parallel()
			testBodyDeadlines(t, h2)
		})
	}
}

func testBodyDeadlines(t *testing.T, h2 bool) {
	tests := []struct {
		name string
		path string
		send func(context.Context, io.Writer) error
		// want is the body size the handler must read in full; 0 means the body is cut.
		want int
	}{
		{"a stalled form is cut", "/form", stall, 0},
		{"a trickling form is cut", "/form", trickle(1, 20*time.Millisecond, 0), 0},
		{"a stalled upload is cut", "/upload/1", stall, 0},
		{"an upload trickling under its step is cut", "/upload/1",
			trickle(testStep/8, testStall/4, 0), 0},
		{"a form sent at once is answered after its deadline", "/form", trickle(100, 0, 100), 100},
		{"a slow upload that keeps coming succeeds", "/upload/1",
			trickle(testStep, testStall/20, 60*testStep), 60 * testStep},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, reads := deadlineServer(t, h2)
			done := make(chan struct{})
			var status int
			var body string
			var err error
			go func() {
				defer close(done)
				status, body, err = post(t.Context(), srv, tc.path, h2, tc.send)
			}()
			if tc.want == 0 {
				cut(t, reads)
			}
			select {
			case <-done:
			case <-time.After(bound):
				t.Fatalf("no answer within %v", bound)
			}

			if tc.want == 0 {
				// The server answers 408, or on HTTP/1.1 may close the connection first.
				if err == nil && status != http.StatusRequestTimeout {
					t.Errorf("status %d, want 408 or a closed connection", status)
				}
				return
			}
			if err != nil || status != http.StatusOK || body != strconv.Itoa(tc.want) {
				t.Errorf("status %d, body %q, error %v; want all %d bytes read", status, body,
					err, tc.want)
			}
		})
	}

	t.Run("an event stream outlives the body deadline", func(t *testing.T) {
		t.Parallel()
		srv, _ := deadlineServer(t, h2)
		client := srv.Client()
		client.Timeout = bound
		res, err := client.Get(srv.URL + "/stream")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		if err != nil || strings.Count(string(raw), "data:") != 4 {
			t.Fatalf("stream %q, %v; want 4 events", raw, err)
		}
	})
}
