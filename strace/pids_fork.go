package strace

// A child not traced (no -f) has no records, so -Y would know its name
// only from /proc, which, decoded after the fact, has often lost it (the
// child ended and was waited for since: waitid(P_PID, 879<waitid-Y>, ...)
// asked for its exit). The parent's clone, fork or vfork that returned
// its pid says it was born with the parent's name: the table keeps that,
// /proc's name being asked first while the child lives (it may have
// exec'd since, unseen). The child is forgotten when it is reaped: wait4,
// or waitid's exit (after waitid's id is printed: the siginfo's si_pid is
// printed as strace prints it at the call's exit, without a name).

const (
	wNOWAIT = 0x01000000
	sigCHLD = 17
)

// forkedChild is the child a clone, clone3, fork or vfork that returned
// made, and its clone flags; ok false for another call, a failure, or a
// clone3 whose flags were not captured.
func forkedChild(c *Call) (child uint32, flags uint64, ok bool) {
	if c.Ret <= 0 || c.Ret > 1<<31 {
		return 0, 0, false
	}
	switch callName(c.Nr) {
	case "clone":
		flags = c.Args[0]
	case "clone3":
		b := capturedIn(c, 0, 8)
		if b == nil {
			return 0, 0, false
		}
		flags = le.Uint64(b)
	case "fork", "vfork":
	default:
		return 0, 0, false
	}
	return uint32(c.Ret), flags, true
}

// forkedUntraced enters the child of a clone, clone3, fork or vfork that
// returned its pid, unless its fork record did (-f), it is a thread, or
// its pid is not eproc's (another namespace, a view).
func (pt *pidTable) forkedUntraced(c *Call) {
	child, flags, ok := forkedChild(c)
	if !ok || pt.view != nil {
		return
	}
	parent := pt.proc(c.Tid)
	if flags&(cloneThread|cloneNewpid) != 0 || parent.ns != 0 && parent.ns != pt.selfNs {
		return
	}
	if pr := pt.procs[child]; pr != nil && !pr.zombie && !pr.untraced {
		return // traced: its fork record came first
	}
	pt.reaped(child)
	if pt.untraced >= maxZombies {
		for tid, pr := range pt.procs {
			if pr.untraced {
				delete(pt.procs, tid)
			}
		}
		pt.untraced = 0
	}
	id := int32(child)
	pt.procs[child] = &pidProc{ns: parent.ns, level: parent.level, tid: id, tgid: id, gtgid: child,
		comm: pt.comm(c.Tid), known: true, untraced: true, vtid: id, vtgid: id}
	pt.untraced++
}

// waitidReaped forgets the child whose exit waitid c returned (it reaped
// it, unless WNOWAIT), si being the siginfo it filled.
func (pt *pidTable) waitidReaped(c *Call, si []byte) {
	if !c.Complete() || c.Ret != 0 || c.Args[3]&wNOWAIT != 0 || len(si) < 20 || le.Uint32(si) != sigCHLD {
		return
	}
	switch int32(le.Uint32(si[8:])) {
	case 1, 2, 3: // CLD_EXITED, CLD_KILLED, CLD_DUMPED
		pt.reaped(pt.translate(c.Tid, int32(le.Uint32(si[16:])), ptTgid))
	}
}
