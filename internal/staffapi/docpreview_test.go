package staffapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"portico/internal/domain"
	"portico/internal/service"
)

func (w *previewWorld) newDoc(projectID domain.ID, title string, shared bool) domain.ID {
	w.t.Helper()
	body := "Body of " + title
	d, err := w.svc.CreateDoc(w.owner.ID, projectID, service.DocInput{Title: &title,
		Body: &body, Shared: &shared})
	w.must(d, err)
	return d.ID
}

// TestPreviewDocs follows the project preview's link to a shared doc, and previews a
// hidden doc and another project's doc.
func TestPreviewDocs(t *testing.T) {
	w := newPreviewWorld(t)
	shared := w.newDoc(w.project, "PV-DOC-2a9", true)
	hidden := w.newDoc(w.project, "PV-SECRET-DOC-3b8", false)
	other := w.newDoc(w.otherProject, "PV-OTHER-DOC", true)
	w.must(w.svc.AddDocComment(w.owner.ID, shared, "PV-SECRET-DOC-INTERNAL", true))
	secrets := append(slices.Clone(pvSecrets), "PV-SECRET-DOC", "PV-OTHER-DOC")
	docPath := func(id domain.ID) string {
		return w.projectPath(w.project, w.client) + "/d/" + string(id)
	}

	project := w.preview(w.projectPath(w.project, w.client))
	if !strings.Contains(project.body, `href="`+docPath(shared)+`"`) {
		t.Fatalf("the project preview does not link the doc's preview:\n%s", project.body)
	}

	page := w.preview(docPath(shared))
	back := `href="` + w.projectPath(w.project, w.client) + `"`
	banner := "Preview: what " + pvClientName
	if page.status != http.StatusOK || !strings.Contains(page.body, "Body of PV-DOC-2a9") ||
		!strings.Contains(page.body, back) || !strings.Contains(page.body, banner) {
		t.Errorf("doc preview: status %d: %s", page.status, page.body)
	}
	for _, res := range []fetched{project, page} {
		for _, absent := range append(secrets, "<form", "<script", "data-events", `href="/d/`) {
			if strings.Contains(res.body, absent) {
				t.Errorf("preview contains %q", absent)
			}
		}
	}

	note := w.preview(docPath(hidden))
	if note.status != http.StatusOK || !strings.Contains(note.body, "Page not found") ||
		!strings.Contains(note.body, "the doc is not shared") ||
		strings.Contains(note.body, "PV-SECRET") {
		t.Errorf("hidden doc preview: status %d: %s", note.status, note.body)
	}

	refused := w.get(w.staffSrv, &w.owner, "", docPath(other), "")
	if refused.status != http.StatusNotFound ||
		!strings.Contains(refused.body, "is not in this project") {
		t.Errorf("another project's doc: status %d: %s", refused.status, refused.body)
	}
	strangerPath := w.projectPath(w.project, w.stranger) + "/d/" + string(shared)
	stranger := w.get(w.staffSrv, &w.owner, "", strangerPath, "")
	if stranger.status != http.StatusNotFound ||
		!strings.Contains(stranger.body, "not on this project") {
		t.Errorf("client of another project: status %d: %s", stranger.status, stranger.body)
	}
}
