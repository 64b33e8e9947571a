package strace

import "github.com/eproc/eproc/loader/wire"

// clone's CLONE_PIDFD: the kernel stores the new process's pidfd in the
// int parent_tid points to, and strace 6.1 prints it as it reads it back
// once the call returned (printnum_fd): parent_tid=[3], with -y
// parent_tid=[3<anon_inode:[pidfd]>], with -yy [3<pid:PID>]; the address
// when the call failed, under -e verbose=none, or when the int cannot be
// read. Go's os/exec starts every command so
// (clone(CLONE_VM|CLONE_PIDFD|CLONE_VFORK...)). clone3's pidfd field is
// the same descriptor (clone3Changed). -y's tables learn it too
// (updateFork): the calls that use the pidfd then print it so.

// kClonePtid captures the int at clone's parent_tid (argument 2) as the
// call returns; it prints nothing itself (clone prints two arguments,
// cloneNargs): kCloneOut prints it.
var kClonePtid = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(*printer, *Call, int) {}})

// clonePidfdArg prints clone's parent_tid under CLONE_PIDFD (without
// CLONE_PARENT_SETTID): the descriptor stored there.
func clonePidfdArg(p *printer, c *Call) {
	fd, ok := clonePidfdOf(c)
	if !ok || !p.verbose() {
		p.ptr(c.Args[2])
		return
	}
	p.c('[')
	p.pidfd(c, fd)
	p.c(']')
}

// pidfd prints fd, the pidfd clone or clone3 c stored: with -y, what it
// is (the kernel made it; the table learns it only after the line).
func (p *printer) pidfd(c *Call, fd int32) {
	p.d(int64(fd))
	if p.fds != nil && fd >= 0 {
		p.fdEntry(c.Tgid, fd, clonePidfdEntry(c))
	}
}

// clonePidfdEntry is the table entry of the pidfd clone or clone3 c made:
// the new process's.
func clonePidfdEntry(c *Call) fdEntry {
	return fdEntry{link: "anon_inode:[pidfd]", pid: int32(c.Ret), cloexec: true}
}

// clonePidfdOf is the pidfd clone or clone3 c stored, ok false when it
// made none or it could not be read.
func clonePidfdOf(c *Call) (int32, bool) {
	if !c.Complete() || c.Ret <= 0 {
		return 0, false
	}
	var cp *wire.Cap
	switch callName(c.Nr) {
	case "clone":
		if c.Args[0]&(clonePidfd|cloneParent) != clonePidfd || c.Args[2] == 0 {
			return 0, false
		}
		cp = c.Cap(2, 0)
	case "clone3":
		b := capturedIn(c, 0, 16)
		if b == nil || le.Uint64(b)&clonePidfd == 0 || le.Uint64(b[8:]) == 0 {
			return 0, false
		}
		cp = c.Cap(0, wire.DerefIdx+8)
	default:
		return 0, false
	}
	if cp == nil || cp.Fault() || len(cp.Data) < 4 {
		return 0, false
	}
	return int32(le.Uint32(cp.Data)), true
}

// forkPidfd enters the pidfd a clone or clone3 that returned made in its
// caller's table.
func (t *fdTable) forkPidfd(c *Call, pr *fdProc) {
	if fd, ok := clonePidfdOf(c); ok && fd >= 0 {
		pr.fds[fd] = clonePidfdEntry(c)
	}
}

// pidfdsReaped marks the pidfds of process pid, which a wait reaped, as
// referring to no process: strace's -yy reads their fdinfo's Pid then, -1,
// and prints <anon_inode:[pidfd]>.
func (t *fdTable) pidfdsReaped(pid uint32) {
	for _, pr := range t.procs {
		for fd, e := range pr.fds {
			if e.pid == int32(pid) && e.link == "anon_inode:[pidfd]" {
				e.pid = -1
				pr.fds[fd] = e
			}
		}
	}
}
