package portal

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded stylesheet or script, with the ETag of its content.
type asset struct {
	content     []byte
	etag        string
	contentType string
}

// loadStatic reads every embedded asset once.
func loadStatic() map[string]asset {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}

	out := make(map[string]asset, len(entries))
	for _, e := range entries {
		content, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			panic(err)
		}

		sum := sha256.Sum256(content)
		out[e.Name()] = asset{content: content, etag: `"` + hex.EncodeToString(sum[:8]) + `"`,
			contentType: mime.TypeByExtension(path.Ext(e.Name()))}
	}

	return out
}

// serveStatic sends an embedded asset. Assets are public and carry no data, so unlike
// pages they may be kept, but are checked again on each use (no-cache with an ETag), so a
// new release takes effect at once.
func (p *Portal) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := p.static[r.PathValue("name")]
	if !ok {
		p.notFound(w, r)
		return
	}

	serveAsset(w, r, a)
}

// serveAsset sends an asset with its type and ETag.
func serveAsset(w http.ResponseWriter, r *http.Request, a asset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("Etag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.content))
}
