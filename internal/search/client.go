package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// Client searches what a client may see right now. The index is narrowed by a visibility
// filter built from the access policy (the projects access.Projects allows now, and the
// policy's rule for each kind applied to the facts indexed with each document), conjoined
// with the user's text but never built from it. Every hit is then re-read through
// access.Task, access.Comment, access.File, access.Doc or access.FolderFile before it is
// counted or returned, so facts the index has not caught up with never show a hidden
// record. An empty or unsearchable text returns no hits and no error.
func (ix *Index) Client(ctx context.Context, clientID domain.ID, q Query) (Results, error) {
	q, err := q.normalized()
	if err != nil {
		return Results{}, err
	}

	text := ix.parseText(q.Text)
	if text.empty() {
		return noResults(), nil
	}

	bq, err := ix.clientQuery(clientID, q, text)
	if err != nil {
		return Results{}, err
	}

	if bq == nil {
		if err := ix.available(); err != nil {
			return Results{}, err
		}
		return noResults(), nil
	}

	check := ruleChecker(q, clientID, true)
	return ix.collect(ctx, bq, q, text, check)
}

// clientQuery is the index query of a client search: the text conjoined with the
// visibility filter. It is nil when the client may see no project at all.
func (ix *Index) clientQuery(clientID domain.ID, q Query, text textQuery) (query.Query, error) {
	var projects []string
	err := ix.store.View(func(tx *store.Tx) error {
		visible, err := access.Projects(tx, clientID)
		for _, p := range visible {
			if q.ProjectID == "" || p.ID == q.ProjectID {
				projects = append(projects, string(p.ID))
			}
		}
		return err
	})
	if err != nil || len(projects) == 0 {
		return nil, err
	}

	return query.NewConjunctionQuery([]query.Query{text.query(), clientFilter(projects, q.Kind)}), nil
}

// clientFilter is the visibility conjunction for a client: documents whose facts pass
// the policy's rule for their kind, in one of the projects the policy lets the client
// see now (fieldPortalProject holds both), of the kind asked for if any.
func clientFilter(projectIDs []string, only Kind) query.Query {
	parts := []query.Query{anyOf(fieldPortalProject, projectIDs)}
	if only != "" {
		parts = append(parts, term(fieldKind, string(only)))
	}

	return query.NewConjunctionQuery(parts)
}
