package markdown

import (
	"flag"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestRenderGolden renders every testdata/*.md and compares it with the .html beside it.
// Run `go test ./internal/markdown/ -update` to rewrite the .html files after a change.
func TestRenderGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := string(Render(string(src)))
			golden := strings.TrimSuffix(in, ".md") + ".html"

			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("Render(%s) mismatch\n got: %s\nwant: %s", in, got, want)
			}
			assertInert(t, got)
		})
	}
}

// TestRenderInertMentions feeds sources whose payload survives only as visible text, so
// they are checked by parsing alone: the words may show, but nothing may run.
func TestRenderInertMentions(t *testing.T) {
	mentions := []string{
		"<javascript:alert(1)>",
		"Never type javascript:alert(1) or <b onerror=x>.",
		"![i](x\" onerror=\"alert(1))",
		"[t](https://example.com \"\\\" onmouseover=alert(1) x=\\\"\")",
		"`<script>alert(1)</script>`",
	}
	for _, src := range mentions {
		t.Run(src, func(t *testing.T) {
			assertInert(t, string(Render(src)))
		})
	}
}

// TestRenderNoActiveContent feeds known attacks and checks the output twice: with plain
// substring checks, and by parsing it as a browser would.
func TestRenderNoActiveContent(t *testing.T) {
	attacks := []string{
		"[pay](JaVaScRiPt:alert(1))",
		"[pay](javascript:alert(1) \"t\")",
		"[e](&#106;avascript&#58;alert(1))",
		"[e](&#x6A;avascript:alert(1))",
		"[e](java%0ascript:alert(1))",
		"[ws]( javascript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"x <img src=x onerror=alert(1)> y",
		"<script>alert(1)</script>",
		"<svg onload=alert(1)>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"![x](data:image/svg+xml;base64,PHN2Zz4=)",
		"[x](vbscript:msgbox(1))",
		"[ref]\n\n[ref]: javascript:alert(1)",
		"<iframe src=\"https://example.com\"></iframe>",
		"<style>body{display:none}</style>",
	}
	for _, src := range attacks {
		t.Run(src, func(t *testing.T) {
			out := string(Render(src))
			lower := strings.ToLower(out)
			for _, bad := range []string{"javascript:", "onerror", "<script", "<iframe", "<style"} {
				if strings.Contains(lower, bad) {
					t.Errorf("output contains %q: %s", bad, out)
				}
			}
			assertInert(t, out)
		})
	}
}

func TestRenderLinks(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"[a](https://example.com/x)",
			`<p><a href="https://example.com/x" rel="nofollow noopener noreferrer">a</a></p>`},
		{"[a](/tasks/1)", `<p><a href="/tasks/1" rel="nofollow noopener noreferrer">a</a></p>`},
		{"<me@example.com>",
			`<p><a href="mailto:me@example.com" rel="nofollow noopener noreferrer">` +
				`me@example.com</a></p>`},
		{"[pay](JaVaScRiPt:alert(1))", `<p>pay</p>`},
		{"[e](&#106;avascript&#58;alert(1))", `<p>e</p>`},
		{"<javascript:alert(1)>", `<p>javascript:alert(1)</p>`},
		{"![alt](vbscript:x)", `<p>alt</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := strings.TrimSpace(string(Render(tt.src))); got != tt.want {
				t.Errorf("Render(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestRenderEmpty(t *testing.T) {
	if got := Render(""); got != "" {
		t.Errorf("Render(\"\") = %q, want empty", got)
	}
}

// assertInert parses out as HTML and fails on any element or attribute that could run
// script: script-capable elements, event handlers, style, or an href or src whose scheme is
// not http, https or mailto.
func assertInert(t *testing.T, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for range 100_000 {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			checkTag(t, z.Token())
		}
	}
	t.Fatal("output has too many tokens")
}

func checkTag(t *testing.T, tok html.Token) {
	t.Helper()
	switch tok.Data {
	case "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base":
		t.Errorf("active element <%s> in output", tok.Data)
	}
	for _, a := range tok.Attr {
		key := strings.ToLower(a.Key)
		if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" {
			t.Errorf("attribute %s on <%s>", a.Key, tok.Data)
		}
		if key == "href" || key == "src" {
			u, err := url.Parse(a.Val)
			if err != nil || !allowedSchemes[strings.ToLower(u.Scheme)] {
				t.Errorf("%s=%q on <%s>", a.Key, a.Val, tok.Data)
			}
		}
	}
}

func TestRenderConcurrent(t *testing.T) {
	const src = "# t\n\n[a](https://example.com) | b\n--|--\n1 | 2\n\n- [x] done"
	want := Render(src)
	done := make(chan template.HTML, 8)
	for range cap(done) {
		go func() { done <- Render(src) }()
	}
	for range cap(done) {
		if got := <-done; got != want {
			t.Errorf("concurrent Render = %q, want %q", got, want)
		}
	}
}
