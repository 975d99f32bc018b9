package search

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion names the index layout this build writes: fields, analyzers and what
// each document holds. Change it whenever any of those change; an index written with
// another version is dropped and rebuilt from the database in the background.
const MappingVersion = 3

// Analyzers. Every text is indexed for words (stemmed English, accents folded, French
// elisions such as "l'" removed); a text holding Chinese or Japanese characters is also
// indexed for runs of them, cut into overlapping pairs so that a word inside a longer
// run can be found. Other text skips the second field, which halves its indexing cost;
// queries look for such runs only there.
const (
	analyzerWords = "portico_words"
	analyzerCJK   = "portico_cjk"
)

// Indexed fields. Text is indexed but not stored: hits are turned back into records by
// reading the database, which also gives the current text for snippets.
const (
	fieldKind        = "kind"
	fieldProjectID   = "project_id"
	fieldTaskID      = "task_id"
	fieldMilestoneID = "milestone_id"
	// fieldDocID is set on the comments of a doc, so the indexer can find them when the
	// doc's shared switch changes or the doc is deleted.
	fieldDocID = "doc_id"
	// fieldChain fingerprints the visibility facts of a task (see chainOf), so the
	// indexer can find a task's comments and files whose facts went stale.
	fieldChain = "chain"
	// fieldPortalProject holds the project ID when the document's own facts pass the
	// access policy's rule for its kind (kindRules.admits), and is absent otherwise. A
	// client search is narrowed to the projects access.Projects allows now through this
	// one field: a term lookup per project instead of a conjunction of large fact lists.
	fieldPortalProject = "portal_project"

	// Visibility facts, as they were when the document was written.
	fieldTaskShared      = "task_shared"
	fieldMilestoneHidden = "milestone_hidden"
	fieldInternal        = "internal"
	fieldShared          = "shared"

	// fieldText holds title and body together, so each query word is one term lookup;
	// fieldTitle holds the title again, only to rank title matches first. A body is
	// markdown, indexed as the plain text its readers see (markdown.PlainText).
	fieldText     = "text"
	fieldTitle    = "title"
	fieldTitleCJK = "title_cjk"
	fieldBodyCJK  = "body_cjk"
	// fieldName holds a file's name or a folder file's path, cut at the separators
	// people put in names (fileNameText). Query words are cut the same way to search it,
	// which prose is not: "v2.0" or "e.g." in a description stay single terms.
	fieldName = "name"
)

// Internal keys stored inside the index next to the documents.
var (
	keyVersion  = []byte("portico_mapping_version")
	keySeq      = []byte("portico_activity_seq")
	keyComplete = []byte("portico_complete")
)

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	err := im.AddCustomAnalyzer(analyzerWords, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, fr.ElisionName, en.PossessiveName, foldName,
			en.StopName, en.SnowballStemmerName},
	})
	if err != nil {
		return nil, err
	}

	err = im.AddCustomAnalyzer(analyzerCJK, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{cjk.WidthName, lowercase.Name, foldName, cjk.BigramName},
	})
	if err != nil {
		return nil, err
	}

	doc := mapping.NewDocumentStaticMapping()
	for _, name := range []string{fieldKind, fieldProjectID, fieldTaskID, fieldMilestoneID, fieldChain,
		fieldPortalProject, fieldDocID} {
		doc.AddFieldMappingsAt(name, keywordField())
	}

	for _, name := range []string{fieldTaskShared, fieldMilestoneHidden, fieldInternal, fieldShared} {
		doc.AddFieldMappingsAt(name, boolField())
	}

	doc.AddFieldMappingsAt(fieldTitle, textField(analyzerWords, false))
	doc.AddFieldMappingsAt(fieldText, textField(analyzerWords, false))
	doc.AddFieldMappingsAt(fieldName, textField(analyzerWords, false))
	doc.AddFieldMappingsAt(fieldTitleCJK, textField(analyzerCJK, true))
	doc.AddFieldMappingsAt(fieldBodyCJK, textField(analyzerCJK, true))

	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerWords
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, im.Validate()
}

func keywordField() *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store, f.IncludeInAll, f.DocValues, f.IncludeTermVectors = false, false, false, false
	return f
}

func boolField() *mapping.FieldMapping {
	f := mapping.NewBooleanFieldMapping()
	f.Store, f.IncludeInAll, f.DocValues = false, false, false
	return f
}

// textField maps a text property to a field. Term vectors (positions) are kept only where
// phrase queries need them: the CJK fields, where a phrase of character pairs ranks the
// exact run first.
func textField(analyzer string, positions bool) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store, f.IncludeInAll, f.DocValues, f.IncludeTermVectors = false, false, false, positions
	return f
}
