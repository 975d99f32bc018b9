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
	words []string
	// cjkWords are the words holding a run of Chinese or Japanese characters: they are
	// searched as character pairs only (single characters would match anywhere).
	cjkWords map[string]bool
	// wordTerms and cjkTerms are the terms of all words under each analyzer, for
	// marking matches in snippets.
	wordTerms, cjkTerms map[string]bool
}

// parseText splits text into words and analyzes them. Words that yield no term
// (punctuation, "*", "(", English stop words) are dropped. The result is empty when
// nothing is left to search for.
func (ix *Index) parseText(text string) textQuery {
	text = CutQuery(strings.ToValidUTF8(text, " "))

	fields := strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	})
	q := textQuery{cjkWords: map[string]bool{}, wordTerms: map[string]bool{},
		cjkTerms: map[string]bool{}}
	seen := map[string]bool{}
	for _, f := range fields[:min(len(fields), maxQueryWords)] {
		if seen[f] {
			continue
		}
		seen[f] = true
		if cjkRun(f) {
			q.cjkWords[f] = true
			q.words = append(q.words, f)
			for _, t := range analyze(ix.cjk, f) {
				q.cjkTerms[t] = true
			}
			continue
		}
		terms := analyze(ix.words, f)
		if len(terms) == 0 {
			continue
		}
		q.words = append(q.words, f)
		for _, t := range terms {
			q.wordTerms[t] = true
		}
	}

	return q
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

// query matches documents holding every word in their title or body, and ranks those
// with the words in their title first.
func (q textQuery) query() query.Query {
	var all, inTitle []query.Query
	for _, word := range q.words {
		if q.cjkWords[word] {
			all = append(all, query.NewDisjunctionQuery([]query.Query{
				match(word, fieldTitleCJK, titleBoost), match(word, fieldBodyCJK, 1),
				phrase(word, fieldTitleCJK, titleBoost*phraseBoost), phrase(word, fieldBodyCJK, phraseBoost),
			}))
			continue
		}
		all = append(all, match(word, fieldText, 1))
		inTitle = append(inTitle, match(word, fieldTitle, titleBoost))
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
	fieldTitle: analyzerWords, fieldText: analyzerWords,
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
