// Package frontend owns the staff workspace UI: its Svelte sources live beside this file,
// and its built files (frontend/dist, made by `npm run build` or `make`) are embedded into
// the binary. A clone that has not built the UI still compiles: it embeds a small page
// that says how to build it.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed placeholder
var placeholder embed.FS

//go:embed src/styles/base.css
var baseCSS []byte

// Assets returns the staff UI's files: index.html at the root and Vite's content-hashed
// files under assets/. When the UI has not been built, it returns Placeholder instead.
func Assets() fs.FS {
	built, err := fs.Sub(dist, "dist")
	if err == nil {
		if _, err := fs.Stat(built, "index.html"); err == nil {
			return built
		}
	}
	return Placeholder()
}

// Built reports whether the real UI, rather than the placeholder, is embedded.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// Placeholder returns the page served at the staff URL when the UI has not been built:
// one index.html and nothing under assets/.
func Placeholder() fs.FS {
	sub, err := fs.Sub(placeholder, "placeholder")
	if err != nil {
		panic("frontend: placeholder missing: " + err.Error()) // a build-time fact
	}
	return sub
}

// BaseCSS returns the stylesheet the UI is built on (colours, type, form controls). The
// server-rendered staff pages link it too, so one-time link pages look like the UI.
func BaseCSS() []byte { return baseCSS }
