package staffapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"portico/frontend"
	"portico/internal/web"
)

// uiPolicy is the Content-Security-Policy of the staff UI's page: scripts, styles and fonts
// come only from this server's own files (Vite emits no inline scripts, and Svelte's
// component styles are built into CSS files), API calls and the event stream go to the same
// origin, and frames may show only this origin (the client preview).
const uiPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; " +
	"img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// uiBuilt reports whether ui holds the real staff UI: a build keeps its scripts under
// assets/, while the placeholder page has none.
func uiBuilt(ui fs.FS) bool {
	info, err := fs.Stat(ui, "assets")
	return err == nil && info.IsDir()
}

// uiFiles returns the UI to serve: the one given, or the one embedded in the binary.
func uiFiles(ui fs.FS) fs.FS {
	if ui != nil {
		return ui
	}
	return frontend.Assets()
}

// uiIndex serves the UI's single page. The UI routes with the URL's fragment (#/projects/…),
// so this is the only page path; it is never cached, so a new binary's UI shows at once.
func (a *api) uiIndex(w http.ResponseWriter, r *http.Request) {
	page, err := fs.ReadFile(a.ui, "index.html")
	if err != nil {
		a.log.Error("staff ui has no index.html", "error", err)
		http.Error(w, "the staff UI is missing from this build", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	web.PageHeaders(h)
	h.Set("Content-Security-Policy", uiPolicy)
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(page)
}

// uiAsset serves one of Vite's files under /assets/. Their names carry a hash of their
// contents, so browsers may keep them for good.
func (a *api) uiAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	info, err := fs.Stat(a.ui, name)
	if !strings.HasPrefix(name, "assets/") || err != nil || !info.Mode().IsRegular() {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "not found"})
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeFileFS(w, r, a.ui, name)
}

// baseStylesheet serves the stylesheet that the one-time link pages share with the UI.
func (a *api) baseStylesheet(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(frontend.BaseCSS())
}

// landInUI ends a successful one-time link page: with the UI built, the browser, now
// signed in, goes straight to it; without it, a page says what was done.
func (a *api) landInUI(w http.ResponseWriter, r *http.Request, p page) {
	if a.uiBuilt {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusOK, "done", p)
}
