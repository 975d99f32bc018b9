package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// TestDocPages checks the Documents section of a project page and a doc's own page: the
// shared doc is listed and rendered with the sanitizing renderer, the hidden one is not.
func TestDocPages(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	evil := w.doc(t, w.alpha, "Markdown test", "**bold** <script>alert(1)</script>\n\n"+
		"[click](javascript:alert(2)) <img src=x onerror=alert(3)>", true)

	project := b.get("/p/" + string(w.alpha))
	for _, want := range []string{`id="documents"`, alphaDoc, `href="/d/` + string(w.dShared) + `"`,
		"Markdown test"} {
		if !strings.Contains(project.body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
	assertAbsent(t, "project page", project.body, concat(secrets, betaMarkers))

	doc := b.get("/d/" + string(w.dShared))
	if doc.status != http.StatusOK {
		t.Fatalf("doc page: status %d", doc.status)
	}
	for _, want := range []string{`data-doc="` + string(w.dShared) + `"`,
		`data-events="/p/` + string(w.alpha) + `/events"`, alphaDocBody, alphaDocCmt,
		`action="/d/` + string(w.dShared) + `/comments"`} {
		if !strings.Contains(doc.body, want) {
			t.Errorf("doc page lacks %q", want)
		}
	}
	assertAbsent(t, "doc page", doc.body, concat(secrets, betaMarkers))

	rendered := b.get("/d/" + string(evil))
	if !strings.Contains(rendered.body, "<strong>bold</strong>") {
		t.Error("the doc's markdown is not rendered")
	}
	assertAbsent(t, "rendered doc", rendered.body, []string{"<script>alert", "javascript:", "onerror"})
}

// TestHiddenDocAnswersLikeMissing checks that a hidden doc's page, a doc of another
// project and an unknown ID give the very same answer.
func TestHiddenDocAnswersLikeMissing(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	missing := b.get("/d/" + string(domain.NewID()))
	if missing.status != http.StatusNotFound {
		t.Fatalf("unknown doc: status %d", missing.status)
	}
	for _, id := range []domain.ID{w.dHidden, w.dBeta, w.tShared} {
		res := b.get("/d/" + string(id))
		if res.status != missing.status || res.body != missing.body {
			t.Errorf("GET /d/%s: status %d, and the body differs from a missing doc's", id, res.status)
		}
	}
}

func TestDocCommentPosting(t *testing.T) {
	w := newWorld(t, service.Config{})
	b := w.browser(t, w.memberSession)
	path := "/d/" + string(w.dShared) + "/comments"

	res := b.postForm(path, url.Values{"body": {"Looks right to us, *thanks*."}})
	back := "/d/" + string(w.dShared) + "#comments"
	if res.status != http.StatusSeeOther || res.header.Get("Location") != back {
		t.Fatalf("comment: status %d, Location %q", res.status, res.header.Get("Location"))
	}
	comments := w.docComments(t, w.dShared)
	last := comments[len(comments)-1]
	if last.Author != (domain.Actor{Kind: domain.ActorClient, ID: w.member}) || last.TaskID != "" ||
		last.DocID != w.dShared || last.Internal {
		t.Errorf("stored comment = %+v", last)
	}
	page := b.get("/d/" + string(w.dShared))
	if !strings.Contains(page.body, "<em>thanks</em>") || !strings.Contains(page.body, "You") {
		t.Error("the doc page does not show the client's comment as theirs")
	}

	before := w.lastSeq(t)
	refused := b.postForm(path, url.Values{"body": {"   "}})
	if refused.status != http.StatusBadRequest || !strings.Contains(refused.body, `role="alert"`) {
		t.Errorf("empty comment: status %d", refused.status)
	}
	hidden := b.postForm("/d/"+string(w.dHidden)+"/comments", url.Values{"body": {"hello?"}})
	if hidden.status != http.StatusNotFound {
		t.Errorf("comment on a hidden doc: status %d", hidden.status)
	}
	if after := w.lastSeq(t); after != before {
		t.Errorf("refused comments wrote %d activity entries", after-before)
	}
}

// TestDocEventsFiltered checks that a client's stream carries the shared doc's changes and
// its public comments, and nothing of a hidden doc or an internal comment.
func TestDocEventsFiltered(t *testing.T) {
	w := newWorld(t, service.Config{})
	s := openStream(t, w.browser(t, w.memberSession), w.alpha)

	body := "SECRET-DOC-LIVE"
	if _, err := w.svc.UpdateDoc(w.ownerID, w.dHidden, service.DocInput{Body: &body}); err != nil {
		t.Fatal(err)
	}
	hiddenComment := w.docComment(t, w.dHidden, "SECRET-DOC-LIVE-COMMENT", false)
	internal := w.docComment(t, w.dShared, "SECRET-DOC-LIVE-INTERNAL", true)
	newHidden := w.doc(t, w.alpha, "SECRET-NEW-DOC", "x", false)
	later := w.doc(t, w.alpha, "Shared for a moment", "x", true)
	if _, err := w.svc.UpdateDoc(w.ownerID, later, service.DocInput{Shared: new(false)}); err != nil {
		t.Fatal(err)
	}
	w.doc(t, w.beta, "BETA-DOC-LIVE", "x", true)

	shared := "Updated brief"
	if _, err := w.svc.UpdateDoc(w.ownerID, w.dShared, service.DocInput{Body: &shared}); err != nil {
		t.Fatal(err)
	}
	seen := s.until(t, func(ev clientEvent) bool {
		return ev.Action == domain.ActionDocUpdated && ev.DocID == w.dShared
	})
	mine, err := w.svc.ClientDocComment(w.member, w.dShared, "client comment")
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, s.until(t, func(ev clientEvent) bool { return ev.ObjectID == mine.ID })...)

	for _, ev := range seen {
		switch {
		case ev.DocID == w.dHidden, ev.DocID == newHidden, ev.ObjectID == hiddenComment,
			ev.ObjectID == internal:
			t.Errorf("stream sent a hidden doc's event: %+v", ev)
		case ev.DocID == later && ev.Action != domain.ActionDocCreated && ev.Action != actionGone:
			// Created while shared, then unshared: the page is told it is gone, no more.
			t.Errorf("stream sent an event of a doc no longer shared: %+v", ev)
		case ev.DocID != "" && ev.DocID != w.dShared && ev.DocID != later:
			t.Errorf("stream sent another doc's event: %+v", ev)
		}
	}
	for _, line := range s.stop() {
		assertAbsent(t, "event stream", line, concat(secrets, betaMarkers,
			[]string{"SECRET-DOC-LIVE", "SECRET-NEW-DOC", "BETA-DOC-LIVE", "Updated brief"}))
	}
}

// docComments returns a doc's comments, internal ones included (tests only).
func (f *fixture) docComments(t testing.TB, docID domain.ID) []domain.Comment {
	t.Helper()
	var out []domain.Comment
	err := f.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.DocComments(docID)
		return err
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("doc comments: %v, %d", err, len(out))
	}
	return out
}
