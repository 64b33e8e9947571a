package strace

import "github.com/eproc/eproc/loader"

// Drops is an EV_DROPS record: records one CPU could not put in the
// session's full ring since the last one it did. It comes just before that
// CPU's next record, where the loss happened.
type Drops struct {
	Header
	Calls uint64 // syscall records: calls the stream lost
	Other uint64 // other records: announcements, signals, exits, forks
}

func parseDrops(b []byte, d *Drops) error {
	if err := parseHeader(b, &d.Header); err != nil {
		return err
	}
	if int(d.Len) < loader.DropsSize {
		return ErrShort
	}
	d.Calls = le.Uint64(b[loader.HdrSize:])
	d.Other = le.Uint64(b[loader.HdrSize+8:])
	return nil
}

// dropped tells the reader, at this place in the stream, that records were
// lost: `--- dropped N calls ---`, strace's shape for what happened to no
// one thread in particular, so without a pid. The hang-up line's Dropped
// is the sum of these lines' N (see Hangup).
func (d *Decoder) dropped(calls, other uint64) {
	d.shownCalls += calls
	d.shownOther += other
	if d.sum != nil || calls+other == 0 {
		return
	}
	d.closeOpen()
	p := &d.p
	p.s("--- dropped ")
	switch {
	case other == 0:
		p.u(calls)
		p.s(" calls")
	case calls == 0:
		p.u(other)
		p.s(" other records")
	default:
		p.u(calls)
		p.s(" calls and ")
		p.u(other)
		p.s(" other records")
	}
	p.s(" ---")
	p.newline()
}

// droppedRest reports the losses no EV_DROPS record told of (those after a
// CPU's last record), so that the stream's dropped lines add up to the
// session's counters.
func (d *Decoder) droppedRest(calls, other uint64) {
	var c, o uint64
	if calls > d.shownCalls {
		c = calls - d.shownCalls
	}
	if other > d.shownOther {
		o = other - d.shownOther
	}
	d.dropped(c, o)
}
