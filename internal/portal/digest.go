package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"portico/internal/access"
	"portico/internal/domain"
	"portico/internal/store"
)

// A live page carries the digest of what it was rendered from (data-digest), and its
// event stream compares it, once open, with the digest of the same page now: a change made
// between the page's render and the stream's start has no event left to tell the page, so
// a difference sends one "refresh" event instead. The digest covers the page's own data,
// which holds only what the client sees, so it says nothing about anything hidden.

// actionRefresh is the event that tells a page it is out of date as a whole.
const actionRefresh domain.Action = "refresh"

// liveDigest returns the digest of a page's data, or "" if it cannot be taken. It runs on
// every render of a live page, so the JSON goes straight into the hash, unescaped: a
// project page's task lists are long HTML strings.
func liveDigest(data any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// currentDigest returns the digest the stream's page would have if rendered now: the
// project page, or the task or doc page it names. It is "" when that page would not be
// shown (hidden or gone), which never equals a page's digest.
func (p *Portal) currentDigest(c client, projectID, taskID, docID domain.ID) string {
	switch {
	case taskID != "":
		page, err := p.loadTask(c.ID, taskID)
		if err != nil {
			return ""
		}
		return liveDigest(page)
	case docID != "":
		page, err := p.loadDoc(c.ID, docID)
		if err != nil {
			return ""
		}
		return liveDigest(page)
	}

	var pv access.ProjectView
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		pv, err = access.ViewProject(tx, c.ID, projectID)
		return err
	})
	if err != nil {
		return ""
	}
	return liveDigest(newProjectPage(pv, c.ID, portalSite))
}
