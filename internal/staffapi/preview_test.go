package staffapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/portal"
	"portico/internal/service"
	"portico/internal/web"
)

// Marker titles: the shared ones must show in a preview, the secret ones never.
const (
	pvProject   = "PV-PROJECT-1a2"
	pvMilestone = "PV-MILESTONE-3b4"
	pvTask      = "PV-TASK-5c6"
	pvDone      = "PV-DONE-TASK-7d8"
	pvLoose     = "PV-LOOSE-TASK-9e0"
	pvComment   = "PV-COMMENT-af1"
	pvFile      = "PV-FILE-b02.txt"

	pvSecretMilestone = "PV-SECRET-MILESTONE-c13"
	pvSecretTask      = "PV-SECRET-TASK-d24"
	pvSecretMSTask    = "PV-SECRET-MSTASK-e35"
	pvSecretInternal  = "PV-SECRET-INTERNAL-f46"
	pvSecretFile      = "PV-SECRET-FILE-057.txt"
	pvSecretComment   = "PV-SECRET-HIDDEN-TASK-COMMENT-168"

	pvClientName = "Mia Member"
)

var (
	pvShared  = []string{pvProject, pvMilestone, pvTask, pvDone, pvLoose}
	pvSecrets = []string{pvSecretMilestone, pvSecretTask, pvSecretMSTask, pvSecretInternal,
		pvSecretFile, pvSecretComment}
)

// previewWorld is a staff API with previews on and the real portal, both over HTTPS on
// the harness's store, with a project whose hidden parts carry secret markers.
type previewWorld struct {
	*harness
	staffSrv, portalSrv *httptest.Server

	project, personal              domain.ID
	task, done, hidden, inHiddenMS domain.ID
	sharedFile                     domain.ID
	client, stranger               domain.ID
	clientSession                  string
	otherProject, otherProjectTask domain.ID
}

func newPreviewWorld(t *testing.T) *previewWorld {
	t.Helper()
	w := &previewWorld{harness: newHarness(t)}
	w.staffSrv = httptest.NewTLSServer(New(Options{Service: w.svc, Hub: w.hub,
		Preview: portal.NewPreview(portal.Options{Service: w.svc})}))
	w.portalSrv = httptest.NewTLSServer(portal.New(portal.Options{Service: w.svc, Hub: w.hub}))
	t.Cleanup(w.staffSrv.Close)
	t.Cleanup(w.portalSrv.Close)
	w.seed()
	return w
}

// seed builds the project through the service, as staff would through the UI.
func (w *previewWorld) seed() {
	owner := w.owner.ID
	w.project = w.sharedProject(pvProject)
	shared := w.milestone(w.project, pvMilestone, true)
	secret := w.milestone(w.project, pvSecretMilestone, false)
	w.task = w.newTask(w.project, shared, pvTask, true)
	w.done = w.newTask(w.project, shared, pvDone, true)
	w.hidden = w.newTask(w.project, shared, pvSecretTask, false)
	w.inHiddenMS = w.newTask(w.project, secret, pvSecretMSTask, true)
	w.newTask(w.project, "", pvLoose, true)
	w.must(w.svc.AddComment(owner, w.task, pvComment, false))
	w.must(w.svc.AddComment(owner, w.task, pvSecretInternal, true))
	w.must(w.svc.AddComment(owner, w.hidden, pvSecretComment, false))
	w.sharedFile = w.attach(w.task, pvFile)
	w.attach(w.hidden, pvSecretFile)

	w.client, w.clientSession = w.acceptedClient(w.project, "mia@client.test", pvClientName)
	client := domain.Actor{Kind: domain.ActorClient, ID: w.client}
	w.must(w.svc.UpdateTask(owner, w.task, service.TaskInput{Assignee: &client}))
	w.must(w.svc.UpdateTask(owner, w.done, service.TaskInput{Assignee: &client}))
	w.must(w.svc.SetTaskDone(w.client, w.done, true))

	w.otherProject = w.sharedProject("PV-OTHER-PROJECT")
	w.otherProjectTask = w.newTask(w.otherProject, "", "PV-OTHER-TASK", true)
	w.stranger, _ = w.acceptedClient(w.otherProject, "sam@client.test", "Sam Stranger")

	p, err := w.svc.CreateProject(w.other.ID, service.ProjectInput{WorkspaceID: w.other.Personal,
		Name: "PV-PERSONAL"})
	w.must(p, err)
	w.personal = p.ID
}

