package staffapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"portico/internal/domain"
	"portico/internal/store"
)

// versionSummary is a doc version in a list: everything but the body, with its size.
type versionSummary struct {
	DocID        domain.ID    `json:"doc_id"`
	N            int          `json:"n"`
	Title        string       `json:"title"`
	Size         int          `json:"size"`
	Author       domain.Actor `json:"author"`
	Created      time.Time    `json:"created"`
	RestoredFrom int          `json:"restored_from,omitempty"`
}

// listDocVersions lists a doc's versions, newest first, without their bodies.
func (a *api) listDocVersions(w http.ResponseWriter, r *http.Request, me caller) {
	var out []versionSummary
	err := a.readDoc(r, me, func(tx *store.Tx, d domain.Doc) error {
		versions, err := tx.DocVersions(d.ID)
		for _, v := range versions {
			out = append(out, versionSummary{DocID: v.DocID, N: v.N, Title: v.Title,
				Size: len(v.Body), Author: v.Author, Created: v.Created, RestoredFrom: v.RestoredFrom})
		}
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	slices.Reverse(out)
	writeJSON(w, http.StatusOK, list(out))
}

// getDocVersion answers one version of a doc, body included.
func (a *api) getDocVersion(w http.ResponseWriter, r *http.Request, me caller) {
	n, err := versionNumber(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	var out domain.DocVersion
	err = a.readDoc(r, me, func(tx *store.Tx, d domain.Doc) error {
		out, err = tx.DocVersion(d.ID, n)
		return err
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// restoreDocVersion makes an old version the doc's content again, as a new version; one
// with the content the doc has already changes nothing and answers the doc as it is.
func (a *api) restoreDocVersion(w http.ResponseWriter, r *http.Request, me caller) {
	id, err := pathID(r, "id")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	n, err := versionNumber(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	d, err := a.svc.RestoreDocVersion(me.ID, id, n)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// versionNumber reads the {n} path segment; anything but a positive whole number is a
// version that does not exist.
func versionNumber(r *http.Request) (int, error) {
	s := r.PathValue("n")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		return 0, fmt.Errorf("version %q: %w", s, domain.ErrNotFound)
	}
	return n, nil
}
