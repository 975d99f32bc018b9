package search

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"portico/internal/domain"
)

// TestUserTextIsNeverSyntax: query syntax characters are plain text or nothing; they
// never raise an error and never widen what the client sees.
func TestUserTextIsNeverSyntax(t *testing.T) {
	w := newWorld(t)
	shown := w.task("C++ follow-up for project_id:7",
		"shared:false stays a phrase, see a/b (draft) \"quoted\"", true, "")
	hidden := w.task("C++ follow-up for project_id:7 hidden", "shared:false secret a/b (draft)", false, "")
	internal := w.comment(shown.ID, "C++ follow-up project_id:7 shared:false internal", true)
	w.sync()
	secret := []domain.ID{hidden.ID, internal.ID}

	cases := []struct {
		text string
		// want is true when the visible task must be found, false when the search is empty.
		want bool
	}{
		{"C++", true},
		{"follow-up", true},
		{"/", false},
		{`"unterminated`, false},
		{"(", false},
		{"project_id:7", true},
		{"+shared:false", true},
		{"", false},
		{"*", false},
		{"   ", false},
		{"*:*", false},
		{`"C++`, true},
		{"follow-up)", true},
		{"kind:task OR internal:true", false},
		{"task_shared:false", false},
		{`\`, false},
		{"title:*", false},
		{"~1 ^2 -3 !", false},
		{"' OR '1'='1", false},
		{"<script>alert(1)</script>", false},
		{strings.Repeat("follow ", 500), true},
		{"the", false},
	}
	for _, tc := range cases {
		name := tc.text
		if len(name) > 20 {
			name = name[:20]
		}
		t.Run(name, func(t *testing.T) {
			for _, kind := range []Kind{"", KindTask, KindComment} {
				res, err := w.ix.Client(context.Background(), w.client, Query{Text: tc.text, Kind: kind})
				if err != nil {
					t.Fatalf("kind %q: error %v", kind, err)
				}
				for _, id := range secret {
					if has(res, id) {
						t.Errorf("kind %q: found hidden %s", kind, id)
					}
				}
				if kind == KindComment {
					if res.Total != 0 {
						t.Errorf("comments only: found %d, want 0", res.Total)
					}
					continue
				}
				if found := has(res, shown.ID); found != tc.want || res.Total != len(res.Hits) {
					t.Errorf("kind %q: found visible task %v (want %v), total %d\n%s", kind, found, tc.want,
						res.Total, describe(res))
				}
			}
			staff, err := w.ix.Staff(context.Background(), w.owner.ID, Query{Text: tc.text})
			if err != nil {
				t.Fatalf("staff: %v", err)
			}
			if tc.want && (!has(staff, shown.ID) || !has(staff, hidden.ID)) {
				t.Errorf("staff did not find both tasks\n%s", describe(staff))
			}
		})
	}
}

// TestLanguages checks stemming, accent folding and CJK word search.
func TestLanguages(t *testing.T) {
	w := newWorld(t)
	docs := map[string]domain.ID{}
	for _, text := range []string{
		"Updated résumé attached",
		"Über uns page copy",
		"Invoices were sent to the accountant",
		"Die Häuser an der Hauptstraße",
		"Réunion avec l'équipe pour l'été",
		"Los niños llegan mañana a la reunión",
		"请王小明负责首页设计",
		"王先生和小明一起讨论",
		"デザインレビューの確認事項をまとめる",
		"打ち合わせの日程",
	} {
		docs[text] = w.task(text, "", true, "").ID
	}
	w.sync()
	cases := []struct {
		query string
		want  []string
		// first is the record that must rank first, if any.
		first string
	}{
		{"resume", []string{"Updated résumé attached"}, ""},
		{"résumé", []string{"Updated résumé attached"}, ""},
		{"RESUMES", []string{"Updated résumé attached"}, ""},
		{"Uber", []string{"Über uns page copy"}, ""},
		{"über", []string{"Über uns page copy"}, ""},
		{"invoicing", []string{"Invoices were sent to the accountant"}, ""},
		{"accountants", []string{"Invoices were sent to the accountant"}, ""},
		{"hauser", []string{"Die Häuser an der Hauptstraße"}, ""},
		{"Häuser", []string{"Die Häuser an der Hauptstraße"}, ""},
		{"hauptstrasse", []string{"Die Häuser an der Hauptstraße"}, ""},
		{"équipe", []string{"Réunion avec l'équipe pour l'été"}, ""},
		{"equipe ete", []string{"Réunion avec l'équipe pour l'été"}, ""},
		{"reunion", []string{"Réunion avec l'équipe pour l'été", "Los niños llegan mañana a la reunión"}, ""},
		{"niño", []string{"Los niños llegan mañana a la reunión"}, ""},
		{"manana", []string{"Los niños llegan mañana a la reunión"}, ""},
		{"王小明", []string{"请王小明负责首页设计"}, "请王小明负责首页设计"},
		{"首页", []string{"请王小明负责首页设计"}, ""},
		{"レビュー", []string{"デザインレビューの確認事項をまとめる"}, ""},
		{"確認", []string{"デザインレビューの確認事項をまとめる"}, ""},
		{"ザイ", []string{"デザインレビューの確認事項をまとめる"}, ""},
		{"合わ", []string{"打ち合わせの日程"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := w.find(tc.query)
			for _, text := range tc.want {
				if !has(res, docs[text]) {
					t.Errorf("%q not found\n%s", text, describe(res))
				}
			}
			if tc.first != "" && (len(res.Hits) == 0 || res.Hits[0].ID != docs[tc.first]) {
				t.Errorf("%q does not rank first\n%s", tc.first, describe(res))
			}
			if tc.first == "" && len(res.Hits) != len(tc.want) {
				t.Errorf("found %d, want %d\n%s", len(res.Hits), len(tc.want), describe(res))
			}
		})
	}
}

// TestSnippets: matches are marked in the current text; a title's markup stays text,
// a description's raw HTML is dropped as when it is rendered.
func TestSnippets(t *testing.T) {
	w := newWorld(t)
	long := strings.Repeat("filler words go here. ", 40) + "The <b>pelican</b> & friends arrive. " +
		strings.Repeat("more filler text. ", 40)
	task := w.task("Pelican <script>alert(1)</script>", long, true, "")
	file := w.file(task.ID, "pelican_brief-v2.pdf")
	w.sync()
	res := w.find("pelicans")
	if res.Total != 2 {
		t.Fatalf("total %d, want 2\n%s", res.Total, describe(res))
	}
	for _, h := range res.Hits {
		switch h.ID {
		case task.ID:
			if got := string(h.Title.HTML()); got != "<mark>Pelican</mark> &lt;script&gt;alert(1)&lt;/script&gt;" {
				t.Errorf("title HTML %q", got)
			}
			html := string(h.Snippet.HTML())
			// The description is markdown: its raw HTML is dropped, as on the page.
			if !strings.Contains(html, "The <mark>pelican</mark> &amp; friends") ||
				!strings.HasPrefix(html, "…") || !strings.HasSuffix(html, "…") || len(h.Snippet.String()) > 300 {
				t.Errorf("snippet HTML %q", html)
			}
		case file.ID:
			if got := string(h.Title.HTML()); got != "<mark>pelican</mark>_brief-v2.pdf" {
				t.Errorf("file title %q", got)
			}
		}
	}
	if res := w.find("brief"); !has(res, file.ID) {
		t.Errorf("file name part not found")
	}
	cjk := w.task("打ち合わせの日程", "", true, "")
	w.sync()
	res = w.find("合わ")
	if len(res.Hits) != 1 || res.Hits[0].ID != cjk.ID ||
		string(res.Hits[0].Title.HTML()) != "打ち<mark>合わ</mark>せの日程" {
		t.Errorf("CJK marks: %+v", res.Hits)
	}
}

func TestInvalidQuery(t *testing.T) {
	w := newWorld(t)
	for _, q := range []Query{{Text: "x", Kind: "project"}, {Text: "x", ProjectID: "7"}} {
		_, err := w.ix.Client(context.Background(), w.client, q)
		var invalid *domain.ValidationError
		if !errors.As(err, &invalid) {
			t.Errorf("%+v: got %v, want a validation error", q, err)
		}
	}
	res := w.clientSearch(w.client, Query{Text: "x", Limit: 1000, Offset: -5})
	if res.Total != 0 || !slices.Equal(hitIDs(res), []domain.ID{}) {
		t.Errorf("clamped query: %+v", res)
	}
}

// TestResultsJSON: the shape the staff API will serve, with empty lists, not nulls.
func TestResultsJSON(t *testing.T) {
	w := newWorld(t)
	w.task("Gecko <b>bold</b>", "", true, "")
	w.sync()
	for _, text := range []string{"gecko", ""} {
		raw, err := json.Marshal(w.find(text))
		if err != nil {
			t.Fatal(err)
		}
		got := string(raw)
		if strings.Contains(got, "null") || !strings.Contains(got, `"hits":[`) {
			t.Errorf("%q: %s", text, got)
		}
		want := `"title":{"parts":[{"text":"Gecko","mark":true},` +
			`{"text":" \u003cb\u003ebold\u003c/b\u003e"}]}`
		if text != "" && !strings.Contains(got, want) {
			t.Errorf("%q: %s", text, got)
		}
	}
}

func TestCutQuery(t *testing.T) {
	words := strings.Repeat("alpha ", 100) // 600 bytes
	cjk := strings.Repeat("文", 300)        // 900 bytes, one word
	tests := []struct {
		name, text, want string
	}{
		{"short text stays as it is", " two words ", " two words "},
		{"cut before the word the limit splits", words, strings.TrimSpace(words[:509])},
		{"one long word is cut on a whole character", cjk, strings.Repeat("文", 170)},
		{"a limit on a space keeps the word before it", strings.Repeat("a", 512) + " b",
			strings.Repeat("a", 512)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CutQuery(tc.text)
			if got != tc.want {
				t.Errorf("CutQuery gave %d bytes %.20q…, want %d bytes %.20q…", len(got), got,
					len(tc.want), tc.want)
			}
			if len(got) > MaxQueryBytes {
				t.Errorf("%d bytes, over MaxQueryBytes", len(got))
			}
		})
	}
}
