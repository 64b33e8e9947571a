package strace

import (
	"github.com/eproc/eproc/loader/wire"
)

// A thread other than the leader that calls execve, as strace tells it:
//
//	T  execve("x", ["x"], 0x7ffc... /* 5 vars */ <unfinished ...>
//	L  <... rt_sigsuspend resumed>) = ?
//	L  +++ superseded by execve in pid T +++
//	L  <... execve resumed>)       = 0
//
// or, when nothing came between the entry and the exec (the leader was gone
// already), "T  execve(... <pid changed to L ...>" then the superseded line
// and the resumed one. The records do not come in that order: no entry
// record announces the execve (it is the completion, under the leader's id
// L, that has its arguments), the leader's end comes before the exec (an
// EV_EXIT of kind wire.ExitSuperseded), or long before it when the leader
// had exited already (an EV_EXIT of a leader whose threads lived on). So the
// decoder holds them and hands the sinks, at the execve's completion: the
// execve's entry under T, the leader's end, the exec, the leader's earlier
// exit (told as superseded), and the completion.
//
// A leader's exit (exit(2), not a signal's death) while its threads live
// on is held in any case: strace tells it only when the group ends, "+++ exited with N +++" with the
// group's status, after the last thread's line.

// handoff is a non-leader thread's exec, held until its execve completes.
type handoff struct {
	exec wire.Exec  // its own copy (the record's captures copied)
	end  *wire.Exit // the leader's end (ExitSuperseded), if it came
	data []byte     // what exec.Caps point into
	call Call       // the synthesized entry
	ev   [2]Event   // the entry's event, the exec's
	exit [2]Event   // the held exits' events
}

// exitRecord hands the sinks an EV_EXIT, or holds it: a leader's end by
// another thread's execve until the execve completes, a leader's exit
// while its threads live on until the group ends.
func (d *Decoder) exitRecord(e *wire.Exit) {
	if !e.Superseded {
		d.releaseTid(e.Tid)
	}
	switch {
	case e.Superseded:
		h := d.handoffs[e.Tid]
		if h == nil {
			h = d.newHandoff(e.Tid)
		}
		x := *e
		h.end = &x
		return
	case !e.GroupDead && !e.Detached && e.Tid == e.Tgid && e.Code&0x7f == 0:
		// (A leader killed by a signal: its group dies with it.)
		if d.gone == nil {
			d.gone = map[uint32]*wire.Exit{}
		}
		x := *e
		d.gone[e.Tgid] = &x
		return
	}
	d.emit(&d.evExit)
	if len(d.gone) == 0 || !(e.GroupDead || e.Detached) {
		return
	}
	if l := d.gone[e.Tgid]; l != nil && l.Tid != e.Tid {
		// The group ended: its leader's exit, with the group's status.
		delete(d.gone, e.Tgid)
		if e.GroupDead {
			l.Code, l.GroupDead = e.Code, true
		}
		l.TS = e.TS
		d.emitExit(l)
	}
}

func (d *Decoder) emitExit(e *wire.Exit) {
	d.emit(&Event{Kind: KindExit, Exit: e})
}

func (d *Decoder) newHandoff(tid uint32) *handoff {
	if d.handoffs == nil {
		d.handoffs = map[uint32]*handoff{}
	}
	h := &handoff{}
	h.exec.Tid, h.exec.OldTid = tid, tid
	d.handoffs[tid] = h
	return h
}

// execRecord holds the exec of a thread other than the leader (it took
// the leader's id) for its execve's completion, and hands the sinks any
// other.
func (d *Decoder) execRecord(x *wire.Exec) {
	if x.OldTid == x.Tid {
		d.emit(&d.evExec)
		return
	}
	h := d.handoffs[x.Tid]
	if h == nil {
		h = d.newHandoff(x.Tid)
	}
	h.data = h.data[:0]
	for i := range x.Caps {
		h.data = append(h.data, x.Caps[i].Data...)
	}
	caps, data := h.exec.Caps[:0], h.data
	for _, c := range x.Caps {
		c.Data, data = data[:len(c.Data):len(c.Data)], data[len(c.Data):]
		caps = append(caps, c)
	}
	h.exec = *x
	h.exec.Caps = caps
}

// handOff is called with a call of a thread that has a handoff held: the
// execve's completion takes it (its entry under the old id first), any
// other call (the completion was lost) lets it go as it is.
func (d *Decoder) handOff(c *Call) {
	h := d.handoffs[c.Tid]
	delete(d.handoffs, c.Tid)
	x := &h.exec
	if x.OldTid != x.Tid && c.Complete() && lookup(c.Nr).signature().exec {
		h.call = *c
		h.call.Type = wire.EvEnter
		h.call.Tid, h.call.ExitTS, h.call.Ret = x.OldTid, 0, 0
		h.ev[0] = Event{Kind: KindCall, Call: &h.call}
		d.emit(&h.ev[0])
	}
	d.release(h)
}

// release hands the sinks what a handoff held: the leader's end, the
// exec, and the leader's exit from before, told as superseded.
func (d *Decoder) release(h *handoff) {
	x := &h.exec
	if h.end != nil {
		h.exit[0] = Event{Kind: KindExit, Exit: h.end}
		d.emit(&h.exit[0])
	}
	if x.OldTid == x.Tid {
		return // no exec came: only the leader's end
	}
	h.ev[1] = Event{Kind: KindExec, Exec: x}
	d.emit(&h.ev[1])
	if l := d.gone[x.Tid]; l != nil && h.end == nil {
		delete(d.gone, x.Tid)
		l.Superseded, l.Code, l.TS = true, int32(x.OldTid), x.TS
		h.exit[1] = Event{Kind: KindExit, Exit: l}
		d.emit(&h.exit[1])
	}
}

// releaseTid lets go a handoff held for thread tid when another record of
// the thread comes first: its execve's completion is not coming (the
// execve is not traced, or its record was lost).
func (d *Decoder) releaseTid(tid uint32) {
	if len(d.handoffs) == 0 {
		return
	}
	if h := d.handoffs[tid]; h != nil {
		delete(d.handoffs, tid)
		d.release(h)
	}
}

// flushHeld hands the sinks all that is held, at the session's end.
func (d *Decoder) flushHeld() {
	for tid, h := range d.handoffs {
		delete(d.handoffs, tid)
		d.release(h)
	}
	for tgid, l := range d.gone {
		delete(d.gone, tgid)
		d.emitExit(l)
	}
}