func (w *previewWorld) must(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *previewWorld) sharedProject(name string) domain.ID {
	w.t.Helper()
	p, err := w.svc.CreateProject(w.owner.ID, service.ProjectInput{WorkspaceID: w.team, Name: name})
	w.must(p, err)
	w.must(w.svc.SetPortal(w.owner.ID, p.ID, true))
	return p.ID
}

func (w *previewWorld) milestone(projectID domain.ID, title string, shared bool) domain.ID {
	w.t.Helper()
	m, err := w.svc.CreateMilestone(w.owner.ID, projectID,
		service.MilestoneInput{Title: &title, Shared: &shared})
	w.must(m, err)
	return m.ID
}

func (w *previewWorld) newTask(projectID, milestoneID domain.ID, title string, shared bool) domain.ID {
	w.t.Helper()
	due := "2030-01-31"
	t, err := w.svc.CreateTask(w.owner.ID, projectID, service.TaskInput{Title: &title,
		Shared: &shared, MilestoneID: &milestoneID, Due: &due})
	w.must(t, err)
	return t.ID
}

func (w *previewWorld) attach(taskID domain.ID, name string) domain.ID {
	w.t.Helper()
	f, err := w.svc.AttachFile(w.owner.ID, taskID, service.Upload{Name: name,
		Body: strings.NewReader("contents of " + name)})
	w.must(f, err)
	return f.ID
}

// acceptedClient adds a client who accepts the invite, and returns a portal session.
func (w *previewWorld) acceptedClient(projectID domain.ID, email, name string) (domain.ID, string) {
	w.t.Helper()
	inv, err := w.svc.AddClient(w.owner.ID, projectID, service.ClientInput{Email: email, Name: name})
	w.must(inv, err)
	session, _, err := w.svc.RedeemLink(domain.ActorClient, domain.PurposeInvite,
		path.Base(inv.Link), testPassword)
	w.must(nil, err)
	return inv.Client.ID, session
}

func (w *previewWorld) projectPath(projectID, clientID domain.ID) string {
	return "/api/v1/projects/" + string(projectID) + "/preview/" + string(clientID)
}

func (w *previewWorld) taskPath(projectID, clientID, taskID domain.ID) string {
	return w.projectPath(projectID, clientID) + "/t/" + string(taskID)
}

// fetched is a finished response.
type fetched struct {
	status int
	header http.Header
	body   string
}

