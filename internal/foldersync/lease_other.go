//go:build !linux

package foldersync

import "os"

// openForWriting cannot tell on this platform whether a file is open for writing; the
// stability window alone decides when a file is complete.
func openForWriting(*os.File) (writing, ok bool) { return false, false }
