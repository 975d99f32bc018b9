// Package markdown renders the markdown that staff write (task descriptions, docs,
// comments) to HTML that is safe to show to anyone. Raw HTML in the source is dropped, links
// may only lead to http, https, mailto or relative addresses, and the result passes an HTML
// sanitizer as a second line of defence.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// linkRel is set on every link: no ranking credit, no window.opener, no Referer.
const linkRel = "nofollow noopener noreferrer"

// converter and policy are safe for concurrent use once built.
var (
	converter = newConverter()
	policy    = newPolicy()
)

// Render converts markdown source to sanitized HTML. It never fails: if conversion fails,
// the source is shown as escaped text instead.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := converter.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// newConverter builds GitHub-flavoured markdown without raw HTML passthrough (goldmark's
// default, which replaces raw HTML with a comment the sanitizer then drops).
func newConverter() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(
				extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
			),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(linkGuard{}, 100)),
		),
	)
}

// newPolicy starts from bluemonday's policy for user content and adds what the markdown
// features above produce: task list checkboxes, code language classes and link rel.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)

	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]+$`)).OnElements("code")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")
	return p
}
