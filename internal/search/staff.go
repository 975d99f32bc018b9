package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/search/query"

	"portico/internal/domain"
	"portico/internal/service"
	"portico/internal/store"
)

// Staff searches everything a staff member may work in: projects of shared workspaces
// and of their own personal workspace (service.StaffProject), archived ones included,
// internal comments included. Hits are re-checked through the staff rights like client
// hits through the access policy. A disabled or unknown staff member finds nothing.
func (ix *Index) Staff(ctx context.Context, staffID domain.ID, q Query) (Results, error) {
	q, err := q.normalized()
	if err != nil {
		return Results{}, err
	}

	text := ix.parseText(q.Text)
	if text.empty() {
		return noResults(), nil
	}

	var projects []string
	var everyProject bool
	err = ix.store.View(func(tx *store.Tx) error {
		var err error
		projects, everyProject, err = staffProjects(tx, staffID, q.ProjectID)
		return err
	})
	if err != nil {
		return Results{}, err
	}

	if len(projects) == 0 {
		if err := ix.available(); err != nil {
			return Results{}, err
		}
		return noResults(), nil
	}

	// The project filter is left out when it would admit every project: the re-check
	// applies the staff rights to each hit anyway.
	parts := []query.Query{text.query()}
	if !everyProject {
		parts = append(parts, anyOf(fieldProjectID, projects))
	}

	if q.Kind != "" {
		parts = append(parts, term(fieldKind, string(q.Kind)))
	}

	bq := query.NewConjunctionQuery(parts)
	check := ruleChecker(q, staffID, false)
	return ix.collect(ctx, bq, q, text, check)
}

// staffProjects returns the IDs of the projects the staff member may work in, or only
// the one asked for when they may; every is true when that is every project there is.
func staffProjects(tx *store.Tx, staffID, only domain.ID) (ids []string, every bool, err error) {
	if only != "" {
		if _, err := service.StaffProject(tx, staffID, only); err != nil {
			return nil, false, nil
		}
		return []string{string(only)}, false, nil
	}

	st, err := tx.Staff(staffID)
	if err != nil || st.Disabled {
		return nil, false, nil
	}

	workspaces, err := tx.Workspaces()
	if err != nil {
		return nil, false, err
	}

	usable := map[domain.ID]bool{}
	for _, ws := range workspaces {
		usable[ws.ID] = service.CanUseWorkspace(st, ws)
	}

	all, err := tx.Projects()
	if err != nil {
		return nil, false, err
	}

	for _, p := range all {
		if usable[p.WorkspaceID] {
			ids = append(ids, string(p.ID))
		}
	}

	return ids, len(ids) == len(all), nil
}
