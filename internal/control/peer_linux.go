package control

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// peerAllowed admits a caller running as the same user as the server, or as root. The
// socket's mode already keeps others out; this holds even if the mode was changed.
func peerAllowed(conn net.Conn) error {
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return nil
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return fmt.Errorf("read caller credentials: %w", err)
	}
	var cred *syscall.Ucred
	var credErr error
	err = raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	})
	if err == nil {
		err = credErr
	}
	if err != nil {
		return fmt.Errorf("read caller credentials: %w", err)
	}
	if int(cred.Uid) != os.Getuid() && cred.Uid != 0 {
		return fmt.Errorf("user %d may not use this control socket (only user %d and root)",
			cred.Uid, os.Getuid())
	}
	return nil
}
