package strace

import (
	"strconv"

	"github.com/eproc/eproc/loader/wire"
)

// The ends of threads and processes in strace's text: "+++ exited with N
// +++", "+++ killed by SIG +++", "+++ superseded by execve in pid N +++"
// (threadexec.go tells how the decoder orders a thread's execve), and the
// call a thread died in.

func (t *Text) exited(e *wire.Exit) {
	if t.opt.Summary {
		return
	}
	if t.open && t.openTid == e.Tid {
		t.diedInOpen()
	}
	if _, shown := t.unfinished[e.Tid]; e.Superseded && t.open && t.openTid == uint32(e.Code) && !shown {
		// The leader ends by the execve whose line is open, in no call
		// the text shows (-e trace= left it out): nothing came between,
		// and strace's line says where the call goes on.
		t.execd(&wire.Exec{Header: wire.Header{Tid: e.Tid}, OldTid: uint32(e.Code)})
	}
	t.closeOpen()
	if t.held != nil {
		t.heldDied(e.Tid)
	}
	if nr, ok := t.unfinished[e.Tid]; ok && !(e.Superseded && t.handed && t.handedTid == e.Tid) {
		// Died inside a call it never finished.
		t.dropUnfinished(e.Tid)
		t.leader(e.Tid, e.TS, 0)
		t.p.s("<... ")
		syscallName(&t.p, lookup(nr), nr)
		t.p.s(" resumed>")
		t.diedIn(nr)
	}
	quiet := t.quietExit(e)
	if e.Superseded || quiet {
		// A superseded leader is one task fewer before its line: strace
		// -f to a terminal prints it without "[pid N] " when the exec'ing
		// thread is left alone.
		t.taskGone()
		if !quiet {
			t.exitLine(e)
		}
		return
	}
	t.exitLine(e)
	t.taskGone()
}

func (t *Text) taskGone() {
	if t.tasks > 0 {
		t.tasks--
	}
}

// diedInOpen ends the open line of a thread that died inside its call, on
// the line itself, as strace does when nothing came between:
// "pause()   = ?".
func (t *Text) diedInOpen() {
	t.open = false
	t.diedIn(t.openNr)
}

// diedIn ends the line of call nr its thread died in: " <unfinished ...>"
// when arguments were left for its return, as strace says, then ") = ?".
func (t *Text) diedIn(nr uint32) {
	p := &t.p
	if s := lookup(nr).signature(); s.firstOut < len(s.args) {
		p.s(" <unfinished ...>")
	}
	p.c(')')
	p.toResult()
	p.c('?')
	p.newline()
}

// exitLine prints e's "+++ ... +++" line.
func (t *Text) exitLine(e *wire.Exit) {
	p := &t.p
	code := e.Code
	t.leader(e.Tid, e.TS, 0)
	if e.Detached {
		p.s("+++ detached: execve of a program that gains privileges +++")
	} else if e.Superseded {
		p.s("+++ superseded by execve in pid ")
		p.d(int64(t.shown(uint32(code))))
		p.s(" +++")
	} else if code&0x7f == 0 {
		p.s("+++ exited with ")
		p.d(int64(code>>8) & 0xff)
		p.s(" +++")
	} else {
		p.s("+++ killed by ")
		signalName(p, int(code&0x7f))
		if code&0x80 != 0 {
			p.s(" (core dumped)")
		}
		p.s(" +++")
	}
	p.newline()
}

// execd follows an exec by a thread other than the leader: it took the
// leader's id, and its execve, shown under its old id, resumes under the
// new one. Its line still open (nothing came between) ends with strace's
// " <pid changed to L ...>".
func (t *Text) execd(x *wire.Exec) {
	if x.OldTid == x.Tid {
		return
	}
	if t.held != nil {
		t.heldExec(x.OldTid, x.Tid)
	}
	if t.open && t.openTid == x.OldTid {
		t.open = false
		t.p.s(" <pid changed to ")
		t.p.b = strconv.AppendUint(t.p.b, uint64(t.shown(x.Tid)), 10)
		t.p.s(" ...>")
		t.p.newline()
		t.handOver(x.Tid, t.openNr)
		return
	}
	if nr, ok := t.unfinished[x.OldTid]; ok {
		t.dropUnfinished(x.OldTid)
		t.handOver(x.Tid, nr)
	}
}

// handOver makes call nr, an execve, thread tid's unfinished call: the
// execve of another thread that took tid, the leader's id. The leader's
// end told after it ("+++ superseded ..."), when the leader had exited
// already, is not a death inside it.
func (t *Text) handOver(tid, nr uint32) {
	t.setUnfinished(tid, nr)
	t.handed, t.handedTid = true, tid
}
