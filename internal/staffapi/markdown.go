package staffapi

import (
	"net/http"

	"portico/internal/domain"
	"portico/internal/markdown"
)

// renderMarkdown renders markdown exactly as the portal does (goldmark, then bluemonday),
// so the HTML the staff UI shows is what clients see, and safe to insert as it is.
func renderMarkdown(src string) string {
	if src == "" {
		return ""
	}
	return string(markdown.Render(src))
}

type previewRequest struct {
	Text string `json:"text"`
}

type previewResponse struct {
	HTML string `json:"html"`
}

// previewMarkdown answers POST /api/v1/markdown/preview: the editor's live preview, text
// rendered as the portal would show it. Nothing is stored.
func (a *api) previewMarkdown(w http.ResponseWriter, r *http.Request, _ caller) {
	var in previewRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if len(in.Text) > domain.MaxDocBody { // the longest markdown anything may store
		a.writeError(w, r, badRequest("text", "text is longer than %d bytes", domain.MaxDocBody))
		return
	}
	writeJSON(w, http.StatusOK, previewResponse{HTML: renderMarkdown(in.Text)})
}
