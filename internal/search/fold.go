package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// foldName is the token filter that strips accents from Latin letters, registered with
// bleve under this name so the mapping can refer to it.
const foldName = "portico_fold"

func init() {
	err := registry.RegisterTokenFilter(foldName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
}

// foldFilter rewrites each token's term so that "résumé" becomes "resume", "Über"
// (lower-cased before) "uber" and "Straße" "strasse". It works on terms, never on the
// text, so token offsets still point into the original text and highlights line up.
// Only Latin letters are folded: marks in other scripts carry meaning (Japanese dakuten
// turn か into が, Cyrillic й is not и).
type foldFilter struct{}

// latinSpecial holds Latin letters that do not decompose into a base letter and marks.
var latinSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'ħ': "h", 'Ħ': "h",
}

// Filter folds each token's term in place.
func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if folded, ok := fold(tok.Term); ok {
			tok.Term = folded
		}
	}

	return input
}

// fold returns the folded form of term and true, or false when term has nothing to fold.
func fold(term []byte) ([]byte, bool) {
	if !needsFold(term) {
		return nil, false
	}

	var b strings.Builder
	for _, r := range string(term) {
		if s, ok := latinSpecial[r]; ok {
			b.WriteString(s)
			continue
		}
		if r < utf8.RuneSelf || !unicode.Is(unicode.Latin, r) {
			b.WriteRune(r)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
	}

	return []byte(b.String()), true
}

// needsFold reports whether term holds a Latin letter outside ASCII.
func needsFold(term []byte) bool {
	for i := 0; i < len(term); {
		if term[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(term[i:])
		if unicode.Is(unicode.Latin, r) {
			return true
		}
		i += size
	}

	return false
}