// get fetches target from srv as who (nil: anonymous) or, with session, as a client.
func (w *previewWorld) get(srv *httptest.Server, who *account, session, target, accept string) fetched {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if who != nil {
		req.Header.Set("Authorization", "Bearer "+who.Token)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: web.ClientCookie, Value: session})
	}
	c := srv.Client()
	c.Timeout = 30 * time.Second
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return fetched{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

// preview fetches a preview as the owner, the way a frame in the staff UI does.
func (w *previewWorld) preview(target string) fetched {
	w.t.Helper()
	return w.get(w.staffSrv, &w.owner, "", target, "text/html")
}

// TestPreviewShowsWhatTheClientSees checks both pages: the shared markers appear, the
// secret ones never, and nothing in them can change anything.
func TestPreviewShowsWhatTheClientSees(t *testing.T) {
	w := newPreviewWorld(t)
	cases := []struct {
		name   string
		target string
		want   []string
	}{
		{"project", w.projectPath(w.project, w.client), append(slices.Clone(pvShared),
			`"progress"`, "1 of 2 done", "for you")},
		{"assigned task", w.taskPath(w.project, w.client, w.task), []string{pvProject,
			pvMilestone, pvTask, pvComment, pvFile, "Mark as complete", "Olivia Owner"}},
		{"done task", w.taskPath(w.project, w.client, w.done), []string{pvDone, "Reopen task",
			"Completed by you"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.preview(tc.target)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			banner := "Preview: what " + pvClientName + " sees. Read-only."
			for _, want := range append(tc.want, banner) {
				if !strings.Contains(res.body, want) {
					t.Errorf("preview lacks %q", want)
				}
			}
			for _, absent := range append(slices.Clone(pvSecrets), "<form", "<script",
				"data-events", `href="/t/`, `href="/p/`, `href="/f/`, "/signout", "/account") {
				if strings.Contains(res.body, absent) {
					t.Errorf("preview contains %q", absent)
				}
			}
		})
	}
}

// TestPreviewHiddenObjects previews what the client cannot see: the portal's "Page not
// found" page, with a note for staff saying why, and still no secret.
func TestPreviewHiddenObjects(t *testing.T) {
	w := newPreviewWorld(t)
	cases := []struct {
		name   string
		who    *account
		target string
		reason string
	}{
		{"unshared task", &w.owner, w.taskPath(w.project, w.client, w.hidden),
			"the task is not shared"},
		{"task in an unshared milestone", &w.owner, w.taskPath(w.project, w.client, w.inHiddenMS),
			"the milestone of the task is not shared"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.get(w.staffSrv, tc.who, "", tc.target, "text/html")
			if res.status != http.StatusOK || !strings.Contains(res.body, "Page not found") ||
				!strings.Contains(res.body, tc.reason) {
				t.Fatalf("status %d, want the not-found page saying %q: %s", res.status,
					tc.reason, res.body)
			}
			for _, absent := range append(slices.Clone(pvSecrets), "<form", "<script") {
				if strings.Contains(res.body, absent) {
					t.Errorf("page contains %q", absent)
				}
			}
		})
	}

	t.Run("portal off", func(t *testing.T) {
		w.must(w.svc.SetPortal(w.owner.ID, w.project, false))
		res := w.preview(w.projectPath(w.project, w.client))
		if !strings.Contains(res.body, "Page not found") || strings.Contains(res.body, pvTask) ||
			!strings.Contains(res.body, "the portal of this project is off") {
			t.Errorf("status %d, not the not-found page with its reason: %s", res.status, res.body)
		}
	})
}

// TestPreviewRefusals covers the requests a preview refuses, as JSON for scripts and as a
// page for a frame.
func TestPreviewRefusals(t *testing.T) {
	w := newPreviewWorld(t)
	notOnProject := "this client is not on this project"
	cases := []struct {
		name   string
		who    *account
		target string
		status int
		says   string
	}{
		{"signed out", nil, w.projectPath(w.project, w.client), http.StatusUnauthorized,
			"sign in first"},
		{"client of another project", &w.owner, w.projectPath(w.project, w.stranger),
			http.StatusNotFound, notOnProject},
		{"client of another project, task", &w.owner, w.taskPath(w.project, w.stranger, w.task),
			http.StatusNotFound, notOnProject},
		{"staff member without rights", &w.member, w.projectPath(w.personal, w.client),
			http.StatusNotFound, "not found"},
		{"staff member without rights, task", &w.member,
			w.taskPath(w.personal, w.client, w.task), http.StatusNotFound, "not found"},
		{"task of another project", &w.owner, w.taskPath(w.project, w.client, w.otherProjectTask),
			http.StatusNotFound, "is not in this project"},
		{"unknown task", &w.owner, w.taskPath(w.project, w.client, "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
			http.StatusNotFound, "not found"},
		{"malformed client", &w.owner, w.projectPath(w.project, "nope"), http.StatusNotFound,
			"not found"},
		{"unknown project", &w.owner, w.projectPath("01ARZ3NDEKTSV4RRFFQ69G5FAV", w.client),
			http.StatusNotFound, "not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.get(w.staffSrv, tc.who, "", tc.target, "")
			if res.status != tc.status || !strings.Contains(res.body, tc.says) ||
				res.header.Get("Content-Type") != "application/json" {
				t.Errorf("JSON: status %d, want %d saying %q: %s", res.status, tc.status,
					tc.says, res.body)
			}
			if tc.who == nil {
				return
			}
			res = w.get(w.staffSrv, tc.who, "", tc.target, "text/html")
			if res.status != tc.status || !strings.Contains(strings.ToLower(res.body), tc.says) ||
				!strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				t.Errorf("HTML: status %d, want %d saying %q: %s", res.status, tc.status,
					tc.says, res.body)
			}
			if strings.Contains(res.body, "<form") || strings.Contains(res.body, pvProject) {
				t.Error("the refusal page holds a form or names the project")
			}
		})
	}
}

