//go:build !unix

package foldersync

import "io/fs"

const openFlags = 0

// identity is unknown on this platform: a replaced or unmounted folder is then noticed
// only when its path is missing.
func identity(fs.FileInfo) fileID { return fileID{} }
