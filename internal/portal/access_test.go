package portal

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

// target names the IDs a route is tried with for one object state. For object states
// that are not projects, the project routes are tried with the object's own ID, since a
// hidden object must answer like a missing one whatever ID is tried.
type target struct {
	name                string
	project, task, file domain.ID
	// visibleTo is the client who may see this object, if any; assignedTo may also
	// complete it.
	visibleTo, assignedTo func(*world) domain.ID
	// shows are what the object's task page must show when it is visible.
	shows []string
	// doc is tried on the doc routes; docShows are what its page must show when visible.
	doc      domain.ID
	docShows []string
	// folderFile is tried on the folder file download.
	folderFile domain.ID
}

type portalRoute struct {
	name   string
	method string
	path   func(target) string
	// kind is "page", "events", "complete" or "write"; it decides the expected status.
	kind string
}

var portalRoutes = []portalRoute{
	{"project page", "GET", func(o target) string { return "/p/" + string(o.project) }, "page"},
	{"task page", "GET", func(o target) string { return "/t/" + string(o.task) }, "page"},
	{"download", "GET", func(o target) string { return "/f/" + string(o.file) }, "file"},
	{"events", "GET", func(o target) string { return "/p/" + string(o.project) + "/events" }, "events"},
	{"complete", "POST", func(o target) string { return "/t/" + string(o.task) + "/complete" }, "complete"},
	{"reopen", "POST", func(o target) string { return "/t/" + string(o.task) + "/reopen" }, "complete"},
	{"comment", "POST", func(o target) string { return "/t/" + string(o.task) + "/comments" }, "write"},
	{"upload", "POST", func(o target) string { return "/t/" + string(o.task) + "/files" }, "write"},
	{"doc page", "GET", func(o target) string { return "/d/" + string(o.doc) }, "page"},
	{"doc comment", "POST", func(o target) string { return "/d/" + string(o.doc) + "/comments" }, "write"},
	{"folder file", "GET", func(o target) string { return "/ff/" + string(o.folderFile) }, "file"},
}

func nobody(*world) domain.ID        { return "" }
func memberOf(w *world) domain.ID    { return w.member }
func otherMember(w *world) domain.ID { return w.other }

func targets(w *world) []target {
	unknown := domain.NewID()
	// Objects other than docs are tried on the doc routes with a doc their visitor may or
	// may not see alike; doc objects are tried everywhere with their own ID.
	only := func(name string, id domain.ID) target {
		return target{name, id, id, id, nobody, nobody, nil, id, nil, id}
	}
	return []target{
		{"shared task and doc", w.alpha, w.tShared, w.fShared, memberOf, memberOf,
			[]string{alphaTask, alphaComment, alphaFile, alphaMilestone},
			w.dShared, []string{alphaDoc, alphaDocCmt, "<h1>Brief</h1>", alphaDocBody}, w.ffShared},
		{"shared task assigned to agency", w.alpha, w.tAgency, w.fShared, memberOf, nobody,
			[]string{alphaAgency, "for agency"}, w.dShared, nil, w.ffShared},
		{"hidden task, unshared folder file", w.tHidden, w.tHidden, w.fHidden, nobody, nobody,
			nil, w.dHidden, nil, w.ffHidden},
		{"task in hidden milestone, deleted folder file", w.msHidden, w.tInHiddenMS,
			w.fInHiddenMS, nobody, nobody, nil, w.msHidden, nil, w.ffDeleted},
		{"internal comment", w.cInternal, w.cInternal, w.cInternal, nobody, nobody, nil,
			w.cInternal, nil, w.cInternal},
		{"other project's task, doc and folder file", w.beta, w.tBeta, w.fBeta, otherMember,
			otherMember, []string{betaTask, betaFile}, w.dBeta, []string{betaDoc}, w.ffBeta},
		only("hidden doc", w.dHidden),
		only("comment on a shared doc", w.dcVisible),
		only("internal comment on a shared doc", w.dcInternal),
		only("unknown id", unknown),
	}
}

// clientState prepares one kind of visitor and names what they must never see.
type clientState struct {
	name    string
	prepare func(t *testing.T, w *world) (clientID domain.ID, session string)
	hidden  []string
	// unshared is set when the state takes Alpha away from its members.
	unshared bool
}

