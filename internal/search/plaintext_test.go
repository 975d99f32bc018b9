package search

import (
	"strings"
	"testing"

	"portico/internal/domain"
)

// TestMarkdownSnippets: descriptions, docs and comments are markdown, indexed and shown
// as the plain text a reader sees, with the matched words still marked. Markup and link
// addresses are neither shown nor searched.
func TestMarkdownSnippets(t *testing.T) {
	w := newWorld(t)
	task := w.task("Launch", "# Goals\nLaunch the **zebrafinch** by *Friday*.\n\n"+
		"See [the plan](https://plans.example/roadmap).", true, "")
	comment := w.comment(task.ID, "**Approved**, ship `v2.0` of the _zebrafinch_", false)
	doc := w.doc(w.project.ID, "Brief",
		"## Zebrafinch brief\n\n- [x] colours\n- <span>tone</span>", true)
	long := w.doc(w.project.ID, "Handbook",
		strings.Repeat("## Section\n\nSome **filler** words.\n\n", 60)+
			"> The [pelican](https://birds.example/pelican) _arrives_ at dawn.\n\n"+
			strings.Repeat("- more *filler*\n", 60), true)
	w.sync()

	snippets := map[domain.ID]string{
		task.ID:    "Goals Launch the <mark>zebrafinch</mark> by Friday. See the plan.",
		comment.ID: "Approved, ship v2.0 of the <mark>zebrafinch</mark>",
		doc.ID:     "<mark>Zebrafinch</mark> brief colours tone",
	}
	res := w.find("zebrafinch")
	if res.Total != len(snippets) {
		t.Fatalf("found %d, want %d\n%s", res.Total, len(snippets), describe(res))
	}
	for _, h := range res.Hits {
		if got := string(h.Snippet.HTML()); got != snippets[h.ID] {
			t.Errorf("%s snippet %q, want %q", h.Kind, got, snippets[h.ID])
		}
	}

	res = w.find("pelican")
	if len(res.Hits) != 1 || res.Hits[0].ID != long.ID {
		t.Fatalf("pelican: found\n%s", describe(res))
	}
	html := string(res.Hits[0].Snippet.HTML())
	if !strings.Contains(html, "The <mark>pelican</mark> arrives at dawn.") ||
		!strings.HasPrefix(html, "…") || !strings.HasSuffix(html, "…") {
		t.Errorf("long doc snippet %q", html)
	}
	for _, bad := range []string{"#", "*", "_", "[", "](", "birds.example"} {
		if strings.Contains(res.Hits[0].Snippet.String(), bad) {
			t.Errorf("long doc snippet holds %q: %q", bad, res.Hits[0].Snippet.String())
		}
	}

	// Markup and addresses are not text: nothing is found by them.
	for _, text := range []string{"plans.example", "roadmap", "span", "https", "birds.example"} {
		if res := w.staffSearch(w.owner.ID, Query{Text: text}); res.Total != 0 {
			t.Errorf("%q found\n%s", text, describe(res))
		}
	}
}

// TestPlainBodyCutsLongSources: only the start of a long body is converted for a
// snippet, cut at a line break, and what is converted holds no markup.
func TestPlainBodyCutsLongSources(t *testing.T) {
	body := strings.Repeat("- **word** of the list\n", 10_000)
	got := plainBody(body)
	if len(got) == 0 || len(got) > scanSourceBytes || strings.ContainsAny(got, "*-") {
		t.Fatalf("plainBody gave %d bytes starting %.40q", len(got), got)
	}
	if !strings.HasSuffix(got, "word of the list") {
		t.Errorf("cut inside a line: ends %q", got[len(got)-20:])
	}
}
