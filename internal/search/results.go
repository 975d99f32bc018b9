package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/domain"
	"portico/internal/store"
)

// Paging and counting limits.
const (
	// DefaultLimit is the page size when Query.Limit is 0; MaxLimit the largest allowed.
	DefaultLimit = 20
	MaxLimit     = 50
	// MaxOffset is the deepest page start; deeper offsets are cut to it.
	MaxOffset = 500
	// CountCap is how many hits a search counts exactly. Every counted hit has been
	// re-checked against the access rules, so counts never include what the reader may
	// not see; past the cap, Results.More says there are more ("100+").
	CountCap = 100
	// maxScanned bounds the index hits read and re-checked for one search.
	maxScanned = 2000
)

// Query is one search.
type Query struct {
	// Text is what the user typed, taken literally.
	Text string
	// ProjectID restricts the search to one project; "" searches all the reader's.
	ProjectID domain.ID
	// Kind restricts the search to one kind; "" searches all.
	Kind Kind
	// Limit is the page size, 1 to MaxLimit; 0 means DefaultLimit.
	Limit int
	// Offset is how many hits to skip, 0 to MaxOffset.
	Offset int
}

func (q Query) normalized() (Query, error) {
	if q.Kind != "" {
		if _, ok := kinds[q.Kind]; !ok {
			return q, domain.Invalid("kind", "must be one of task, comment, file, doc or folder_file")
		}
	}

	if q.ProjectID != "" && !q.ProjectID.Valid() {
		return q, domain.Invalid("project_id", "is not a valid ID")
	}

	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}

	q.Offset = max(0, min(q.Offset, MaxOffset))
	return q, nil
}

// Results is one page of hits with the counts of the whole search.
type Results struct {
	Hits []Hit `json:"hits"`
	// Total counts the hits the reader may see, exactly up to CountCap, or up to
	// Offset+Limit when the page lies deeper.
	Total int `json:"total"`
	// More is true when there are hits beyond Total: show "Total+".
	More bool `json:"more"`
	// Counts splits Total by kind.
	Counts map[Kind]int `json:"counts"`
}

func noResults() Results { return Results{Hits: []Hit{}, Counts: map[Kind]int{}} }

// Hit is one record found. The caller links to it by kind and IDs: a task, comment or
// file to its task (TaskID), a doc or a comment on a doc to the doc (DocID), a folder
// file to itself (ID) in the project's folder. Title and Snippet
// are plain text with the matched words marked, safe to render through Snippet.HTML or
// Parts.
type Hit struct {
	Kind      Kind      `json:"kind"`
	ID        domain.ID `json:"id"`
	ProjectID domain.ID `json:"project_id"`
	// TaskID is the task itself, or the task a comment or file belongs to.
	TaskID domain.ID `json:"task_id,omitempty"`
	// DocID is the doc itself, or the doc a comment is on.
	DocID domain.ID `json:"doc_id,omitempty"`
	// Title is the task's or doc's title (a comment's task or doc), the file's name, or
	// the folder file's path in the folder.
	Title Snippet `json:"title"`
	// Snippet is a passage of the task description, doc or comment around the first
	// match.
	Snippet Snippet `json:"snippet"`
}

// checker re-reads a hit through the reader's rules; ok is false when the reader may not
// see it (or it is gone).
type checker func(tx *store.Tx, kind Kind, id domain.ID) (rec record, ok bool, err error)

// ruleChecker checks hits with the reader's rules (kindRules.client for a client,
// kindRules.staff for staff) and the query's own restrictions.
func ruleChecker(q Query, reader domain.ID, client bool) checker {
	return func(tx *store.Tx, kind Kind, id domain.ID) (record, bool, error) {
		rules, known := kinds[kind]
		if !known || (q.Kind != "" && kind != q.Kind) {
			return record{}, false, nil
		}
		read := rules.staff
		if client {
			read = rules.client
		}
		rec, err := read(tx, reader, id)
		if errors.Is(err, domain.ErrNotFound) {
			return record{}, false, nil
		}
		if err != nil {
			return record{}, false, err
		}
		if q.ProjectID != "" && rec.projectID != q.ProjectID {
			return record{}, false, nil
		}
		return rec, true, nil
	}
}

// collect runs bq and re-checks its hits in order of relevance, keeping the page asked
// for and counting the rest up to the cap.
func (ix *Index) collect(ctx context.Context, bq query.Query, q Query, text textQuery,
	check checker) (Results, error) {
	idx, release, err := ix.reader()
	if err != nil {
		return Results{}, err
	}
	defer release()

	need := max(CountCap, q.Offset+q.Limit)
	c := counter{q: q, need: need, seen: map[string]bool{}, res: Results{Counts: map[Kind]int{}}}
	for from := 0; !c.done && from < maxScanned; from += need + 1 {
		req := bleve.NewSearchRequestOptions(bq, need+1, from, false)
		req.SortBy([]string{"-_score", "_id"})
		found, err := ix.search(ctx, idx, req)
		if err != nil {
			return Results{}, fmt.Errorf("search: %w", err)
		}
		err = ix.store.View(func(tx *store.Tx) error { return c.add(tx, found.Hits, check) })
		if err != nil {
			return Results{}, fmt.Errorf("search: %w", err)
		}
		if len(found.Hits) < need+1 {
			break
		}
		if from+need+1 >= maxScanned {
			c.res.More = true
		}
	}
	recs := c.page
	c.res.Hits = make([]Hit, len(recs))
	for i, rec := range recs {
		c.res.Hits[i] = ix.hit(rec, text)
	}
	return c.res, nil
}

// counter accumulates re-checked hits across index pages.
type counter struct {
	q    Query
	need int
	seen map[string]bool
	res  Results
	page []record
	done bool
}

func (c *counter) add(tx *store.Tx, hits []*bsearch.DocumentMatch, check checker) error {
	for _, h := range hits {
		if c.seen[h.ID] {
			continue
		}
		c.seen[h.ID] = true
		kind, id, err := parseDocID(h.ID)
		if err != nil {
			continue
		}
		rec, ok, err := check(tx, kind, id)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if c.res.Total == c.need {
			c.res.More, c.done = true, true
			return nil
		}
		c.res.Total++
		c.res.Counts[rec.kind]++
		if c.res.Total > c.q.Offset && len(c.page) < c.q.Limit {
			c.page = append(c.page, rec)
		}
	}

	return nil
}

// search runs one bleve search, turning a panic inside bleve into an error.
func (ix *Index) search(ctx context.Context, idx bleve.Index, req *bleve.SearchRequest) (
	res *bleve.SearchResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, ix.damaged(r)
		}
	}()
	return idx.SearchInContext(ctx, req)
}