var clientStates = []clientState{
	{"member", func(t *testing.T, w *world) (domain.ID, string) {
		return w.member, w.memberSession
	}, betaMarkers, false},
	{"member of another project", func(t *testing.T, w *world) (domain.ID, string) {
		return w.other, w.otherSession
	}, alphaMarkers, false},
	{"removed from project", func(t *testing.T, w *world) (domain.ID, string) {
		return w.gone, w.goneSession
	}, concat(alphaMarkers, betaMarkers), false},
	{"after unshare", func(t *testing.T, w *world) (domain.ID, string) {
		if err := w.svc.Unshare(w.ownerID, w.alpha); err != nil {
			t.Fatal(err)
		}
		return w.member, w.memberSession
	}, concat(alphaMarkers, betaMarkers), true},
	{"signed out", func(t *testing.T, w *world) (domain.ID, string) {
		return "", ""
	}, concat(alphaMarkers, betaMarkers), false},
	{"expired session", func(t *testing.T, w *world) (domain.ID, string) {
		return "", w.expiredSession(t, w.member)
	}, concat(alphaMarkers, betaMarkers), false},
	{"disabled account", func(t *testing.T, w *world) (domain.ID, string) {
		if _, err := w.svc.SetClientDisabled(w.ownerID, w.member, true); err != nil {
			t.Fatal(err)
		}
		return "", w.memberSession
	}, concat(alphaMarkers, betaMarkers), false},
}

// expected is the status a route answers for a visitor and an object: sign-in for anyone
// without a live session, the real answer for what they may see, 404 for everything else.
func expected(w *world, state clientState, viewer domain.ID, o target, r portalRoute) int {
	switch {
	case viewer == "":
		return http.StatusSeeOther
	case o.visibleTo(w) != viewer, state.unshared:
		return http.StatusNotFound
	case r.kind == "complete" && o.assignedTo(w) != viewer:
		return http.StatusForbidden
	case r.method == http.MethodPost:
		return http.StatusSeeOther
	}
	return http.StatusOK
}

// TestAccess tries every portal route for every client state and object state, checks
// the status, and checks that no response body ever shows something hidden from that
// visitor.
func TestAccess(t *testing.T) {
	for _, state := range clientStates {
		t.Run(state.name, func(t *testing.T) {
			w := newWorld(t, service.Config{})
			viewer, session := state.prepare(t, w)
			b := w.browser(t, session)
			forbidden := concat(secrets, state.hidden,
				[]string{memberEmail, otherEmail, goneEmail})
			for _, o := range targets(w) {
				for _, r := range portalRoutes {
					t.Run(o.name+"/"+r.name, func(t *testing.T) {
						checkRoute(t, w, b, expected(w, state, viewer, o, r), viewer, o, r, forbidden)
					})
				}
			}
		})
	}
}

func checkRoute(t *testing.T, w *world, b *browser, want int, viewer domain.ID, o target,
	r portalRoute, forbidden []string) {
	before := w.lastSeq(t)
	path := r.path(o)
	res := tryRoute(t, b, r, path)
	if res.status != want {
		t.Fatalf("%s %s: status %d, want %d", r.method, path, res.status, want)
	}
	assertAbsent(t, r.method+" "+path, res.body, forbidden)
	if want == http.StatusSeeOther && viewer == "" {
		if loc := res.header.Get("Location"); !strings.HasPrefix(loc, "/signin") {
			t.Errorf("signed-out %s %s went to %q, want the sign-in page", r.method, path, loc)
		}
	}
	shows := map[string][]string{"task page": o.shows, "doc page": o.docShows}[r.name]
	for _, m := range shows {
		if want == http.StatusOK && !strings.Contains(res.body, m) {
			t.Errorf("GET %s does not show %q", path, m)
		}
	}
	if r.method == http.MethodPost && want != http.StatusSeeOther || viewer == "" {
		if after := w.lastSeq(t); after != before {
			t.Errorf("refused %s %s still wrote %d activity entries", r.method, path, after-before)
		}
	}
}

// tryRoute sends the route's request; an event stream that opens is closed as soon as
// its headers arrive.
func tryRoute(t *testing.T, b *browser, r portalRoute, path string) *response {
	t.Helper()
	switch {
	case r.kind == "events":
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req := b.request(r.method, path, nil, nil).WithContext(ctx)
		res, err := b.client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		out := &response{status: res.StatusCode, header: res.Header}
		if res.StatusCode != http.StatusOK {
			return b.sendResult(res)
		}
		return out
	case r.name == "comment", r.name == "doc comment":
		return b.postForm(path, url.Values{"body": {"A comment from the access test"}})
	case r.name == "upload":
		return b.upload(path, namedFile{"access-test.txt", "uploaded by the access test"})
	case r.method == http.MethodPost:
		return b.postForm(path, url.Values{})
	}
	return b.get(path)
}
