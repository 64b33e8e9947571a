package procview

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// The view serves as root, so it must refuse what the kernel would refuse
// the caller. Files that need ptrace access to the target (the stream, the
// control files, and the pass-through files /proc guards with
// ptrace_may_access) are checked here, with the kernel's rule for
// PTRACE_MODE_ATTACH_REALCREDS: the caller has CAP_SYS_PTRACE, or its real
// uid and gid equal the target's real, effective and saved ids and the
// target is dumpable; Yama, when present, restricts further. The
// permission bits of every other file are the kernel's own, checked by the
// kernel (the mount uses default_permissions).

const capSysPtrace = 19

// privileged reports whether the caller may ptrace anything. A capability
// is the caller's in its own user namespace: one in another namespace than
// the view's (unshare -U: its CapEff is full) gives it nothing over the
// processes outside, and it is held to the rule of the unprivileged.
func (c *caller) privileged() bool {
	if c.cr != nil {
		return c.cr.capEff&(1<<capSysPtrace) != 0 && inOurUserNs(c.pid)
	}
	return c.uid == 0
}

// yamaScope is the Yama ptrace_scope, or 0 without Yama.
func yamaScope() int {
	b, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope")
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(string(bytes.TrimSpace(b)))
	return n
}

// mayPtrace reports whether c could ptrace-attach process pid.
func (c *caller) mayPtrace(pid int) syscall.Errno {
	scope := yamaScope()
	if scope >= 3 {
		return syscall.EACCES
	}
	if c.privileged() {
		return 0
	}
	if scope == 2 || c.cr == nil {
		return syscall.EACCES
	}
	t, err := readCreds(pid)
	if err != nil {
		return syscall.ESRCH
	}
	// The same task, or a thread of the same process, always may.
	if t.tgid == c.cr.tgid {
		return 0
	}
	if !inOurUserNs(c.pid) && !userNsWithin(pid, c.pid) {
		return syscall.EPERM // outside the caller's user namespace (userns.go)
	}
	ruid, rgid := c.cr.uid[0], c.cr.gid[0]
	for i := 0; i < 3; i++ {
		if t.uid[i] != ruid || t.gid[i] != rgid {
			return syscall.EACCES
		}
	}
	if !dumpable(pid, t) {
		return syscall.EACCES
	}
	if scope == 1 && !c.isAncestorOf(t) {
		return syscall.EACCES
	}
	return 0
}

// dumpable tells a dumpable process from one that is not: /proc shows the
// files of a non-dumpable process as root's. (Not its directory: the
// kernel leaves world-readable directories to the process's euid.)
func dumpable(pid int, t *creds) bool {
	var st syscall.Stat_t
	if err := syscall.Stat(fmt.Sprintf("/proc/%d/environ", pid), &st); err != nil {
		return false
	}
	return st.Uid == t.uid[1] || t.uid[1] == 0
}

func (c *caller) isAncestorOf(t *creds) bool {
	for p, n := t.ppid, 0; p > 1 && n < 1024; n++ {
		if p == c.cr.tgid {
			return true
		}
		cr, err := readCreds(p)
		if err != nil {
			return false
		}
		p = cr.ppid
	}
	return false
}
