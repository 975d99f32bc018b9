package staffapi

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/frontend"
	"portico/internal/auth"
	"portico/internal/blob"
	"portico/internal/domain"
	"portico/internal/events"
	"portico/internal/mail"
	"portico/internal/service"
	"portico/internal/store"
)

func TestMain(m *testing.M) {
	restore := auth.SetTestParams()
	code := m.Run()
	restore()
	os.Exit(code)
}

// testCA stands in for the local CA's certificate; the API only passes the bytes on.
const testCA = "-----BEGIN CERTIFICATE-----\nTUlJQ2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"

const testPassword = "correct horse battery"

// harness is a staff API over real HTTPS on a real bbolt store in a temporary folder, with
// an owner and two members signed in.
type harness struct {
	t      *testing.T
	dir    string
	srv    *httptest.Server
	store  *store.Store
	svc    *service.Service
	hub    *events.Hub
	logs   *syncBuffer
	mailer *fakeMailer

	owner, member, other account
	team                 domain.ID // the shared workspace made at setup
}

// account is a signed-in staff member.
type account struct {
	ID       domain.ID
	Email    string
	Token    string
	Personal domain.ID // their personal workspace
}

type harnessConfig struct {
	maxUpload int64
	mail      bool
	heartbeat time.Duration
	ui        fs.FS  // the staff UI's files; the placeholder unless a test sets them
	folders   string // the folders root; empty leaves folder sync off
}

func withMaxUpload(n int64) func(*harnessConfig) {
	return func(c *harnessConfig) { c.maxUpload = n }
}

func withMail() func(*harnessConfig) { return func(c *harnessConfig) { c.mail = true } }

func withFoldersRoot(dir string) func(*harnessConfig) {
	return func(c *harnessConfig) { c.folders = dir }
}

func withHeartbeat(d time.Duration) func(*harnessConfig) {
	return func(c *harnessConfig) { c.heartbeat = d }
}

func newHarness(t *testing.T, opts ...func(*harnessConfig)) *harness {
	t.Helper()
	h := newBareHarness(t, opts...)
	h.setUpTeam()
	return h
}

