package foldersync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckUnderRoot checks that path names an existing folder inside root, the folder the
// host allowed (portico serve --folders-root), once every symbolic link is resolved, and
// returns it resolved; link that path, not the one typed. A relative path is taken
// relative to root. Paths that leave root by ".." or through a symbolic link fail with
// ErrOutsideRoot; root itself is allowed.
func CheckUnderRoot(root, path string) (string, error) {
	realRoot, err := resolve(root)
	if err != nil {
		return "", fmt.Errorf("folders root: %w", err)
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(realRoot, path)
	}
	if !within(realRoot, filepath.Clean(path)) && !within(filepath.Clean(root), filepath.Clean(path)) {
		return "", fmt.Errorf("folder %s: %w", path, ErrOutsideRoot)
	}

	real, err := resolve(path)
	if err != nil {
		return "", fmt.Errorf("folder: %w", err)
	}
	if !within(realRoot, real) {
		return "", fmt.Errorf("folder %s: %w", path, ErrOutsideRoot)
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("folder: %w", err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("folder %s: not a folder", path)
	}
	return real, nil
}

// resolve makes p absolute and follows every symbolic link in it.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Overlaps reports whether a and b, absolute paths with every symbolic link resolved, are
// the same folder or one lies inside the other.
func Overlaps(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	return within(a, b) || within(b, a)
}

// within reports whether p is dir or inside it; both are absolute and clean.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) &&
		!filepath.IsAbs(rel))
}
