package staffapi

import (
	"errors"
	"net/http"
	"strconv"

	"portico/internal/domain"
	"portico/internal/search"
)

// searchStaff answers GET /api/v1/search: the records the caller may work in whose text
// matches q, a page at a time, with the matched words marked in each title and snippet.
// While the index is being rebuilt it answers 503, never a partial result.
func (a *api) searchStaff(w http.ResponseWriter, r *http.Request, me caller) {
	if a.search == nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "search is not available"})
		return
	}

	q, err := searchQuery(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}

	res, err := a.search.Staff(r.Context(), me.ID, q)
	switch {
	case errors.Is(err, search.ErrRebuilding):
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusServiceUnavailable,
			errorBody{Error: "the search index is being rebuilt; try again in a moment"})
		return
	case errors.Is(err, search.ErrClosed):
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "search is not available"})
		return
	case err != nil:
		a.writeError(w, r, err)
		return
	}

	writeJSON(w, http.StatusOK, res)
}

// searchQuery reads the search parameters. The text is taken as it is: the index reads
// it as plain words, whatever characters it holds. The index checks the kind itself, so
// kinds it learns (project docs) need no change here.
func searchQuery(r *http.Request) (search.Query, error) {
	params := r.URL.Query()
	q := search.Query{Text: params.Get("q"), Kind: search.Kind(params.Get("kind"))}
	if s := params.Get("project"); s != "" {
		q.ProjectID = domain.ID(s)
		if !q.ProjectID.Valid() {
			return q, badRequest("project", "project must be a project's ID")
		}
	}

	var err error
	if q.Limit, err = intParam(params.Get("limit"), 1, search.MaxLimit, "limit"); err != nil {
		return q, err
	}

	q.Offset, err = intParam(params.Get("offset"), 0, search.MaxOffset, "offset")
	return q, err
}

// intParam reads an optional whole-number parameter within [low, high]; absent is 0.
func intParam(s string, low, high int, name string) (int, error) {
	if s == "" {
		return 0, nil
	}

	n, err := strconv.Atoi(s)
	if err != nil || n < low || n > high {
		return 0, badRequest(name, "%s must be a whole number from %d to %d", name, low, high)
	}

	return n, nil
}
