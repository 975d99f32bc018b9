package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// MaxQueryBytes is how much of a query's text is searched: longer text is cut by CutQuery.
// Search boxes take 512 characters, so only text outside ASCII ever reaches the cut.
const MaxQueryBytes = 512

// maxQueryWords is how many words of a query are searched; further words are ignored.
const maxQueryWords = 12

// Scores: a match in a title counts more than one in a body, and a run of Chinese or
// Japanese characters found as written counts more than its pairs found apart.
const (
	titleBoost  = 3
	phraseBoost = 4
)

// textQuery is user text read as plain words. It is never parsed as query syntax: each
// word is handed to bleve as a literal string for its analyzers to cut into terms, so
// "project_id:7", "+shared:false", quotes, brackets and wildcards are only text.
type textQuery struct {
	// words each yield at least one term; a document must match every word.
	words []queryWord
	// wordTerms, nameTerms and cjkTerms are the terms of all words as prose, as names
	// and as Chinese or Japanese, for marking matches in snippets and titles.
	wordTerms, nameTerms, cjkTerms map[string]bool
}

// queryWord is one word of a query and the forms it is searched in.
type queryWord struct {
	text string
	// cjk marks a word holding a run of Chinese or Japanese characters: it is searched as
	// character pairs only (single characters would match anywhere).
	cjk bool
	// prose is true when the word yields terms as prose is cut (fieldText, fieldTitle).
	prose bool
	// name is the word cut like file names (fileNameText) to search fieldName, "" when
	// that leaves no term.
	name string
}

// parseText splits text into words and analyzes them. Words that yield no term
// (punctuation, "*", "(", English stop words) are dropped. The result is empty when
// nothing is left to search for.
func (ix *Index) parseText(text string) textQuery {
	text = CutQuery(strings.ToValidUTF8(text, " "))

	fields := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	})
	q := textQuery{wordTerms: map[string]bool{}, nameTerms: map[string]bool{},
		cjkTerms: map[string]bool{}}
	seen := map[string]bool{}
	for _, f := range fields[:min(len(fields), maxQueryWords)] {
		if seen[f] {
			continue
		}
		seen[f] = true
		if w, ok := ix.parseWord(f, &q); ok {
			q.words = append(q.words, w)
		}
	}

	return q
}

// parseWord analyzes one word, adding its terms to q's, and reports whether it yields
// any term to search for.
func (ix *Index) parseWord(f string, q *textQuery) (queryWord, bool) {
	w := queryWord{text: f}
	if cjkRun(f) {
		w.cjk = true
		for _, t := range analyze(ix.cjk, f) {
			q.cjkTerms[t] = true
		}
		return w, true
	}

	prose := analyze(ix.words, f)
	for _, t := range prose {
		q.wordTerms[t] = true
	}

	name := fileNameText(f)
	names := analyze(ix.words, name)
	for _, t := range names {
		q.nameTerms[t] = true
	}

	w.prose = len(prose) > 0
	if len(names) > 0 {
		w.name = name
	}

	return w, w.prose || w.name != ""
}

// CutQuery returns text when it is at most MaxQueryBytes long, and otherwise its longest
// start within MaxQueryBytes that ends on a whole word, or on a whole character when its
// first word alone is longer; a word cut in two would have to match as a word of its own.
func CutQuery(text string) string {
	n := MaxQueryBytes
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	r, _ := utf8.DecodeRuneInString(text[n:])
	if cut := strings.LastIndexFunc(text[:n], unicode.IsSpace); !unicode.IsSpace(r) && cut > 0 {
		n = cut
	}

	return strings.TrimSpace(text[:n])
}

func (q textQuery) empty() bool { return len(q.words) == 0 }

// query matches documents holding every word in their title or body, or for files in
// their name, and ranks those with the words in their title or name first.
func (q textQuery) query() query.Query {
	var all, inTitle []query.Query
	for _, w := range q.words {
		if w.cjk {
			all = append(all, query.NewDisjunctionQuery([]query.Query{
				match(w.text, fieldTitleCJK, titleBoost), match(w.text, fieldBodyCJK, 1),
				phrase(w.text, fieldTitleCJK, titleBoost*phraseBoost),
				phrase(w.text, fieldBodyCJK, phraseBoost),
			}))
			continue
		}
		var forms []query.Query
		if w.prose {
			forms = append(forms, match(w.text, fieldText, 1))
			inTitle = append(inTitle, match(w.text, fieldTitle, titleBoost))
		}
		if w.name != "" {
			forms = append(forms, match(w.name, fieldName, titleBoost))
		}
		all = append(all, query.NewDisjunctionQuery(forms))
	}

	words := query.NewConjunctionQuery(all)
	if len(inTitle) == 0 {
		return words
	}

	// Title matches only add to the score: with a must clause, bleve treats should
	// clauses as optional.
	return query.NewBooleanQuery([]query.Query{words}, inTitle, nil)
}

// fieldAnalyzer names each text field's analyzer. Queries name it explicitly, so query
// text is always cut exactly as the field's text was, whatever bleve would infer.
var fieldAnalyzer = map[string]string{
	fieldTitle: analyzerWords, fieldText: analyzerWords, fieldName: analyzerWords,
	fieldTitleCJK: analyzerCJK, fieldBodyCJK: analyzerCJK,
}

func match(text, field string, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.Analyzer = fieldAnalyzer[field]
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(boost)
	return q
}

func phrase(text, field string, boost float64) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = fieldAnalyzer[field]
	q.SetBoost(boost)
	return q
}

// term matches a keyword field exactly. Filters built from it score nothing, so they
// restrict results without changing their order.
func term(field, value string) query.Query {
	q := query.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(0)
	return q
}

func boolTerm(field string, value bool) query.Query {
	q := query.NewBoolFieldQuery(value)
	q.SetField(field)
	q.SetBoost(0)
	return q
}

// anyOf matches documents whose field holds one of values.
func anyOf(field string, values []string) query.Query {
	terms := make([]query.Query, len(values))
	for i, v := range values {
		terms[i] = term(field, v)
	}

	return query.NewDisjunctionQuery(terms)
}

func analyze(a analysis.Analyzer, text string) []string {
	tokens := a.Analyze([]byte(text))
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = string(t.Term)
	}

	return out
}

// cjkRun reports whether s holds two or more Chinese or Japanese characters, which the
// CJK analyzer cuts into pairs.
func cjkRun(s string) bool { return countCJK(s, 2) >= 2 }

// hasCJK reports whether s holds a Chinese or Japanese character.
func hasCJK(s string) bool { return countCJK(s, 1) >= 1 }

// countCJK counts the Chinese and Japanese characters of s, stopping at enough.
func countCJK(s string, enough int) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			if n++; n == enough {
				break
			}
		}
	}

	return n
}
