package strace

// A child the process forked has a copy of its descriptors, traced (-f:
// its fork record gives it the table) or not: the parent's clone, fork or
// vfork that returned the child's pid gives an untraced child the copy,
// so that pidfd_getfd, which takes a descriptor of another process (the
// child's, most of the time), knows what the child's was when the child
// is gone by the time the call is decoded. An untraced child's table is
// its descriptors at fork: what it did since is not seen; /proc, while
// the child lives, is asked first (its descriptors now). The copies are
// dropped when the child is reaped (wait4, waitid), or when there are
// too many (a parent that never waits).

// maxUntraced is how many untraced children's tables are kept.
const maxUntraced = 256

const (
	cloneThread = 0x10000
	cloneNewpid = 0x20000000
)

// updateFork gives the child of a clone, clone3, fork or vfork that
// returned its pid a copy of pr, unless the child has a table (its fork
// record came first), shares the parent's (a thread), or is in another
// pid namespace (the pid is not eproc's).
func (t *fdTable) updateFork(c *Call, _ fdOp, pr *fdProc) {
	t.forkPidfd(c, pr)
	child, flags, ok := forkedChild(c)
	if !ok || flags&(cloneThread|cloneNewpid) != 0 || t.procs[child] != nil {
		return
	}
	if t.untraced >= maxUntraced {
		for pid, p := range t.procs {
			if p.untraced {
				delete(t.procs, pid)
			}
		}
		t.untraced = 0
	}
	cp := &fdProc{fds: make(map[int32]fdEntry, len(pr.fds)), cwd: pr.cwd, whole: pr.whole, untraced: true}
	for fd, e := range pr.fds {
		cp.fds[fd] = e
	}
	t.procs[child] = cp
	t.untraced++
}

// updateWait drops the table of an untraced child wait4 or waitid reaped.
func (t *fdTable) updateWait(c *Call, _ fdOp, _ *fdProc) {
	pid := int64(0)
	switch callName(c.Nr) {
	case "wait4":
		pid = c.Ret
	case "waitid":
		if b := capturedOut(c, 2, 48); b != nil && c.Ret == 0 {
			pid = int64(int32(le.Uint32(b[16:])))
		}
	}
	if pid <= 0 {
		return
	}
	t.pidfdsReaped(uint32(pid))
	if p := t.procs[uint32(pid)]; p != nil && p.untraced {
		delete(t.procs, uint32(pid))
		t.untraced--
	}
}

// lookupIn is fd of process pid, another than the caller's (pidfd_getfd's
// target): an untraced child's /proc first, while it lives.
func (t *fdTable) lookupIn(pid uint32, fd int32) fdEntry {
	if p := t.procs[pid]; p != nil && p.untraced {
		if e, ok := t.readlink(pid, fd); ok {
			return e
		}
	}
	return t.lookup(pid, fd, true)
}

// pidfdTarget is the process pidfd of c's process refers to, 0 when not
// known.
func (t *fdTable) pidfdTarget(c *Call, pidfd int32) uint32 {
	e := t.lookup(c.Tgid, pidfd, true)
	if e.link != "anon_inode:[pidfd]" {
		return 0
	}
	if pid := t.pidfdPid(c.Tgid, pidfd, e); pid > 0 {
		return uint32(pid)
	}
	return 0
}

// pidfdGetfd is what pidfd_getfd's new descriptor refers to: what the
// target's does (it is a copy of it), close-on-exec.
func (t *fdTable) pidfdGetfd(c *Call) (fdEntry, bool) {
	if callName(c.Nr) != "pidfd_getfd" {
		return fdEntry{}, false
	}
	pid := t.pidfdTarget(c, int32(c.Args[0]))
	if pid == 0 {
		return fdEntry{}, false
	}
	e := t.lookupIn(pid, int32(c.Args[1]))
	e.cloexec = true
	return e, e.link != ""
}

// pidfdFd prints pidfd_getfd's targetfd, a descriptor of the process its
// pidfd refers to (strace's printfd_pid); ok false when that is not known.
func (p *printer) pidfdFd(c *Call, pidfd, fd int32) bool {
	t := p.fds
	pid := t.pidfdTarget(c, pidfd)
	if pid == 0 {
		return false
	}
	e := t.lookupIn(pid, fd)
	p.d(int64(fd))
	p.fdEntry(uint32(pid), fd, e)
	return true
}
