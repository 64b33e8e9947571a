package strace

import (
	"bytes"
	"slices"
	"strconv"
)

// The Text sink's side of -Y and --decode-pids (pids.go): which thread's
// line is printed, and the comm of each traced thread, kept as strace's
// tcb->comm is: read once when the thread is first seen, inherited by a
// child, and changed by an execve (the file's base name, as the kernel
// names the program) and by a successful prctl(PR_SET_NAME), so that no
// line needs /proc.

// commLen is TASK_COMM_LEN less its NUL.
const commLen = 15

// pidsEvent runs before an event is printed.
func (t *Text) pidsEvent(ev *Event) {
	pt := t.pids
	switch ev.Kind {
	case KindCall:
		c := ev.Call
		pt.caller = c.Tid
		pr := pt.proc(c.Tid)
		if pr.isRenamed && !isExec(c.Nr) {
			pr.comm, pr.known, pr.isRenamed = pr.renamed, true, false
		}
		if c.Complete() && c.Ret > 0 && callName(c.Nr) == "wait4" {
			pt.reaped(pt.translate(c.Tid, int32(c.Ret), ptTgid))
		}
		if c.Complete() && c.Ret > 0 {
			pt.forkedUntraced(c) // clone's result is printed with its name
		}
	case KindSignal:
		pt.caller = ev.Signal.Tid
		pt.proc(ev.Signal.Tid)
	case KindFork:
		f := ev.Fork
		pt.proc(f.Tid)
		pt.reaped(f.ChildTid) // an id used again
		delete(pt.procs, f.ChildTid)
		child := pt.born(f)
		if pt.set&DecodePidComm != 0 {
			child.comm, child.known = pt.comm(f.Tid), true
		}
	case KindExec:
		x := ev.Exec
		if x.OldTid != x.Tid {
			delete(pt.procs, x.OldTid)
		}
		for i := range x.Caps {
			if cp := &x.Caps[i]; cp.Arg == 0 && !cp.Fault() {
				pr := pt.proc(x.Tid)
				pr.renamed, pr.isRenamed = execComm(cp.Data), true
			}
		}
	case KindExit:
		if pr := pt.procs[ev.Exit.Tid]; pr != nil && pr.isRenamed {
			pr.comm, pr.known, pr.isRenamed = pr.renamed, true, false
		}
	}
}

// pidsAfter runs after an event was printed.
func (t *Text) pidsAfter(ev *Event) {
	pt := t.pids
	switch ev.Kind {
	case KindCall:
		c := ev.Call
		pr := pt.proc(c.Tid)
		if pr.isRenamed && isExec(c.Nr) && c.Complete() {
			pr.comm, pr.known, pr.isRenamed = pr.renamed, true, false
		}
		if callName(c.Nr) == "waitid" {
			pt.waitidReaped(c, capturedOut(c, 2, 48)) // when not printed
		}
		if c.Complete() && c.Ret == 0 && c.Args[0] == 15 && callName(c.Nr) == "prctl" {
			if d := capturedIn(c, 1, 1); d != nil {
				if i := bytes.IndexByte(d, 0); i >= 0 {
					d = d[:i]
				}
				pr.comm, pr.known = string(d[:min(len(d), commLen)]), true
			}
		}
	case KindExit:
		x := ev.Exit
		if len(pt.xlat) > 0 {
			pt.ended(x.Tid)
		}
		if x.Tid != x.Tgid {
			delete(pt.procs, x.Tid) // a thread leaves no zombie
			return
		}
		// A zombie keeps its name (strace reads it from /proc) until it
		// is waited for; a parent that never waits (or whose wait is not
		// traced) would keep it for ever: the zombies are forgotten at
		// once when there are many.
		if pr := pt.procs[x.Tid]; pr != nil && !pr.zombie {
			pr.zombie = true
			if pt.zombies++; pt.zombies > maxZombies {
				for tid, pr := range pt.procs {
					if pr.zombie {
						delete(pt.procs, tid)
					}
				}
				pt.zombies = 0
			}
		}
	}
}

// maxZombies is how many ended processes' names the table keeps.
const maxZombies = 1024

// reaped forgets process pid, waited for.
func (pt *pidTable) reaped(pid uint32) {
	pr := pt.procs[pid]
	switch {
	case pr == nil:
	case pr.zombie:
		delete(pt.procs, pid)
		pt.zombies--
	case pr.untraced:
		delete(pt.procs, pid)
		pt.untraced--
	}
}

// isExec says whether syscall nr is an execve.
func isExec(nr uint32) bool {
	e := lookup(nr)
	return e != nil && e.signature().exec
}

// callName is syscall nr's name, "" when unknown.
func callName(nr uint32) string {
	if e := lookup(nr); e != nil {
		return e.Name
	}
	return ""
}

// execComm is the comm an execve of path gives: its base name, cut to
// commLen bytes.
func execComm(path []byte) string {
	if i := bytes.IndexByte(path, 0); i >= 0 {
		path = path[:i]
	}
	if i := bytes.LastIndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	}
	return string(path[:min(len(path), commLen)])
}

// commPrefix is the pid prefix with -Y: "1234<comm> " to a file, "[pid
// 1234<comm>] " to a terminal while more than one task is traced (no
// padding to a file, strace's %u with a comm, %-5u without one); shown is
// tid as the text prints it (pids_view.go).
func (t *Text) commPrefix(tid, shown uint32) {
	p := &t.p
	comm := t.pids.comm(tid)
	switch t.opt.Prefix {
	case PrefixFile:
		if comm == "" {
			p.b = filePrefix(p.b, shown)
			return
		}
		p.b = strconv.AppendUint(p.b, uint64(shown), 10)
	case PrefixTTY:
		if t.tasks <= 1 {
			return
		}
		p.s("[pid ")
		s := strconv.Itoa(int(shown))
		for i := len(s); i < 5; i++ {
			p.c(' ')
		}
		p.s(s)
	default:
		return
	}
	if comm != "" {
		p.c('<')
		p.quoteAngle(comm)
		p.c('>')
	}
	if t.opt.Prefix == PrefixTTY {
		p.c(']')
	}
	p.c(' ')
}

// PidCalls are the calls -Y follows beside those -e trace= asks for:
// prctl, whose PR_SET_NAME renames a thread; the forks that name an
// untraced child, the waits that reap one (pids_fork.go).
func PidCalls() []uint32 {
	var nrs []uint32
	for _, name := range []string{"prctl", "clone", "clone3", "fork", "vfork", "wait4", "waitid"} {
		if nr, ok := Number(name); ok {
			nrs = append(nrs, nr)
		}
	}
	return nrs
}

// hide adds the calls nrs, but those of shown, to the calls followed but
// not printed.
func (t *Text) hide(nrs, shown []uint32) {
	if t.hidden == nil {
		t.hidden = map[uint32]bool{}
	}
	for _, nr := range nrs {
		if !slices.Contains(shown, nr) {
			t.hidden[nr] = true
		}
	}
}

// followed applies a call that is followed, not printed, to the tables.
func (t *Text) followed(ev *Event) {
	if t.fds != nil {
		t.fdsDone = false
		t.fdsApply(ev.Call)
	}
	if t.pids != nil {
		t.pidsEvent(ev)
		t.pidsAfter(ev)
	}
	if t.p.nl != nil {
		t.p.nl.event(ev)
	}
	if t.paths != nil && ev.Kind == KindCall {
		t.paths.follow(ev.Call, false) // the descriptors it changed
	}
}