// TestPreviewHeaders checks that previews may be framed by the staff origin only, while
// the portal's own pages may not be framed at all.
func TestPreviewHeaders(t *testing.T) {
	w := newPreviewWorld(t)
	previews := map[string]fetched{
		"project":  w.preview(w.projectPath(w.project, w.client)),
		"task":     w.preview(w.taskPath(w.project, w.client, w.task)),
		"hidden":   w.preview(w.taskPath(w.project, w.client, w.hidden)),
		"refusal":  w.preview(w.projectPath(w.project, w.stranger)),
		"not here": w.preview(w.taskPath(w.project, w.client, w.otherProjectTask)),
	}
	for name, res := range previews {
		t.Run(name, func(t *testing.T) {
			csp := res.header.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'self'", "script-src 'self'",
				"form-action 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("CSP %q forbids the staff UI's frame", csp)
			}
			checkHeader(t, res.header, "X-Content-Type-Options", "nosniff")
			checkHeader(t, res.header, "Cache-Control", "no-store")
			checkHeader(t, res.header, "X-Frame-Options", "SAMEORIGIN")
			if cookie := res.header.Get("Set-Cookie"); cookie != "" {
				t.Errorf("a preview sets a cookie: %s", cookie)
			}
		})
	}

	t.Run("portal page", func(t *testing.T) {
		res := w.get(w.portalSrv, nil, w.clientSession, "/p/"+string(w.project), "text/html")
		if res.status != http.StatusOK ||
			!strings.Contains(res.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("status %d, CSP %q", res.status, res.header.Get("Content-Security-Policy"))
		}
	})
}