// newBareHarness is a harness on an empty store, before setup.
func newBareHarness(t *testing.T, opts ...func(*harnessConfig)) *harness {
	t.Helper()
	cfg := harnessConfig{ui: frontend.Placeholder()}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, dir: t.TempDir(), hub: events.New(), logs: &syncBuffer{}}
	st, err := store.Open(filepath.Join(h.dir, "portico.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	h.store = st
	st.OnCommit(h.hub.Publish)
	blobs, err := blob.Open(filepath.Join(h.dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var mailer service.Mailer
	if cfg.mail {
		h.mailer = &fakeMailer{}
		mailer = h.mailer
	}
	h.svc = service.New(st, blobs, mailer, service.Config{PortalURL: "https://portal.test",
		StaffURL: "https://staff.test", MaxUpload: cfg.maxUpload, FoldersRoot: cfg.folders}, logger)
	h.srv = httptest.NewTLSServer(New(Options{Service: h.svc, Hub: h.hub, CACert: []byte(testCA),
		Logger: logger, Heartbeat: cfg.heartbeat, SessionCheck: 50 * time.Millisecond, UI: cfg.ui}))
	t.Cleanup(func() {
		h.srv.Close()
		h.svc.Close()
		if err := st.Check(); err != nil {
			t.Errorf("store check: %v", err)
		}
		st.Close()
	})
	return h
}

// setUpTeam creates the owner through the setup API and two members through invites.
func (h *harness) setUpTeam() {
	link, err := h.svc.IssueSetupLink()
	if err != nil {
		h.t.Fatal(err)
	}
	var sess sessionView
	h.mustJSON(nil, "POST", "/api/v1/setup", map[string]string{"token": path.Base(link),
		"email": "owner@agency.test", "name": "Olivia Owner", "password": testPassword},
		http.StatusCreated, &sess)
	h.owner = account{ID: sess.Staff.ID, Email: sess.Staff.Email, Token: sess.Token}
	h.member = h.addStaff("member@agency.test", "Max Member")
	h.other = h.addStaff("other@agency.test", "Otto Other")
	h.store.View(func(tx *store.Tx) error {
		all, _ := tx.Workspaces()
		for _, ws := range all {
			switch {
			case ws.Kind == domain.WorkspaceShared:
				h.team = ws.ID
			case ws.OwnerID == h.owner.ID:
				h.owner.Personal = ws.ID
			case ws.OwnerID == h.member.ID:
				h.member.Personal = ws.ID
			case ws.OwnerID == h.other.ID:
				h.other.Personal = ws.ID
			}
		}
		return nil
	})
}

// addStaff invites a member through the API and redeems the link through the service.
func (h *harness) addStaff(email, name string) account {
	var inv staffInviteView
	h.mustJSON(&h.owner, "POST", "/api/v1/staff", map[string]string{"email": email, "name": name},
		http.StatusCreated, &inv)
	secret, _, err := h.svc.RedeemLink(domain.ActorStaff, domain.PurposeInvite,
		path.Base(inv.Link), testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	return account{ID: inv.Staff.ID, Email: email, Token: secret}
}

// request sends a request as who (nil: anonymous). body is sent as is when it is a string
// or []byte, and as JSON otherwise.
func (h *harness) request(who *account, method, target string, body any, header ...string) *http.Response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+target, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if who != nil {
		req.Header.Set("Authorization", "Bearer "+who.Token)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

// call sends a request and returns the status and body.
func (h *harness) call(who *account, method, target string, body any, header ...string) (int, string) {
	h.t.Helper()
	resp := h.request(who, method, target, body, header...)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, string(raw)
}

// mustJSON sends a request, checks the status and decodes the answer into out.
func (h *harness) mustJSON(who *account, method, target string, body any, want int, out any) {
	h.t.Helper()
	status, raw := h.call(who, method, target, body)
	if status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, target, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			h.t.Fatalf("%s %s: decode %q: %v", method, target, raw, err)
		}
	}
}

func (h *harness) project(who *account, workspace domain.ID, name string, autoShare bool) domain.Project {
	h.t.Helper()
	var p domain.Project
	h.mustJSON(who, "POST", "/api/v1/projects", map[string]any{"workspace_id": workspace,
		"name": name, "auto_share": autoShare}, http.StatusCreated, &p)
	return p
}

func (h *harness) task(who *account, projectID domain.ID, title string) domain.Task {
	h.t.Helper()
	var t domain.Task
	h.mustJSON(who, "POST", "/api/v1/projects/"+string(projectID)+"/tasks",
		map[string]any{"title": title}, http.StatusCreated, &t)
	return t
}

// snapshot summarises everything stored, to prove a refused request changed nothing.
type snapshot struct {
	Seq                                          uint64
	Projects, Milestones, Tasks, Comments, Files int
	Clients, Staff                               int
	Blobs                                        int
	Docs, DocVersions                            int
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	var s snapshot
	err := h.store.View(func(tx *store.Tx) error {
		s.Seq = tx.LastActivitySeq()
		projects, err := tx.Projects()
		if err != nil {
			return err
		}
		s.Projects = len(projects)
		for _, p := range projects {
			ms, _ := tx.Milestones(p.ID)
			s.Milestones += len(ms)
			tasks, _ := tx.Tasks(p.ID, false)
			s.Tasks += len(tasks)
			for _, t := range tasks {
				cs, _ := tx.Comments(t.ID)
				fs, _ := tx.Files(t.ID)
				s.Comments += len(cs)
				s.Files += len(fs)
			}
			docs, _ := tx.Docs(p.ID, false)
			s.Docs += len(docs)
			for _, d := range docs {
				vs, _ := tx.DocVersions(d.ID)
				cs, _ := tx.DocComments(d.ID)
				s.DocVersions += len(vs)
				s.Comments += len(cs)
			}
		}
		clients, _ := tx.AllClients()
		staff, _ := tx.AllStaff()
		s.Clients, s.Staff = len(clients), len(staff)
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	s.Blobs = h.blobFiles()
	return s
}

// blobFiles counts the files under files/, temporary ones included.
func (h *harness) blobFiles() int {
	n := 0
	filepath.WalkDir(filepath.Join(h.dir, "files"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// allActivity returns the whole activity log as JSON text.
func (h *harness) allActivity() string {
	h.t.Helper()
	var out []domain.Activity
	h.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.ActivitySince(0, 1_000_000)
		return err
	})
	raw, _ := json.Marshal(out)
	return string(raw)
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

// fakeMailer keeps queued mail for the test to read.
type fakeMailer struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (m *fakeMailer) Enqueue(msg mail.Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
}

func (m *fakeMailer) last() mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sent) == 0 {
		return mail.Message{}
	}
	return m.sent[len(m.sent)-1]
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
