//go:build unix

package foldersync

import (
	"io/fs"
	"syscall"
)

// openFlags keep opening a file from blocking when it was swapped for a named pipe.
const openFlags = syscall.O_NONBLOCK

// identity is the device and inode of a file; the device changes when a drive is unmounted
// under a path, the inode when a folder is replaced by another.
func identity(info fs.FileInfo) fileID {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)}
	}
	return fileID{}
}
