package markdown

import (
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"heading and emphasis", "# Goals\nLaunch the **zebrafinch** by _Friday_.",
			"Goals\nLaunch the zebrafinch by Friday."},
		{"lines of a paragraph", "first line\nsecond line  \nthird line",
			"first line second line\nthird line"},
		{"lists", "- one\n- two\n  1. nested\n\n3. three", "one\ntwo\nnested\nthree"},
		{"task list", "- [x] done item\n- [ ] open item", "done item\nopen item"},
		{"link text, not its address", "See [the plan](https://x.example/plan \"Plan\").",
			"See the plan."},
		{"image description", "![Logo on white](logo.png)", "Logo on white"},
		{"autolinks stay readable", "Mail <dana@client.example> or see www.example.com",
			"Mail dana@client.example or see www.example.com"},
		{"unsafe link keeps its text", "[click](javascript:alert(1))", "click"},
		{"code span as written", "Run `a &amp; b*` now", "Run a &amp; b* now"},
		{"code block", "```go\nfmt.Println(\"hi\")\n```\n\nafter",
			"fmt.Println(\"hi\")\nafter"},
		{"indented code", "    x := 1\n    y := 2", "x := 1\ny := 2"},
		{"escapes and entities", `AT&amp;T \*not emphasis\* &#65;&#x42; &copy;`,
			"AT&T *not emphasis* AB ©"},
		{"inline HTML dropped, its text kept", "a <b>bold</b> <span class=\"x\">word</span>",
			"a bold word"},
		{"HTML block dropped", "before\n\n<div>\nsecret block\n</div>\n\nafter", "before\nafter"},
		{"script dropped", "<script>alert(1)</script>\n\ntext", "text"},
		{"quote and rule", "> quoted **text**\n\n---\n\nend", "quoted text\nend"},
		{"table", "| Name | Due |\n|---|:-:|\n| Logo | *May* |", "Name\tDue\nLogo\tMay"},
		{"strikethrough", "~~old~~ new", "old new"},
		{"CJK", "## 首页设计\n请**王小明**负责", "首页设计\n请王小明负责"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlainText(tc.src); got != tc.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tc.src, got, tc.want)
			}
		})
	}
}

// TestPlainTextHasNoMarkup: no tag and no heading, emphasis or code marker survives in
// sources made mostly of markup.
func TestPlainTextHasNoMarkup(t *testing.T) {
	for _, src := range []string{
		"# Title\n\n**bold** and *em* and __under__",
		"<img src=x onerror=alert(1)>\n\n<iframe src=\"https://x.example\"></iframe> text",
		"## Steps\n\n1. **Sign** the brief\n2. Send `assets/`\n\n> Note: <em>soon</em>",
	} {
		got := PlainText(src)
		for _, bad := range []string{"<", ">", "**", "##", "__", "`"} {
			if strings.Contains(got, bad) {
				t.Errorf("PlainText(%q) = %q holds %q", src, got, bad)
			}
		}
	}
}
