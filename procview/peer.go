package procview

import (
	"fmt"
	"syscall"
)

// PeerMayPtrace reports whether the process at the other end of a unix
// socket, pid with the uid and gid SO_PEERCRED gave when it connected,
// may trace process target: what the view's ctl and strace files ask of
// their callers (mayPtrace: ptrace-attach's rule). privileged is whether
// it has CAP_SYS_PTRACE: a session of an unprivileged peer must stop at an
// execve that gains privileges (loader.SessionConfig.Unprivileged).
//
// The peer's capabilities and real ids are read from /proc/PID/status, and
// are only believed when its effective ids there are still the ones
// SO_PEERCRED recorded at connect: a socket outlives the process that
// connected it (passed on, or its pid reused), and a process that has
// changed identity since (a setuid execve) must not lend its new one.
func PeerMayPtrace(pid int, uid, gid uint32, target int) (privileged bool, err error) {
	cr, err := readCreds(pid)
	if err != nil {
		return false, fmt.Errorf("peer %d: %w", pid, syscall.ESRCH)
	}
	if cr.uid[1] != uid || cr.gid[1] != gid {
		return false, fmt.Errorf("peer %d changed identity since it connected: %w", pid, syscall.EACCES)
	}
	c := &caller{pid: pid, uid: cr.uid[3], gid: cr.gid[3], cr: cr}
	if errno := c.mayPtrace(target); errno != 0 {
		return false, errno
	}
	return c.privileged(), nil
}
