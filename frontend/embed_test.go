package frontend

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

func TestAssetsServeAPage(t *testing.T) {
	page, err := fs.ReadFile(Assets(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if Built() && !strings.Contains(string(page), `src="/assets/`) {
		t.Errorf("the built page loads no script from /assets/: %s", page)
	}
	// A built page must not carry inline scripts: the staff UI's policy forbids them.
	for _, chunk := range strings.Split(string(page), "<script")[1:] {
		if !strings.Contains(strings.SplitN(chunk, ">", 2)[0], "src=") {
			t.Errorf("inline script in index.html: <script%s", chunk)
		}
	}
}

func TestPlaceholderSaysHowToBuild(t *testing.T) {
	ph := Placeholder()
	page, err := fs.ReadFile(ph, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"make", "/api/v1", `href="/base.css"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("placeholder lacks %q", want)
		}
	}
	if _, err := fs.Stat(ph, "assets"); err == nil {
		t.Error("the placeholder has an assets folder, so it would pass for a built UI")
	}
}

func TestBaseCSS(t *testing.T) {
	if !bytes.Contains(BaseCSS(), []byte("--accent")) {
		t.Error("base.css lacks the colour variables")
	}
}
