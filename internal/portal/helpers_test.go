package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/service"
	"portico/internal/store"
	"portico/internal/web"
)

const (
	ownerEmail    = "owner@agency.test"
	clientPass    = "client password 1"
	ownerPassword = "owner password 12"
)

// fixture is a real portal over HTTPS on loopback, on a real bbolt and blob store in a
// temporary folder, with an owner and the Team workspace made through the service.
type fixture struct {
	dir     string
	store   *store.Store
	blobs   *blob.Store
	hub     *events.Hub
	svc     *service.Service
	srv     *httptest.Server
	logs    *syncBuffer
	ownerID domain.ID
	wsID    domain.ID
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFixture(t testing.TB, cfg service.Config) *fixture {
	t.Helper()
	restore := auth.SetTestParams()
	t.Cleanup(restore)
	f := &fixture{dir: t.TempDir(), hub: events.New(), logs: &syncBuffer{}}
	var err error
	dbPath := filepath.Join(f.dir, "portico.db")
	if f.store, err = store.Open(dbPath, store.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	f.store.OnCommit(f.hub.Publish)
	if f.blobs, err = blob.Open(filepath.Join(f.dir, "files")); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(f.logs, nil))
	f.svc = service.New(f.store, f.blobs, nil, cfg, logger)
	f.setupOwner(t)
	f.start(t, logger)
	return f
}

func (f *fixture) setupOwner(t testing.TB) {
	t.Helper()
	link, err := f.svc.IssueSetupLink()
	if err != nil {
		t.Fatal(err)
	}
	_, owner, err := f.svc.SetupOwner(lastSegment(link), ownerEmail, "Olivia Owner", ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	f.ownerID = owner.ID
	err = f.store.View(func(tx *store.Tx) error {
		all, err := tx.Workspaces()
		for _, ws := range all {
			if ws.Kind == domain.WorkspaceShared {
				f.wsID = ws.ID
			}
		}
		return err
	})
	if err != nil || f.wsID == "" {
		t.Fatalf("no shared workspace: %v", err)
	}
}

// start serves the portal; the server's base context ends before it closes, as in
// production, so open event streams end.
func (f *fixture) start(t testing.TB, logger *slog.Logger) {
	ctx, cancel := context.WithCancel(context.Background())
	f.srv = httptest.NewUnstartedServer(New(Options{Service: f.svc, Hub: f.hub, Logger: logger}))
	f.srv.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	f.srv.StartTLS()
	t.Cleanup(func() {
		cancel()
		f.srv.Close()
		f.svc.Close()
		if err := f.store.Check(); err != nil {
			t.Errorf("store check: %v", err)
		}
		f.store.Close()
	})
}

func lastSegment(link string) string { return link[strings.LastIndexByte(link, '/')+1:] }

func ptr[T any](v T) *T { return &v }

// project creates a project in the Team workspace with its portal on.
func (f *fixture) project(t testing.TB, name string) domain.ID {
	t.Helper()
	p, err := f.svc.CreateProject(f.ownerID, service.ProjectInput{WorkspaceID: f.wsID, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetPortal(f.ownerID, p.ID, true); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) milestone(t testing.TB, projectID domain.ID, title string, shared bool) domain.ID {
	t.Helper()
	in := service.MilestoneInput{Title: &title, Shared: &shared}
	m, err := f.svc.CreateMilestone(f.ownerID, projectID, in)
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func (f *fixture) task(t testing.TB, projectID, milestoneID domain.ID, title string, shared bool,
	assignee domain.Actor) domain.ID {
	t.Helper()
	in := service.TaskInput{Title: &title, Shared: &shared, MilestoneID: &milestoneID,
		Description: ptr("Description of " + title), Due: ptr("2030-01-31")}
	if !assignee.IsZero() {
		in.Assignee = &assignee
	}
	task, err := f.svc.CreateTask(f.ownerID, projectID, in)
	if err != nil {
		t.Fatal(err)
	}
	return task.ID
}

func (f *fixture) assign(t testing.TB, taskID domain.ID, who domain.Actor) {
	t.Helper()
	if _, err := f.svc.UpdateTask(f.ownerID, taskID, service.TaskInput{Assignee: &who}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) comment(t testing.TB, taskID domain.ID, body string, internal bool) domain.ID {
	t.Helper()
	c, err := f.svc.AddComment(f.ownerID, taskID, body, internal)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (f *fixture) file(t testing.TB, taskID domain.ID, name, content string) domain.ID {
	t.Helper()
	up := service.Upload{Name: name, Body: strings.NewReader(content)}
	file, err := f.svc.AttachFile(f.ownerID, taskID, up)
	if err != nil {
		t.Fatal(err)
	}
	return file.ID
}

func (f *fixture) doc(t testing.TB, projectID domain.ID, title, body string, shared bool) domain.ID {
	t.Helper()
	in := service.DocInput{Title: &title, Body: &body, Shared: &shared}
	d, err := f.svc.CreateDoc(f.ownerID, projectID, in)
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func (f *fixture) docComment(t testing.TB, docID domain.ID, body string, internal bool) domain.ID {
	t.Helper()
	c, err := f.svc.AddDocComment(f.ownerID, docID, body, internal)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// invite adds a client to a project and returns the client and the invite link's secret.
func (f *fixture) invite(t testing.TB, projectID domain.ID, email, name string) (domain.ID, string) {
	t.Helper()
	inv, err := f.svc.AddClient(f.ownerID, projectID, service.ClientInput{Email: email, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Link == "" {
		return inv.Client.ID, ""
	}
	return inv.Client.ID, lastSegment(inv.Link)
}

// client adds an accepted client to a project and returns their ID and a session secret.
func (f *fixture) client(t testing.TB, projectID domain.ID, email, name string) (domain.ID, string) {
	t.Helper()
	id, token := f.invite(t, projectID, email, name)
	if token == "" {
		session, _, err := f.svc.SignIn(domain.ActorClient, email, clientPass)
		if err != nil {
			t.Fatal(err)
		}
		return id, session
	}
	session, _, err := f.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite, token, clientPass)
	if err != nil {
		t.Fatal(err)
	}
	return id, session
}

// expiredSession opens a session for the client that has already expired, through a
// second service on the same store with a tiny session lifetime.
func (f *fixture) expiredSession(t testing.TB, clientID domain.ID) string {
	t.Helper()
	short := service.New(f.store, f.blobs, nil, service.Config{SessionTTL: time.Millisecond},
		slog.New(slog.DiscardHandler))
	secret, err := short.NewSession(domain.Actor{Kind: domain.ActorClient, ID: clientID})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	return secret
}

func (f *fixture) lastSeq(t testing.TB) uint64 {
	t.Helper()
	var seq uint64
	err := f.store.View(func(tx *store.Tx) error {
		all, err := tx.ActivitySince(0, 1_000_000)
		if len(all) > 0 {
			seq = all[len(all)-1].Seq
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// browser talks to the portal like a browser that does not follow redirects.
type browser struct {
	t       testing.TB
	f       *fixture
	client  *http.Client
	session string
}

func (f *fixture) browser(t testing.TB, session string) *browser {
	c := f.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Timeout = 30 * time.Second
	return &browser{t: t, f: f, client: c, session: session}
}

// response is a finished response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) request(method, path string, body io.Reader, header http.Header) *http.Request {
	b.t.Helper()
	req, err := http.NewRequest(method, b.f.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if b.session != "" {
		req.AddCookie(&http.Cookie{Name: web.ClientCookie, Value: b.session})
	}
	return req
}

func (b *browser) send(req *http.Request) *response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	return b.sendResult(res)
}

// sendResult reads and closes a response's body.
func (b *browser) sendResult(res *http.Response) *response {
	b.t.Helper()
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", res.Request.Method, res.Request.URL.Path, err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (b *browser) get(path string) *response {
	b.t.Helper()
	return b.send(b.request(http.MethodGet, path, nil, nil))
}

func (b *browser) postForm(path string, form url.Values) *response {
	b.t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return b.send(b.request(http.MethodPost, path, strings.NewReader(form.Encode()), h))
}

// upload posts files as a multipart form; each name is sent as the raw filename
// parameter, or RFC 2231-encoded when it holds characters a header line cannot carry.
func (b *browser) upload(path string, files ...namedFile) *response {
	b.t.Helper()
	body, contentType := multipartBody(b.t, files...)
	h := http.Header{"Content-Type": {contentType}}
	return b.send(b.request(http.MethodPost, path, body, h))
}

type namedFile struct {
	name    string
	content string
}

func multipartBody(t testing.TB, files ...namedFile) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, file := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; `+filenameParam(file.name))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, file.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

func filenameParam(name string) string {
	plain := true
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' {
			plain = false
		}
	}
	if plain {
		return `filename="` + strings.ReplaceAll(name, `\`, `\\`) + `"`
	}
	return `filename*=UTF-8''` + percentEncode(name)
}

// percentEncode encodes every byte outside letters, digits and "._-" (RFC 2231).
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// assertAbsent fails if body contains any of the markers.
func assertAbsent(t testing.TB, what, body string, markers []string) {
	t.Helper()
	for _, m := range markers {
		if strings.Contains(body, m) {
			t.Errorf("%s: body contains %q", what, m)
		}
	}
}

// files returns the file records of a task, read straight from the store (tests only).
func (f *fixture) files(t testing.TB, taskID domain.ID) []domain.File {
	t.Helper()
	var out []domain.File
	err := f.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Files(taskID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// comments returns the comments of a task, internal ones included (tests only).
func (f *fixture) comments(t testing.TB, taskID domain.ID) []domain.Comment {
	t.Helper()
	var out []domain.Comment
	err := f.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Comments(taskID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
