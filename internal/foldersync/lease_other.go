//go:build !linux

package foldersync

import "os"

// leasesTell is false: this platform cannot say whether a file is open for writing.
const leasesTell = false

// openForWriting cannot tell on this platform whether a file is open for writing; the
// stability window alone decides when a file is complete.
func openForWriting(*os.File) (writing, ok bool) { return false, false }
