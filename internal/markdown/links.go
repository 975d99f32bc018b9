package markdown

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// allowedSchemes are the URL schemes a link or image may use; relative URLs have none.
var allowedSchemes = map[string]bool{"": true, "http": true, "https": true, "mailto": true}

// linkGuard rewrites the parsed document before rendering: links and images whose address
// uses any other scheme become their plain text, and every remaining link gets linkRel.
// Turning a bad link into text, rather than an <a> without href, leaves nothing clickable.
type linkGuard struct{}

// Transform implements parser.ASTTransformer.
func (linkGuard) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var unsafe []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			unsafe = guard(n, util.URLEscape(n.Destination, true), unsafe)
		case *ast.Image:
			unsafe = guard(n, util.URLEscape(n.Destination, true), unsafe)
		case *ast.AutoLink:
			unsafe = guard(n, util.URLEscape(n.URL(src), false), unsafe)
		}
		return ast.WalkContinue, nil
	})

	// Replace after the walk, so the walk never sees a tree changing under it.
	for _, n := range unsafe {
		unwrap(n, src)
	}
}

// guard marks n for unwrapping when dest is not allowed, and otherwise sets rel on links.
// dest is the address exactly as the renderer will write it, with entities and escapes
// resolved, so "&#106;avascript:" is judged as the "javascript:" a browser would see.
func guard(n ast.Node, dest []byte, unsafe []ast.Node) []ast.Node {
	if !allowedURL(string(dest)) {
		return append(unsafe, n)
	}
	if n.Kind() != ast.KindImage {
		n.SetAttributeString("rel", []byte(linkRel))
	}
	return unsafe
}

// allowedURL reports whether dest parses and uses an allowed scheme. Scheme comparison is
// case-insensitive, so "JaVaScRiPt:" is caught like "javascript:". A protocol-relative
// address ("//host/x", or "/\host/x", which browsers read the same way) is refused: it
// has no scheme, yet leads to another host with whatever scheme the page was opened with,
// so it would point somewhere different in the portal and the staff UI.
func allowedURL(dest string) bool {
	dest = strings.TrimSpace(dest)
	if lead := strings.ReplaceAll(dest, `\`, "/"); strings.HasPrefix(lead, "//") {
		return false
	}
	u, err := url.Parse(dest)
	if err != nil || (u.Scheme == "" && u.Host != "") {
		return false
	}
	return allowedSchemes[strings.ToLower(u.Scheme)]
}

// unwrap replaces n by its content: the text of a link, the alt text of an image, or the
// address of an autolink shown as plain text.
func unwrap(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if a, ok := n.(*ast.AutoLink); ok {
		parent.ReplaceChild(parent, n, ast.NewString(a.Label(src)))
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}
