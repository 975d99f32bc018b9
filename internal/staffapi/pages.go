package staffapi

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"portico/internal/web"
)

//go:embed templates/pages.html
var pageFiles embed.FS

// page is the data every HTML page is rendered with.
type page struct {
	Title string
	Email string
	Name  string
	Error string
}

func parsePages() *template.Template {
	return template.Must(template.ParseFS(pageFiles, "templates/pages.html"))
}

// render writes one HTML page with the page headers. It renders into a buffer first, so a
// template error becomes a clean 500 instead of half a page.
func (a *api) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, name, p); err != nil {
		a.log.Error("render staff page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	web.PageHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// downloadCA offers the local certificate authority's certificate, which is public, so
// staff can hand it to clients who should trust this server.
func (a *api) downloadCA(w http.ResponseWriter, r *http.Request) {
	if len(a.caCert) == 0 {
		writeJSON(w, http.StatusNotFound,
			errorBody{Error: "this server uses no local certificate authority"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-x509-ca-cert")
	h.Set("Content-Disposition", `attachment; filename="portico-ca.crt"`)
	_, _ = w.Write(a.caCert)
}
