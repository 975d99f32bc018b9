package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/internal/server"
	"portico/internal/web"
)

// Body deadlines of the Portico under test, short so the test is quick, and the bound
// within which every refusal must show, generous so a loaded machine never fails it.
const (
	slowBodyTimeout = 500 * time.Millisecond
	slowUploadStall = 2 * time.Second
	slowBound       = 60 * time.Second
)

// slowUpload is what a slow upload sends: a step's worth of bytes every twentieth of the
// stall, for twice the stall, so it lives only if every step moves its deadline.
const (
	slowChunk  = web.DefaultUploadStep
	slowChunks = 40
	slowPause  = slowUploadStall / 20
)

// TestSlowRequestBodies checks the body deadlines on a real Portico over HTTPS, through
// HTTP/1.1 and HTTP/2: uploads that arrive slowly but steadily are stored, on the portal
// and on the staff API; an upload or a form that stalls is cut; and a staff event stream
// open meanwhile outlives every deadline.
func TestSlowRequestBodies(t *testing.T) {
	h := startWith(t, func(c *server.Config) {
		c.BodyTimeout, c.UploadStall = slowBodyTimeout, slowUploadStall
	})
	token := h.setupOwner()
	project, tasks := h.sharedProject(token)
	inv := h.api("POST", "/api/v1/projects/"+project+"/clients", token,
		map[string]string{"email": "dana@client.example", "name": "Dana"}, 201)
	if inv["mailed"] != true {
		t.Fatalf("invite not mailed: %v", inv)
	}
	client := h.browser()
	mail := h.smtp.WaitFor(t, "dana@client.example", 30*time.Second)
	h.acceptInvite(client, mail.Link(t, "/invite/"))

	staffReq, _ := http.NewRequest("GET", h.staff+"/api/v1/events", nil)
	staffReq.Header.Set("Authorization", "Bearer "+token)
	staffEvents := sse(t, h.browser(), staffReq)

	t.Run("bodies", func(t *testing.T) {
		for _, h2 := range []bool{false, true} {
			c := *client
			c.Transport = &http.Transport{TLSClientConfig: h.tls.Clone(), ForceAttemptHTTP2: h2}
			proto := map[bool]string{false: "HTTP1", true: "HTTP2"}[h2]
			if resp, err := c.Get(h.portal + "/healthz"); err != nil || resp.ProtoMajor != 2 && h2 {
				t.Fatalf("%s: %v", proto, err)
			} else {
				resp.Body.Close()
			}
			t.Run(proto+" slow upload", func(t *testing.T) {
				t.Parallel()
				status, err := portalUpload(t.Context(), &c, h.portal, tasks[0], slowChunks)
				if err != nil || status != http.StatusSeeOther {
					t.Fatalf("status %d, %v; want 303", status, err)
				}
			})
			t.Run(proto+" stalled upload", func(t *testing.T) {
				t.Parallel()
				status, err := within(t, func() (int, error) {
					return portalUpload(t.Context(), &c, h.portal, tasks[1], -1)
				})
				if err == nil && status != http.StatusRequestTimeout {
					t.Fatalf("status %d, want 408 or a closed connection", status)
				}
			})
			t.Run(proto+" stalled form", func(t *testing.T) {
				t.Parallel()
				status, err := within(t, func() (int, error) {
					return stalledForm(t.Context(), &c, h.portal+"/t/"+tasks[1]+"/comments")
				})
				// The form cannot be read, which the portal answers with 400.
				if err == nil && status != http.StatusBadRequest &&
					status != http.StatusRequestTimeout {
					t.Fatalf("status %d, want 400, 408 or a closed connection", status)
				}
			})
		}
		t.Run("staff stalled JSON", func(t *testing.T) {
			t.Parallel()
			status, err := within(t, func() (int, error) {
				req := stalledBody(t.Context(), "PATCH", h.staff+"/api/v1/tasks/"+tasks[1],
					`{"title":"never`)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				return do(h.browser(), req)
			})
			if err == nil && status != http.StatusRequestTimeout {
				t.Fatalf("status %d, want 408 or a closed connection", status)
			}
		})
		t.Run("staff slow upload", func(t *testing.T) {
			t.Parallel()
			status, err := staffUpload(t.Context(), h, token, tasks[0])
			if err != nil || status != http.StatusCreated {
				t.Fatalf("status %d, %v; want 201", status, err)
			}
		})
	})

	files := h.apiList("/api/v1/tasks/"+tasks[0]+"/files", token)
	if len(files) != 3 {
		t.Fatalf("%d files on the first task, want the 3 slow uploads", len(files))
	}
	for _, f := range files {
		if f["size"] != float64(slowChunk*slowChunks) {
			t.Errorf("file %v has size %v, want %d", f["name"], f["size"], slowChunk*slowChunks)
		}
	}
	if n := len(h.apiList("/api/v1/tasks/"+tasks[1]+"/files", token)); n != 0 {
		t.Errorf("%d files on the second task, want none from the stalled uploads", n)
	}
	if n := len(h.apiList("/api/v1/tasks/"+tasks[1]+"/comments", token)); n != 0 {
		t.Errorf("%d comments on the second task, want none from the stalled forms", n)
	}
	wantInOrder(t, staffEvents, "file.uploaded", "file.uploaded", "file.uploaded")
}

