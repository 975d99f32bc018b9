package search

import (
	"html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"portico/internal/markdown"
)

// Snippet is plain text cut into parts, some marked as matching the query. It holds no
// markup: render it with HTML, which escapes every part, or walk Parts and build text
// nodes. Nothing a user wrote can turn into markup either way.
type Snippet struct {
	Parts []Part `json:"parts"`
}

// Part is a run of text; Mark is true when it matched the query.
type Part struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// String returns the snippet's text without marks.
func (s Snippet) String() string {
	var b strings.Builder
	for _, p := range s.Parts {
		b.WriteString(p.Text)
	}

	return b.String()
}

// HTML returns the snippet with every part escaped and the marked ones wrapped in
// <mark>, ready for html/template.
func (s Snippet) HTML() template.HTML {
	var b strings.Builder
	for _, p := range s.Parts {
		if p.Mark {
			b.WriteString("<mark>")
		}
		b.WriteString(template.HTMLEscapeString(p.Text))
		if p.Mark {
			b.WriteString("</mark>")
		}
	}

	return template.HTML(b.String()) // every byte of user text went through HTMLEscapeString
}

// Snippet sizes, in bytes: the passage shown, the context kept before the first match,
// and how much of a long body is looked at (in chunks) to find a match.
const (
	snippetBytes   = 240
	snippetContext = 60
	scanChunkBytes = 4 << 10
	scanMaxBytes   = 64 << 10
	// scanSourceBytes is how much of a markdown body is turned into text for a snippet:
	// enough for scanMaxBytes of text under a fair amount of markup.
	scanSourceBytes = 96 << 10
)

// hit turns a re-checked record into a result with its matches marked.
func (ix *Index) hit(rec record, q textQuery) Hit {
	h := Hit{Kind: rec.kind, ID: rec.id, ProjectID: rec.projectID, TaskID: rec.taskID,
		DocID: rec.docID, Snippet: Snippet{Parts: []Part{}}}
	switch {
	case rec.kind == KindComment:
		// A comment's title is its task's or doc's, which the query did not search.
		h.Title = Snippet{Parts: []Part{{Text: rec.title}}}
	case rec.fileName:
		h.Title = parts(rec.title, ix.marks(fileNameText(rec.title), q.nameTerms, q.cjkTerms))
	default:
		h.Title = parts(rec.title, ix.marks(rec.title, q.wordTerms, q.cjkTerms))
	}

	if rec.body != "" {
		h.Snippet = ix.excerpt(plainBody(rec.body), q)
	}

	return h
}

// span is a byte range of a text.
type span struct{ start, end int }

// plainBody is the plain text of a markdown body, as it was indexed (document.withText),
// so that marks fall on the words the index matched and no markup shows. Only the start
// of a long body is converted: excerpt looks no further than scanMaxBytes of text, and
// markup only makes the source longer than its text.
func plainBody(body string) string {
	if len(body) > scanSourceBytes {
		cut := strings.LastIndexByte(body[:scanSourceBytes], '\n')
		if cut < 0 {
			cut = cutAfter(body, scanSourceBytes)
		}
		body = body[:cut]
	}

	return markdown.PlainText(body)
}

// marks returns the ranges of text whose terms are terms of the query, under the words
// analyzer (words, the query's prose or name terms) or the CJK one (cjk), sorted and
// merged.
func (ix *Index) marks(text string, words, cjk map[string]bool) []span {
	var spans []span
	add := func(a analysis.Analyzer, terms map[string]bool) {
		if len(terms) == 0 {
			return
		}
		for _, t := range a.Analyze([]byte(text)) {
			if terms[string(t.Term)] {
				spans = append(spans, span{t.Start, t.End})
			}
		}
	}

	add(ix.words, words)
	add(ix.cjk, cjk)
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}

	return merged
}

// excerpt cuts a passage of body around its first match, looking at the body a chunk at
// a time so a long description costs little when the match is near its start.
func (ix *Index) excerpt(body string, q textQuery) Snippet {
	for offset := 0; offset < len(body) && offset < scanMaxBytes; {
		end := cutAfter(body, offset+scanChunkBytes)
		found := ix.marks(body[offset:end], q.wordTerms, q.cjkTerms)
		if len(found) > 0 {
			for i := range found {
				found[i].start += offset
				found[i].end += offset
			}
			return window(body, found)
		}
		offset = end
	}

	return window(body, nil)
}

// cutAfter returns a cut position at or after n that falls on a space (or the end), so
// chunks do not split words.
func cutAfter(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}

	if i := strings.IndexFunc(s[n:], unicode.IsSpace); i >= 0 && i < 256 {
		return n + i
	}

	for n < len(s) && !utf8.RuneStart(s[n]) {
		n++
	}

	return n
}

// window returns the passage of s starting a little before the first mark.
func window(s string, marks []span) Snippet {
	start := 0
	if len(marks) > 0 && marks[0].start > snippetContext {
		start = marks[0].start - snippetContext
		if i := strings.IndexFunc(s[start:marks[0].start], unicode.IsSpace); i >= 0 {
			start += i + 1
		}
		for !utf8.RuneStart(s[start]) {
			start++
		}
	}

	end := min(len(s), start+snippetBytes)
	if len(marks) > 0 {
		end = max(end, min(len(s), marks[0].end))
	}

	if end < len(s) {
		if i := strings.LastIndexFunc(s[start:end], unicode.IsSpace); i > 0 {
			end = start + i
		}
		for end > start && end < len(s) && !utf8.RuneStart(s[end]) {
			end--
		}
	}

	var inside []span
	for _, m := range marks {
		if m.start >= start && m.end <= end {
			inside = append(inside, span{m.start - start, m.end - start})
		}
	}

	snip := parts(s[start:end], inside)
	if start > 0 {
		snip.Parts = append([]Part{{Text: "…"}}, snip.Parts...)
	}

	if end < len(s) {
		snip.Parts = append(snip.Parts, Part{Text: "…"})
	}

	return snip
}

// parts splits text at marks, folding runs of white space (a description's line breaks)
// into single spaces.
func parts(text string, marks []span) Snippet {
	out := []Part{}
	at := 0
	emit := func(s string, mark bool) {
		if s = squeeze(s); s != "" {
			out = append(out, Part{Text: s, Mark: mark})
		}
	}

	for _, m := range marks {
		emit(text[at:m.start], false)
		emit(text[m.start:m.end], true)
		at = m.end
	}

	emit(text[at:], false)
	return Snippet{Parts: out}
}

func squeeze(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) &&
		!strings.Contains(s, "  ") {
		return s
	}

	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}

	return b.String()
}
