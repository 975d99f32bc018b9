package blob

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Download describes a stored content as it is handed to a browser.
type Download struct {
	// Name is the file name shown and saved by the browser; it is sanitized again here.
	Name string
	// ContentType is the type recorded at upload, usually Blob.ContentType.
	ContentType string
	// ModTime feeds Last-Modified and conditional requests; zero leaves them out.
	ModTime time.Time
	// SHA256 becomes a strong ETag so interrupted downloads resume safely; empty omits it.
	SHA256 string
}

// inlineTypes are the only types shown in the browser: raster images, which cannot carry
// script. Everything else, SVG included, is downloaded.
var inlineTypes = map[string]bool{
	"image/png":  true,
	"image/jpeg": true,
	"image/gif":  true,
	"image/webp": true,
}

// activeTypes are types a browser would run as a document or script if it ever rendered
// them; they are sent as plain bytes instead.
var activeTypes = map[string]bool{
	"text/html":                 true,
	"application/xhtml+xml":     true,
	"image/svg+xml":             true,
	"text/xml":                  true,
	"application/xml":           true,
	"application/javascript":    true,
	"text/javascript":           true,
	"application/ecmascript":    true,
	"text/ecmascript":           true,
	"application/x-javascript":  true,
	"multipart/x-mixed-replace": true,
}

// ServeFile writes content to w as a download, with range and conditional request support
// from http.ServeContent. Only raster images are served inline; anything else is an
// attachment, and types a browser could execute are sent as application/octet-stream. The
// response is never cached and never sniffed, and runs sandboxed if it is ever rendered.
func ServeFile(w http.ResponseWriter, r *http.Request, content io.ReadSeeker, d Download) {
	mediaType, header := responseType(d.ContentType)
	disposition := "attachment"
	if inlineTypes[mediaType] {
		disposition = "inline"
	}

	h := w.Header()
	h.Set("Content-Type", header)
	h.Set("Content-Disposition", ContentDisposition(disposition, d.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "sandbox")
	if d.SHA256 != "" {
		h.Set("Etag", `"`+d.SHA256+`"`)
	}
	http.ServeContent(w, r, "", d.ModTime, content)
}

// responseType returns the bare media type of contentType and the Content-Type header to
// send for it. Only a charset parameter survives; unknown and active types become
// application/octet-stream.
func responseType(contentType string) (mediaType, header string) {
	const opaque = "application/octet-stream"
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || isActive(mediaType) {
		return opaque, opaque
	}

	header = mediaType
	if cs, ok := params["charset"]; ok && strings.HasPrefix(mediaType, "text/") {
		header = mime.FormatMediaType(mediaType, map[string]string{"charset": cs})
	}
	return mediaType, header
}

func isActive(mediaType string) bool {
	return activeTypes[mediaType] || strings.HasSuffix(mediaType, "+xml")
}

// ContentDisposition builds a Content-Disposition header value (RFC 6266) for the
// disposition type ("inline" or "attachment") and a file name: a plain ASCII filename for
// old clients and the exact UTF-8 name in filename* (RFC 5987). The name is sanitized first.
func ContentDisposition(disposition, name string) string {
	name = SanitizeName(name)
	return disposition + `; filename="` + asciiFallback(name) + `"; filename*=UTF-8''` +
		encodeExtValue(name)
}

// asciiFallback approximates name in printable ASCII: accents are dropped ("é" becomes "e"),
// other non-ASCII runes and the characters that are special in a quoted string or that
// some browsers percent-decode become "_".
func asciiFallback(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining mark from the decomposition: keep the base letter only.
		case r == '"' || r == '\\' || r == '%':
			b.WriteByte('_')
		case r >= 0x20 && r < 0x7F:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// encodeExtValue percent-encodes every byte of s outside RFC 5987's attr-char set.
func encodeExtValue(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0x0F])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
