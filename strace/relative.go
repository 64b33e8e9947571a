package strace

// strace -r: each line's time since the previous line's.

// relative prints -r's "%6d.%06d " of the time since the previous line
// (0 for the first), or " (+%6d.%06d) " after -t's time. Records come from
// several CPUs, so a line's time may be a little before the previous
// line's: the difference is 0 then, and the later time stays the previous.
func (t *Text) relative(ts uint64) {
	p := &t.p
	if !t.relStarted {
		t.relPrev, t.relStarted = ts, true
	}
	var d uint64
	if ts > t.relPrev {
		d, t.relPrev = ts-t.relPrev, ts
	}
	if t.opt.Time != TimeNone {
		p.s("(+")
	}
	sec := int64(d / 1e9)
	for w := digits(sec); w < 6; w++ {
		p.c(' ')
	}
	p.d(sec)
	fraction(p, int64(d%1e9), t.opt.RelativePrec.digits(6))
	if t.opt.Time != TimeNone {
		p.c(')')
	}
	p.c(' ')
}

// digits is how many decimal digits v >= 0 has.
func digits(v int64) int {
	n := 1
	for ; v >= 10; v /= 10 {
		n++
	}
	return n
}

// resumedAt is when a call that blocked returned, for the timestamp of its
// `<... resumed>` line: its exit time when the session recorded entry
// times (-T: its TS is then the entry's), else its TS, taken at exit.
func resumedAt(c *Call) uint64 {
	if c.ExitTS != 0 {
		return c.ExitTS
	}
	return c.TS
}
