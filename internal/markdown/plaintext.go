package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PlainText returns the words a reader sees when src is rendered, without any markup:
// the text of headings, paragraphs, list items, table cells, emphasis, links (their
// text, not their address), image descriptions and code, each block on a line of its
// own. Raw HTML is dropped, as Render drops it, and markers such as "#", "**", "-" or
// "```" never appear. Search indexes this form and cuts its snippets from it, so what a
// result shows reads like the page it leads to.
func PlainText(src string) string {
	source := []byte(src)
	doc := converter.Parser().Parse(text.NewReader(source))
	p := plainWriter{src: source}
	_ = ast.Walk(doc, p.visit)
	return strings.TrimSpace(p.out.String())
}

// plainWriter gathers the text of a parsed document as ast.Walk visits it.
type plainWriter struct {
	src []byte
	out strings.Builder
}

func (p *plainWriter) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	switch n := n.(type) {
	case *ast.Text:
		if entering {
			p.text(n.Segment.Value(p.src), n.IsRaw())
			p.lineBreak(n)
		}
	case *ast.String:
		if entering {
			p.text(n.Value, n.IsRaw() || n.IsCode())
		}
	case *ast.CodeSpan:
		// Code is shown as written: no escapes or entities are resolved inside it.
		for c := n.FirstChild(); entering && c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				p.out.Write(bytes.TrimSuffix(t.Segment.Value(p.src), []byte("\n")))
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		if entering {
			p.text(n.Label(p.src), false)
		}
		return ast.WalkSkipChildren, nil
	case *ast.RawHTML, *ast.HTMLBlock, *extast.TaskCheckBox:
		return ast.WalkSkipChildren, nil
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		if entering {
			p.lines(n.Lines())
			p.endBlock()
		}
		return ast.WalkSkipChildren, nil
	case *extast.TableCell:
		if entering && n.PreviousSibling() != nil {
			p.out.WriteByte('\t')
		}
	default:
		if !entering && n.Type() == ast.TypeBlock {
			p.endBlock()
		}
	}

	return ast.WalkContinue, nil
}

// text writes a run of inline text, resolving backslash escapes and entities the way the
// HTML renderer does unless the text is raw.
func (p *plainWriter) text(value []byte, raw bool) {
	if !raw {
		value = util.UnescapePunctuations(util.ResolveNumericReferences(
			util.ResolveEntityNames(value)))
	}

	p.out.Write(value)
}

// lineBreak keeps the break that ends a line of a paragraph, so its last word and the
// next line's first do not run together.
func (p *plainWriter) lineBreak(n *ast.Text) {
	switch {
	case n.HardLineBreak():
		p.out.WriteByte('\n')
	case n.SoftLineBreak():
		p.out.WriteByte(' ')
	}
}

func (p *plainWriter) lines(lines *text.Segments) {
	for i := range lines.Len() {
		seg := lines.At(i)
		p.out.Write(seg.Value(p.src))
	}
}

// endBlock starts a new line unless the text already ends one (or nothing is written).
func (p *plainWriter) endBlock() {
	s := p.out.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		p.out.WriteByte('\n')
	}
}
