package search

import (
	"slices"
	"testing"

	"portico/internal/domain"
)

// TestFileNames: a file or folder file is found by its whole name or path as typed,
// whatever separators, digits or case it holds, and by any part of it; prose is still cut
// as before, so "v2.0" in a description is not found by "v2" and "0" apart. What a client
// may not see stays unfound under every form.
func TestFileNames(t *testing.T) {
	w := newWorld(t)
	assets := w.task("Brand assets", "", true, "")
	files := map[string]domain.ID{}
	for _, name := range []string{"logo.txt", "evil.html", "slow2.bin", "Q3-Report_FINAL.PDF",
		"v1.2.3.zip"} {
		files[name] = w.file(assets.ID, name).ID
	}
	for _, rel := range []string{"a/b/c/f.txt", "Deliverables/Brand Guide v2.0.pdf"} {
		files[rel] = w.folderFile(rel, true).ID
	}
	mention := w.task("Mark review", "The mark is in logo.txt, e.g. the blue one.", true, "")
	release := w.task("Release v2.0", "", true, "")
	decoy := w.task("Plan v2 with 0 risk", "", true, "")
	hiddenTask := w.task("Secret assets", "", false, "")
	secret := w.file(hiddenTask.ID, "secret-plan.txt")
	unshared := w.folderFile("private/notes_2024.md", false)
	w.sync()

	cases := []struct {
		query string
		want  []domain.ID
	}{
		{"logo.txt", []domain.ID{files["logo.txt"], mention.ID}},
		{"LOGO.TXT", []domain.ID{files["logo.txt"], mention.ID}},
		{"logo", []domain.ID{files["logo.txt"]}},
		{"evil.html", []domain.ID{files["evil.html"]}},
		{"slow2.bin", []domain.ID{files["slow2.bin"]}},
		{"q3-report_final.pdf", []domain.ID{files["Q3-Report_FINAL.PDF"]}},
		{"Report_Final", []domain.ID{files["Q3-Report_FINAL.PDF"]}},
		{"v1.2.3.zip", []domain.ID{files["v1.2.3.zip"]}},
		{"a/b/c/f.txt", []domain.ID{files["a/b/c/f.txt"]}},
		{"c/f.txt", []domain.ID{files["a/b/c/f.txt"]}},
		{"f.txt", []domain.ID{files["a/b/c/f.txt"]}},
		{"Deliverables/Brand", []domain.ID{files["Deliverables/Brand Guide v2.0.pdf"]}},
		{"guide v2.0.pdf", []domain.ID{files["Deliverables/Brand Guide v2.0.pdf"]}},
		{"v2.0", []domain.ID{release.ID, files["Deliverables/Brand Guide v2.0.pdf"]}},
		{"e.g.", []domain.ID{mention.ID}},
		{"logo.txt blue", []domain.ID{mention.ID}},
		{"mark logo.txt", []domain.ID{mention.ID}},
		{"secret-plan.txt", nil},
		{"private/notes_2024.md", nil},
		{"notes_2024.md", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := w.find(tc.query)
			got := hitIDs(res)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || res.Total != len(want) {
				t.Errorf("client found %d, want %d\n%s", res.Total, len(want), describe(res))
			}
			if has(res, decoy.ID) || has(res, secret.ID) || has(res, unshared.ID) {
				t.Errorf("client found what it must not\n%s", describe(res))
			}
		})
	}

	staffOnly := map[string]domain.ID{"secret-plan.txt": secret.ID,
		"notes_2024.md": unshared.ID, "private/notes_2024.md": unshared.ID}
	for text, id := range staffOnly {
		if staff := w.staffSearch(w.owner.ID, Query{Text: text}); !has(staff, id) {
			t.Errorf("staff do not find %q\n%s", text, describe(staff))
		}
		if ids := w.filteredOnly(text); len(ids) != 0 {
			t.Errorf("the client filter admits %v for %q", ids, text)
		}
	}
}

// TestFileNameMarks: the parts of a name that match are marked, the separators between
// them are not, and the name shows as written.
func TestFileNameMarks(t *testing.T) {
	w := newWorld(t)
	task := w.task("Assets", "", true, "")
	file := w.file(task.ID, "Logo.TXT")
	folder := w.folderFile("a/b/c/f.txt", true)
	w.sync()

	cases := []struct {
		query string
		id    domain.ID
		want  string
	}{
		{"logo.txt", file.ID, "<mark>Logo</mark>.<mark>TXT</mark>"},
		{"LOGO", file.ID, "<mark>Logo</mark>.TXT"},
		{"a/b/c/f.txt", folder.ID,
			"a/<mark>b</mark>/<mark>c</mark>/<mark>f</mark>.<mark>txt</mark>"},
		{"f.txt", folder.ID, "a/b/c/<mark>f</mark>.<mark>txt</mark>"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			res := w.find(tc.query)
			if len(res.Hits) != 1 || res.Hits[0].ID != tc.id {
				t.Fatalf("found\n%s", describe(res))
			}
			if got := string(res.Hits[0].Title.HTML()); got != tc.want {
				t.Errorf("title %q, want %q", got, tc.want)
			}
		})
	}
}
