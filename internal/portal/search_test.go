package portal

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/domain"
	"portico/internal/search"
	"portico/internal/service"
)

// searchWorld is the access-test world with a search index (real bleve in the world's
// folder) and a second portal that searches it.
type searchWorld struct {
	*world
	ix     *search.Index
	portal *fixture // w's fixture, but served by the searching portal
}

// newSearchWorld builds the world and its index; with run false the fresh index is never
// built, so searches find it being rebuilt.
func newSearchWorld(t *testing.T, run bool) *searchWorld {
	t.Helper()
	w := newWorld(t, service.Config{AgencyName: "Acme Studio"})
	ix, err := search.Open(filepath.Join(w.dir, "index"), w.store, w.hub,
		search.Options{BatchDelay: 5 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if run {
			ix.Run(ctx)
		}
	}()

	served := *w.fixture
	served.srv = httptest.NewTLSServer(New(Options{Service: w.svc, Hub: w.hub, Search: ix}))
	t.Cleanup(func() {
		served.srv.Close()
		cancel()
		<-done
		if err := ix.Close(); err != nil {
			t.Errorf("close index: %v", err)
		}
	})
	sw := &searchWorld{world: w, ix: ix, portal: &served}
	if run {
		sw.waitIndexed(t)
	}
	return sw
}

// waitIndexed waits until the index has applied every committed change.
func (w *searchWorld) waitIndexed(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ready, lag := w.ix.Status()
		if ready && lag == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index did not catch up within 30 s (ready %v, lag %d)", ready, lag)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (w *searchWorld) search(t *testing.T, session, q string) *response {
	t.Helper()
	return w.portal.browser(t, session).get("/search?q=" + url.QueryEscape(q))
}

// lastPart is the end of a marker ("7f3" of "SECRET-TASK-7f3"), a word that only that
// record holds: searching it cannot put the whole marker into the page by echoing it.
func lastPart(marker string) string {
	marker = strings.TrimSuffix(marker, ".txt")
	return marker[strings.LastIndexByte(marker, '-')+1:]
}

func TestPortalSearchFindsWhatTheClientSees(t *testing.T) {
	w := newSearchWorld(t, true)
	tests := []struct {
		name    string
		session string
		q       string
		count   string
		links   []string
		shows   []string
	}{
		{"a member finds Alpha's shared records", w.memberSession, "ALPHA", "7",
			[]string{"/t/" + string(w.tShared), "/t/" + string(w.tAgency), "/f/" + string(w.fShared),
				"/d/" + string(w.dShared), "/ff/" + string(w.ffShared)},
			[]string{alphaTask, alphaAgency, alphaComment, alphaFile, alphaProject, alphaDoc,
				alphaDocCmt, alphaFolder}},
		{"a doc comment links to its doc", w.memberSession, lastPart(alphaDocCmt), "1",
			[]string{"/d/" + string(w.dShared)}, []string{alphaDocCmt}},
		{"a comment links to its task", w.memberSession, lastPart(alphaComment), "1",
			[]string{"/t/" + string(w.tShared)}, []string{alphaComment}},
		{"a member of Beta only finds Beta", w.otherSession, "BETA", "4",
			[]string{"/t/" + string(w.tBeta), "/f/" + string(w.fBeta), "/d/" + string(w.dBeta),
				"/ff/" + string(w.ffBeta)}, []string{betaTask, betaFile, betaDoc, betaFolder}},
		{"a member of Beta finds nothing of Alpha", w.otherSession, "ALPHA", "", nil, nil},
		{"a removed client finds nothing", w.goneSession, "ALPHA", "", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := w.search(t, tc.session, tc.q)
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			noSecrets(t, res.body)
			if tc.count == "" {
				if !strings.Contains(res.body, "Nothing found") {
					t.Errorf("results shown:\n%s", res.body)
				}
				return
			}
			want := fmt.Sprintf(">%s results for", tc.count)
			if tc.count == "1" {
				want = ">1 result for"
			}
			if !strings.Contains(res.body, want) {
				t.Errorf("the page does not say %q:\n%s", want, res.body)
			}
			plain := unmarked(res.body)
			for _, s := range append(tc.links, tc.shows...) {
				if !strings.Contains(plain, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			if !strings.Contains(res.body, "<mark>") {
				t.Error("no match is marked")
			}
		})
	}
}

// TestPortalSearchNeverLeaks searches every hidden record's own word, and text that
// looks like query syntax, as each client: nothing hidden is found, counted or shown.
func TestPortalSearchNeverLeaks(t *testing.T) {
	w := newSearchWorld(t, true)
	hidden := []string{secretTask, secretMSTask, secretInternal, secretFile, secretMSFile,
		secretHiddenCmt}
	var queries []string
	for _, m := range hidden {
		queries = append(queries, lastPart(m))
	}
	queries = append(queries, "SECRET", "secret hidden", "C++", `"unterminated`, "(", "/",
		"follow-up", "project_id:7", "+shared:false", "shared:false", "internal:true",
		"ALPHA +shared:false", "*", "ALPHA*", "", " ", "SECRET OR ALPHA", "kind:comment")

	for _, q := range queries[:len(hidden)] {
		staff, err := w.ix.Staff(context.Background(), w.ownerID, search.Query{Text: q})
		if err != nil || staff.Total == 0 {
			t.Fatalf("staff do not find %q (%v): the leak test would prove nothing", q, err)
		}
	}

	for _, session := range []string{w.memberSession, w.otherSession, w.goneSession} {
		for _, q := range queries {
			res := w.search(t, session, q)
			if res.status != http.StatusOK {
				t.Errorf("%q: status %d", q, res.status)
				continue
			}
			noSecrets(t, res.body)
			if strings.HasPrefix(q, "SECRET") || q == "secret hidden" || contains(queries[:len(hidden)], q) {
				if !strings.Contains(res.body, "Nothing found") {
					t.Errorf("%q found something:\n%s", q, res.body)
				}
			}
		}
	}
}

func TestPortalSearchPage(t *testing.T) {
	w := newSearchWorld(t, true)
	alert := `<script>alert(1)</script> zebra`
	w.task(t, w.alpha, w.msShared, alert, true, domain.Actor{})
	for i := range 105 {
		w.task(t, w.alpha, "", fmt.Sprintf("Bulk item %d", i), true, domain.Actor{})
	}
	w.waitIndexed(t)

	t.Run("signed out", func(t *testing.T) {
		res := w.portal.browser(t, "").get("/search?q=ALPHA")
		location := res.header.Get("Location")
		if res.status != http.StatusSeeOther || !strings.HasPrefix(location, "/signin") {
			t.Errorf("status %d, location %q", res.status, location)
		}
		noSecrets(t, res.body)
	})

	t.Run("headers and the search box", func(t *testing.T) {
		res := w.search(t, w.memberSession, "zebra")
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
			"Referrer-Policy", "Cache-Control"} {
			if res.header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
		if !strings.Contains(res.body, `name="q" value="zebra"`) {
			t.Error("the header's search box does not show the query")
		}
	})

	t.Run("titles are escaped, matches marked", func(t *testing.T) {
		res := w.search(t, w.memberSession, "zebra")
		if strings.Contains(res.body, "<script>alert") {
			t.Fatal("a task title reached the page as markup")
		}
		if !strings.Contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zebra</mark>") {
			t.Errorf("the title is not escaped and marked:\n%s", res.body)
		}
	})

	t.Run("past the count's cap", func(t *testing.T) {
		res := w.search(t, w.memberSession, "bulk")
		text := html.UnescapeString(res.body)
		if !strings.Contains(text, ">100+ results for") || !strings.Contains(res.body, "page=2") {
			t.Fatalf("no 100+ and no next page:\n%s", res.body)
		}
		next := w.portal.browser(t, w.memberSession).get("/search?q=bulk&page=6")
		if next.status != http.StatusOK || !strings.Contains(unmarked(next.body), "Bulk item 104") ||
			!strings.Contains(next.body, "Previous results") {
			t.Errorf("page 6: status %d\n%s", next.status, next.body)
		}
	})

	t.Run("empty and odd page numbers", func(t *testing.T) {
		for _, path := range []string{"/search", "/search?q=", "/search?q=bulk&page=-3",
			"/search?q=bulk&page=x", "/search?q=bulk&page=99999999999999999999"} {
			res := w.portal.browser(t, w.memberSession).get(path)
			if res.status != http.StatusOK {
				t.Errorf("%s: status %d", path, res.status)
			}
			noSecrets(t, res.body)
		}
	})
}

// TestSearchPageGolden compares a client's search page with testdata/search.html, IDs
// replaced by placeholders. Run with -update after an intended change of the template.
func TestSearchPageGolden(t *testing.T) {
	w := newSearchWorld(t, true)
	got := idPattern.ReplaceAllString(w.search(t, w.memberSession, "ALPHA").body, "ID")
	got = timePattern.ReplaceAllString(got, "TIME")
	path := filepath.Join("testdata", "search.html")
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
}

func TestPortalSearchWhileRebuilding(t *testing.T) {
	w := newSearchWorld(t, false)
	res := w.search(t, w.memberSession, "ALPHA")
	if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "brought up to date") {
		t.Fatalf("status %d:\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, alphaTask) {
		t.Error("a rebuilding index answered with results")
	}
	noSecrets(t, res.body)
}

// noSecrets fails when body shows a hidden record's marker, marked up or not.
func noSecrets(t *testing.T, body string) {
	t.Helper()
	body = unmarked(body)
	for _, s := range secrets {
		if strings.Contains(body, s) {
			t.Errorf("the page shows %q", s)
		}
	}
}

// unmarked is body without the <mark> tags of search matches.
func unmarked(body string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(body)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestPortalSearchLongQuery sends long searches over HTTP/1.1 and HTTP/2: text past what
// is searched is cut and the page says so; a query string no search box makes is refused
// with 414 whether or not the session cookie came along (curl before 8.2 leaves it out
// past about 8 KB), never sent to sign in.
func TestPortalSearchLongQuery(t *testing.T) {
	w := newSearchWorld(t, true)
	h2 := httptest.NewUnstartedServer(New(Options{Service: w.svc, Hub: w.hub, Search: w.ix}))
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h2.Close)
	over2 := *w.portal
	over2.srv = h2

	for _, tc := range []struct {
		proto  int
		portal *fixture
	}{{1, w.portal}, {2, &over2}} {
		t.Run(fmt.Sprintf("HTTP%d", tc.proto), func(t *testing.T) {
			get := func(session, q string) *response {
				b := tc.portal.browser(t, session)
				req := b.request(http.MethodGet, "/search?q="+url.QueryEscape(q), nil, nil)
				res, err := b.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				if res.ProtoMajor != tc.proto {
					t.Fatalf("answered over %s", res.Proto)
				}
				return b.sendResult(res)
			}

			res := get(w.memberSession, strings.Repeat("ALPHA ", 100))
			if res.status != http.StatusOK ||
				!strings.Contains(res.body, "only its first 509 characters") ||
				!strings.Contains(unmarked(res.body), alphaTask) {
				t.Errorf("600 bytes: status %d\n%s", res.status, res.body)
			}

			res = get(w.memberSession, strings.Repeat("文", 300))
			if res.status != http.StatusOK ||
				!strings.Contains(res.body, "only its first 170 characters") ||
				!strings.Contains(res.body, `value="`+strings.Repeat("文", 170)+`"`) {
				t.Errorf("300 CJK characters: status %d\n%s", res.status, res.body)
			}

			long := strings.Repeat("ALPHA ", 1500)
			for _, session := range []string{w.memberSession, ""} {
				res := get(session, long)
				if res.status != http.StatusRequestURITooLong || res.header.Get("Location") != "" ||
					!strings.Contains(res.body, "Search too long") {
					t.Errorf("9 KB, session %t: status %d, location %q\n%s", session != "",
						res.status, res.header.Get("Location"), res.body)
				}
				noSecrets(t, res.body)
				if strings.Contains(res.body, alphaTask) {
					t.Error("a refused search shows results")
				}
			}
		})
	}
}