// within runs send and fails the test unless it returns within slowBound.
func within(t *testing.T, send func() (int, error)) (int, error) {
	t.Helper()
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		status, err := send()
		done <- result{status, err}
	}()
	select {
	case r := <-done:
		return r.status, r.err
	case <-time.After(slowBound):
		t.Fatalf("the server still waited for the body after %v", slowBound)
		return 0, nil
	}
}

// portalUpload uploads a file of chunks slow chunks to a task through the portal; with
// chunks < 0 it sends one chunk and then stalls until ctx ends.
func portalUpload(ctx context.Context, c *http.Client, portal, taskID string,
	chunks int) (int, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", "slow.bin")
		if err == nil {
			err = sendSlowly(ctx, part, chunks)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	defer pw.Close()
	req, _ := http.NewRequestWithContext(ctx, "POST", portal+"/t/"+taskID+"/files", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(c, req)
}

// staffUpload sends a slow raw upload to the staff API.
func staffUpload(ctx context.Context, h *harness, token, taskID string) (int, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(sendSlowly(ctx, pw, slowChunks)) }()
	defer pw.Close()
	req, _ := http.NewRequestWithContext(ctx, "POST",
		h.staff+"/api/v1/tasks/"+taskID+"/files?name=staff-slow.bin", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	return do(h.browser(), req)
}

// stalledForm posts the start of a comment form and then nothing more.
func stalledForm(ctx context.Context, c *http.Client, target string) (int, error) {
	req := stalledBody(ctx, "POST", target, url.Values{"body": {"never finished"}}.Encode()[:8])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(c, req)
}

// stalledBody is a request whose body sends start and then nothing more until ctx ends.
func stalledBody(ctx context.Context, method, target, start string) *http.Request {
	pr, pw := io.Pipe()
	go func() {
		_, err := io.WriteString(pw, start)
		if err == nil {
			<-ctx.Done()
			err = ctx.Err()
		}
		pw.CloseWithError(err)
	}()
	context.AfterFunc(ctx, func() { pw.Close() })
	req, _ := http.NewRequestWithContext(ctx, method, target, pr)
	return req
}

// sendSlowly writes chunks of slowChunk bytes slowPause apart; with chunks < 0 it writes
// one and then waits for ctx to end.
func sendSlowly(ctx context.Context, w io.Writer, chunks int) error {
	chunk := []byte(strings.Repeat("s", slowChunk))
	for i := 0; chunks < 0 || i < chunks; i++ {
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		if chunks < 0 {
			<-ctx.Done()
			return ctx.Err()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(slowPause):
		}
	}
	return nil
}

func do(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil && !errors.Is(err, io.EOF) {
		return resp.StatusCode, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, nil
}
