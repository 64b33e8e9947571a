package strace

import "github.com/eproc/eproc/loader/wire"

// strace -ff -o FILE (--output-separately): each thread's lines in a file
// of its own, FILE.TID.

// Separate is a sink that writes each thread's lines, as a Text with
// strace's options would, to a LineWriter of its own (strace -ff: no pid
// prefix, each thread's time and state its own). Lines of no thread (lost
// records) and the hang-up line go to the main LineWriter.
type Separate struct {
	opt   Options
	open  func(tid uint32) LineWriter
	main  *Text
	texts map[uint32]*Text
}

// NewSeparate returns a sink writing thread tid's lines to open(tid),
// opened at the thread's first line and handed its last with Final when
// the thread exits (or the session ends), and the rest to main.
func NewSeparate(opt Options, main LineWriter, open func(tid uint32) LineWriter) *Separate {
	opt.Prefix = PrefixNone
	opt.Tasks = 1
	return &Separate{opt: opt, open: open, main: NewText(opt, main), texts: map[uint32]*Text{}}
}

// Event hands ev to its thread's text.
func (s *Separate) Event(ev *Event) {
	if ev.Kind == KindExec && ev.Exec.OldTid != ev.Exec.Tid {
		s.execd(ev.Exec)
		return
	}
	tid, ok := eventTid(ev)
	if !ok {
		s.main.Event(ev)
		return
	}
	t := s.texts[tid]
	if t == nil {
		if ev.Kind == KindFork {
			return // nothing to print: the thread's lines open its file
		}
		t = NewText(s.opt, s.open(tid))
		t.monoOff = s.main.monoOff
		s.texts[tid] = t
	}
	t.Event(ev)
	if ev.Kind == KindExit && !ev.Exit.Superseded {
		// (A leader superseded by another thread's execve: that thread
		// goes on in the leader's file, as strace -ff's does.)
		t.closeFile()
		delete(s.texts, tid)
	}
}

// execd follows the exec of a thread other than the leader, as strace
// -ff does: the thread's execve line, in its own file, ends with " <pid
// changed to L ...>" and the file ends; the execve resumes in the
// leader's file, under the leader's id it took.
func (s *Separate) execd(x *wire.Exec) {
	ev := &Event{Kind: KindExec, Exec: x}
	nr, ok := uint32(0), false
	if old := s.texts[x.OldTid]; old != nil {
		old.Event(ev)
		nr, ok = old.unfinished[x.Tid]
		old.closeFile()
		delete(s.texts, x.OldTid)
	}
	t := s.texts[x.Tid]
	if t == nil {
		t = NewText(s.opt, s.open(x.Tid))
		t.monoOff = s.main.monoOff
		s.texts[x.Tid] = t
	}
	t.Event(ev) // its descriptors, its pids: the exec's
	if ok {
		t.closeOpen()
		t.handOver(x.Tid, nr)
	}
}

// eventTid is the thread whose file ev's line goes to.
func eventTid(ev *Event) (uint32, bool) {
	switch ev.Kind {
	case KindCall:
		return ev.Call.Tid, true
	case KindSignal:
		return ev.Signal.Tid, true
	case KindExit:
		return ev.Exit.Tid, true
	case KindFork:
		return ev.Fork.Tid, true
	case KindExec:
		return ev.Exec.Tid, true
	case KindKVM:
		return ev.KVM.Tid, true
	}
	return 0, false
}

// Idle writes every file's complete lines.
func (s *Separate) Idle() {
	for _, t := range s.texts {
		t.Idle()
	}
	s.main.Idle()
}

// End ends every thread's file, then the main output with the hang-up
// line.
func (s *Separate) End(c Counts) {
	for tid, t := range s.texts {
		t.closeFile()
		delete(s.texts, tid)
	}
	s.main.End(c)
}

// closeFile ends a thread's text: its open line unfinished, its last lines
// to its LineWriter's Final; no hang-up line.
func (t *Text) closeFile() {
	t.closeOpen()
	if len(t.held) > 0 {
		t.heldEnd()
	}
	n := t.p.lineStart
	t.out.Final(t.p.b[:n])
	t.forget(n)
}
