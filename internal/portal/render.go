package portal

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"portico/internal/domain"
	"portico/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds every page parsed once, each a clone of the layout with its own "content".
var pages = parsePages()

// view is what the layout needs; Data is the page's own content.
type view struct {
	Title    string
	Agency   string
	SignedIn bool
	// Events is the address of the live event stream the page follows, if any.
	Events string
	// Digest is the digest of Data on a live page (see liveDigest); render sets it.
	Digest string
	// Task narrows live updates to one task on a task page, Doc to one doc on a doc page.
	Task domain.ID
	Doc  domain.ID
	// Search is the text shown in the header's search box: the query on a search page.
	Search string
	// Site says where the page's links lead and whether it holds forms; render uses the
	// portal's own when it is nil.
	Site *site
	Data any
}

func parsePages() map[string]*template.Template {
	layout := template.Must(template.ParseFS(templateFS, "templates/layout.html"))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}

	out := make(map[string]*template.Template, len(files))
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" {
			continue
		}

		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, file))
	}

	return out
}

// buffers hold rendered pages, so a failing template never sends half a page and a busy
// portal reuses its memory.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one huge page from pinning its buffer forever.
const maxPooledBuffer = 1 << 20

// render writes a full page with status.
func (p *Portal) render(w http.ResponseWriter, status int, page string, v view) {
	t, ok := pages[page]
	if !ok {
		p.log.Error("render page: no such template", "page", page)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}

	v.Agency = p.agency
	if v.Events != "" {
		v.Digest = liveDigest(v.Data)
	}
	if v.Site == nil {
		v.Site = portalSite
	}

	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		p.log.Error("render page", "page", page, "error", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}

	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// loadPage reads a page with read in one read transaction, then renders its markdown
// outside it, so no transaction waits on the renderer.
func loadPage[P any, PP interface {
	*P
	renderMarkdown()
}](p *Portal, read func(*store.Tx) (P, error)) (P, error) {
	var page P
	err := p.svc.Store().View(func(tx *store.Tx) error {
		var err error
		page, err = read(tx)
		return err
	})
	if err != nil {
		var none P
		return none, err
	}

	PP(&page).renderMarkdown()
	return page, nil
}
