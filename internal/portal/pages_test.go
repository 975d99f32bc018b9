package portal

import (
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var idPattern = regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{26}\b`)

// timePattern matches the server timestamps of a page, machine- and human-readable.
var timePattern = regexp.MustCompile(
	`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC`)

// digestPattern matches a live page's digest, which changes with every ID and time.
var digestPattern = regexp.MustCompile(`data-digest="[0-9a-f]{32}"`)

// TestGoldenPages compares rendered pages with testdata/, IDs and timestamps replaced by
// placeholders.
// Run with -update after an intended change of a template.
func TestGoldenPages(t *testing.T) {
	w := newWorld(t, service.Config{AgencyName: "Acme Studio"})
	member := w.browser(t, w.memberSession)
	anon := w.browser(t, "")
	cases := []struct {
		golden string
		page   func() *response
	}{
		{"signin.html", func() *response { return anon.get("/signin") }},
		{"invalid-link.html", func() *response { return anon.get("/invite/nope") }},
		{"not-found.html", func() *response { return member.get("/t/" + string(w.tHidden)) }},
		{"home.html", func() *response { return member.get("/") }},
		{"project.html", func() *response { return member.get("/p/" + string(w.alpha)) }},
		{"doc.html", func() *response { return member.get("/d/" + string(w.dShared)) }},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			got := idPattern.ReplaceAllString(tc.page().body, "ID")
			got = timePattern.ReplaceAllString(got, "TIME")
			got = digestPattern.ReplaceAllString(got, `data-digest="DIGEST"`)
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("page differs from %s (run go test -update to accept):\n%s", path, got)
			}
		})
	}
}

// TestNotFoundIsUniform checks that a hidden object's page is the missing object's page,
// byte for byte, for every kind of object.
func TestNotFoundIsUniform(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	missing := member.get("/t/01ARZ3NDEKTSV4RRFFQ69G5FAV")
	for _, path := range []string{"/t/" + string(w.tHidden), "/t/" + string(w.tInHiddenMS),
		"/t/" + string(w.tBeta), "/f/" + string(w.fHidden), "/p/" + string(w.beta),
		"/p/" + string(w.beta) + "/events", "/t/not-an-id", "/nowhere", "/d/" + string(w.dHidden),
		"/d/" + string(w.dBeta), "/d/not-an-id"} {
		if res := member.get(path); res.status != http.StatusNotFound || res.body != missing.body {
			t.Errorf("GET %s: status %d, or a page unlike a missing object's", path, res.status)
		}
	}
}

// TestProgressAndCompletion completes and reopens a task and checks the progress bar,
// which counts the visible tasks only, and the buttons.
func TestProgressAndCompletion(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	project := "/p/" + string(w.alpha)
	task := "/t/" + string(w.tShared)
	steps := []struct {
		name     string
		post     string
		progress string
		button   string
	}{
		{"before", "", `value="0"`, "Mark as complete"},
		{"completed", task + "/complete", `value="50"`, "Reopen task"},
		{"completed twice", task + "/complete", `value="50"`, "Reopen task"},
		{"reopened", task + "/reopen", `value="0"`, "Mark as complete"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if step.post != "" {
				if res := member.postForm(step.post, nil); res.status != http.StatusSeeOther ||
					res.header.Get("Location") != task {
					t.Fatalf("POST %s: status %d to %q", step.post, res.status, res.header.Get("Location"))
				}
			}
			page := member.get(project).body
			if !strings.Contains(page, step.progress) || !strings.Contains(page, "of 2 done") {
				t.Errorf("project page lacks %s over 2 visible tasks", step.progress)
			}
			if body := member.get(task).body; !strings.Contains(body, step.button) {
				t.Errorf("task page lacks %q", step.button)
			}
		})
	}
	agency := member.get("/t/" + string(w.tAgency)).body
	if strings.Contains(agency, "/complete") || strings.Contains(agency, "/reopen") {
		t.Error("a task assigned to the agency offers complete or reopen")
	}
}

// TestTaskPageAuthors checks how authors appear: the client as "You", staff by name,
// never an email address.
func TestTaskPageAuthors(t *testing.T) {
	w := newWorld(t, service.Config{})
	member := w.browser(t, w.memberSession)
	task := "/t/" + string(w.tShared)
	member.postForm(task+"/comments", url.Values{"body": {"my own words"}})
	member.upload(task+"/files", namedFile{"mine.txt", "mine"})
	body := member.get(task).body
	for _, want := range []string{"<strong>You</strong>", "<strong>Olivia Owner</strong>",
		"mine.txt", "You ·", "Olivia Owner ·", "Description of " + alphaTask} {
		if !strings.Contains(body, want) {
			t.Errorf("task page lacks %q", want)
		}
	}
	if strings.Contains(body, "@") {
		t.Error("task page shows an email address")
	}
}

// TestHostileTitlesEscaped gives a shared milestone, task and project hostile titles:
// every page shows them as text.
func TestHostileTitlesEscaped(t *testing.T) {
	w := newWorld(t, service.Config{})
	const hostile = `<img src=x onerror=alert(1)> "double" & 'single'`
	staff := domain.Actor{Kind: domain.ActorStaff, ID: w.ownerID}
	ms := w.milestone(t, w.alpha, hostile, true)
	task := w.task(t, w.alpha, ms, hostile, true, staff)
	rename := service.ProjectUpdate{Name: ptr(hostile)}
	if _, err := w.svc.UpdateProject(w.ownerID, w.alpha, rename); err != nil {
		t.Fatal(err)
	}
	member := w.browser(t, w.memberSession)
	for _, path := range []string{"/", "/p/" + string(w.alpha), "/t/" + string(task)} {
		body := member.get(path).body
		if strings.Contains(body, "<img") || strings.Contains(body, `"double"`) {
			t.Errorf("GET %s shows the title unescaped", path)
		}
		if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("GET %s does not show the title as text", path)
		}
	}
}
