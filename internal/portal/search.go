package portal

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/search"
	"portico/internal/store"
)

// searchPageSize is how many results one search page lists.
const searchPageSize = 20

// maxSearchQuery bounds the raw query string: the header's search box takes 512
// characters, at most 4,608 bytes percent-encoded, so a longer one never came from it. It
// stays well under 8 KB on purpose: some clients leave the session cookie out of a request
// whose headers would pass about 8 KB (curl before 8.2 counts the address in that budget),
// and such a search must meet a page saying it is too long, not a sign-in page. Text
// within it but past search.MaxQueryBytes is cut by search.CutQuery, and the page says so.
const maxSearchQuery = 6 << 10

// searchPage lists what a client found. Titles and snippets are escaped text with the
// matched words in <mark>, made by search.Snippet.HTML.
type searchPage struct {
	Query string
	// Shortened is how many characters of a longer query were kept; 0 when none was cut.
	Shortened int
	// Rebuilding says the index is being rebuilt, so there are no results to show yet.
	Rebuilding bool
	Hits       []searchHit
	// Count is the number of results found, "100+" past the count's cap.
	Count string
	// Prev and Next are the addresses of the neighbouring pages; "" when there is none.
	Prev, Next string
}

// searchHit is one result as the page shows it.
type searchHit struct {
	Kind    string
	URL     string
	Title   template.HTML
	Snippet template.HTML
	Project string
}

// searchResults answers GET /search?q=: what the client may see right now whose text
// matches q. The search is the client's own (search.Index.Client), so what the access
// policy hides is neither listed nor counted.
func (p *Portal) searchResults(w http.ResponseWriter, r *http.Request, c client) {
	page := searchPage{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len(page.Query) > search.MaxQueryBytes {
		page.Query = search.CutQuery(page.Query)
		page.Shortened = utf8.RuneCountInString(page.Query)
	}
	v := view{Title: "Search", SignedIn: true, Search: page.Query}
	if p.search == nil {
		p.notFound(w, r)
		return
	}

	if page.Query == "" {
		v.Data = page
		p.render(w, http.StatusOK, "search", v)
		return
	}

	n := pageNumber(r.URL.Query().Get("page"))
	q := search.Query{Text: page.Query, Limit: searchPageSize, Offset: (n - 1) * searchPageSize}
	res, err := p.search.Client(r.Context(), c.ID, q)
	if errors.Is(err, search.ErrRebuilding) || errors.Is(err, search.ErrClosed) {
		page.Rebuilding = true
		v.Data = page
		w.Header().Set("Retry-After", "30")
		p.render(w, http.StatusServiceUnavailable, "search", v)
		return
	}

	if err == nil {
		err = p.fillSearchPage(&page, c.ID, res, n)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}

	v.Title = "Search: " + page.Query
	v.Data = page
	p.render(w, http.StatusOK, "search", v)
}

// fillSearchPage turns one page of results into what the template shows.
func (p *Portal) fillSearchPage(page *searchPage, clientID domain.ID, res search.Results,
	n int) error {
	projects := map[domain.ID]string{}
	err := p.svc.Store().View(func(tx *store.Tx) error {
		visible, err := access.Projects(tx, clientID)
		for _, pr := range visible {
			projects[pr.ID] = pr.Name
		}
		return err
	})
	if err != nil {
		return err
	}

	page.Count = strconv.Itoa(res.Total)
	if res.More {
		page.Count += "+"
	}

	for _, h := range res.Hits {
		page.Hits = append(page.Hits, p.searchHit(h, projects[h.ProjectID]))
	}

	if n > 1 {
		page.Prev = searchURL(page.Query, n-1)
	}
	shown := (n-1)*searchPageSize + len(res.Hits)
	if (res.More || res.Total > shown) && n*searchPageSize <= search.MaxOffset {
		page.Next = searchURL(page.Query, n+1)
	}

	return nil
}

func (p *Portal) searchHit(h search.Hit, project string) searchHit {
	out := searchHit{Kind: "Result", Title: h.Title.HTML(), Snippet: h.Snippet.HTML(),
		Project: project, URL: portalSite.TaskURL(h.TaskID)}
	switch h.Kind {
	case search.KindTask:
		out.Kind = "Task"
	case search.KindComment:
		out.Kind = "Comment"
		if h.DocID != "" {
			out.URL = portalSite.DocURL(h.DocID)
		}
	case search.KindFile:
		out.Kind = "File"
		out.URL = portalSite.FileURL(h.ID)
	case search.KindDoc:
		out.Kind = "Doc"
		out.URL = portalSite.DocURL(h.ID)
	case search.KindFolderFile:
		out.Kind = "File"
		out.URL = portalSite.FolderFileURL(h.ID)
	}

	return out
}

// shortQuery answers a search whose query string is longer than maxSearchQuery with 414
// and a page that says why, before the session is looked at: the answer is the same for
// everyone and tells nothing about what anyone may see.
func (p *Portal) shortQuery(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > maxSearchQuery {
			p.problem(w, http.StatusRequestURITooLong, "Search too long",
				"This search is far longer than the search box takes. Shorten it and try again.")
			return
		}

		next(w, r)
	}
}

// pageNumber reads ?page=, 1 when absent or not a page number.
func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}

	return min(n, search.MaxOffset/searchPageSize+1)
}

func searchURL(q string, page int) string {
	v := url.Values{"q": {q}}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}

	return "/search?" + v.Encode()
}
