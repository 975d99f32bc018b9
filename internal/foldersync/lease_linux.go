package foldersync

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// leasesTell is true: read leases tell whether a file is open for writing.
const leasesTell = true

// openForWriting reports whether any program has the file fh (opened read-only) open for
// writing, as a copy that paused does. It asks the kernel for a read lease, which is
// refused with EAGAIN exactly then, and gives the lease back at once, so no writer is
// ever held up by it. ok is false where the answer is unknown: the lease needs the file's
// owner (or CAP_LEASE), and some file systems (network shares) offer no leases.
func openForWriting(fh *os.File) (writing, ok bool) {
	fd := int(fh.Fd())
	_, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_RDLCK)
	if errors.Is(err, unix.EAGAIN) {
		return true, true
	}
	if err != nil {
		return false, false
	}
	_, _ = unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK)
	return false, true
}
