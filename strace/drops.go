package strace

// dropped tells the reader, at this place in the stream, that records were
// lost: `--- dropped N calls ---`, strace's shape for what happened to no
// one thread in particular, so without a pid. The hang-up line's Dropped
// is the sum of these lines' N (see Hangup).
func (t *Text) dropped(calls, other uint64) {
	t.shownCalls += calls
	t.shownOther += other
	if t.sum != nil || calls+other == 0 {
		return
	}
	t.closeOpen()
	p := &t.p
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
func (t *Text) droppedRest(calls, other uint64) {
	var c, o uint64
	if calls > t.shownCalls {
		c = calls - t.shownCalls
	}
	if other > t.shownOther {
		o = other - t.shownOther
	}
	t.dropped(c, o)
}