func checkHeader(t *testing.T, h http.Header, name, want string) {
	t.Helper()
	if got := h.Get(name); got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

var (
	taskLink = regexp.MustCompile(`<li class="task[^"]*"><a href="([^"]+)">([^<]*)</a>`)
	hrefs    = regexp.MustCompile(`(?:href|src)="([^"]+)"`)
)

// TestPreviewEqualsPortal compares a preview with the real portal, signed in as the same
// client: the same tasks, and the same live parts once the link addresses are set aside.
func TestPreviewEqualsPortal(t *testing.T) {
	w := newPreviewWorld(t)
	inPortal := w.get(w.portalSrv, nil, w.clientSession, "/p/"+string(w.project), "text/html")
	preview := w.preview(w.projectPath(w.project, w.client))
	if inPortal.status != http.StatusOK || preview.status != http.StatusOK {
		t.Fatalf("portal %d, preview %d", inPortal.status, preview.status)
	}
	portalTitles, previewTitles := taskTitles(inPortal.body), taskTitles(preview.body)
	if !slices.Equal(portalTitles, previewTitles) || len(portalTitles) != 3 {
		t.Errorf("portal shows tasks %q, preview %q", portalTitles, previewTitles)
	}
	a, b := livePart(inPortal.body, "live-project"), livePart(preview.body, "live-project")
	if a == "" || a != b {
		t.Errorf("project lists differ:\nportal:  %s\npreview: %s", a, b)
	}

	for _, id := range []domain.ID{w.task, w.done} {
		inPortal := w.get(w.portalSrv, nil, w.clientSession, "/t/"+string(id), "text/html")
		preview := w.preview(w.taskPath(w.project, w.client, id))
		for _, part := range []string{"live-files", "live-comments"} {
			a, b := livePart(inPortal.body, part), livePart(preview.body, part)
			if a == "" || a != b {
				t.Errorf("task %s, %s differ:\nportal:  %s\npreview: %s", id, part, a, b)
			}
		}
	}
}

// taskTitles returns the titles of a project page's task list, sorted.
func taskTitles(body string) []string {
	var out []string
	for _, m := range taskLink.FindAllStringSubmatch(body, -1) {
		out = append(out, m[2])
	}
	slices.Sort(out)
	return out
}

// livePart returns the element with the id up to its closing div, link addresses blanked.
func livePart(body, id string) string {
	start := strings.Index(body, `<div id="`+id+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "\n</div>")
	if end < 0 {
		return ""
	}
	return hrefs.ReplaceAllString(body[start:start+end], `href="LINK"`)
}

// TestPreviewLinks follows every kind of link a preview holds: to tasks, back to the
// project, to the stylesheet, and to file downloads, which staff fetch from the staff API.
func TestPreviewLinks(t *testing.T) {
	w := newPreviewWorld(t)
	project := w.preview(w.projectPath(w.project, w.client))
	links := taskLink.FindAllStringSubmatch(project.body, -1)
	if len(links) != 3 {
		t.Fatalf("%d task links, want 3", len(links))
	}
	for _, link := range links {
		task := w.preview(link[1])
		if task.status != http.StatusOK || !strings.Contains(task.body, "<h1>"+link[2]+"</h1>") {
			t.Errorf("%s: status %d, not the page of %s", link[1], task.status, link[2])
		}
		back := `href="` + w.projectPath(w.project, w.client) + `"`
		if !strings.Contains(task.body, back) {
			t.Errorf("%s does not link back to the project preview", link[1])
		}
	}

	task := w.preview(w.taskPath(w.project, w.client, w.task)).body
	file := "/api/v1/files/" + string(w.sharedFile) + "/content"
	if !strings.Contains(task, `href="`+file+`"`) {
		t.Fatalf("task preview does not link %s", file)
	}
	if res := w.preview(file); res.status != http.StatusOK || res.body != "contents of "+pvFile {
		t.Errorf("file link: status %d, body %q", res.status, res.body)
	}

	css := w.get(w.staffSrv, nil, "", "/api/v1/preview-static/portal.css", "text/css")
	if !strings.Contains(project.body, `href="/api/v1/preview-static/portal.css"`) ||
		css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") ||
		!strings.Contains(css.body, ".preview-banner") {
		t.Errorf("stylesheet: status %d, type %q", css.status, css.header.Get("Content-Type"))
	}
}

// TestPreviewOff checks a staff API built without a previewer: the routes say so.
func TestPreviewOff(t *testing.T) {
	h := newHarness(t)
	p := h.project(&h.owner, h.team, "No preview", false)
	target := "/api/v1/projects/" + string(p.ID) + "/preview/01ARZ3NDEKTSV4RRFFQ69G5FAV"
	for _, path := range []string{target, "/api/v1/preview-static/portal.css"} {
		status, body := h.call(&h.owner, http.MethodGet, path, nil, "Accept", "text/html")
		if status != http.StatusNotFound || !strings.Contains(body, "not available") {
			t.Errorf("GET %s: status %d: %s", path, status, body)
		}
	}
}
