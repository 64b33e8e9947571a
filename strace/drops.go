package strace

import "strconv"

// dropped tells the reader, at this place in the stream, that records were
// lost: `--- dropped N calls ---`, strace's shape for what happened to no
// one thread in particular, so without a pid. The hang-up line's Dropped
// is the sum of these lines' N (see Hangup).
func (t *Text) dropped(calls, other uint64) {
	t.shownCalls += calls
	t.shownOther += other
	if t.opt.Summary || calls+other == 0 {
		return
	}
	t.closeOpen()
	t.p.s("--- ")
	t.p.b = appendDrops(t.p.b, calls, other)
	t.p.s(" ---")
	t.p.newline()
}

// DropsLine says what was lost, for the caller to tell when the text does
// not (-c's table): "dropped N calls", "dropped N other records", or both.
func DropsLine(calls, other uint64) string {
	return string(appendDrops(nil, calls, other))
}

func appendDrops(b []byte, calls, other uint64) []byte {
	b = append(b, "dropped "...)
	switch {
	case other == 0:
		b = strconv.AppendUint(b, calls, 10)
		b = append(b, " calls"...)
	case calls == 0:
		b = strconv.AppendUint(b, other, 10)
		b = append(b, " other records"...)
	default:
		b = strconv.AppendUint(b, calls, 10)
		b = append(b, " calls and "...)
		b = strconv.AppendUint(b, other, 10)
		b = append(b, " other records"...)
	}
	return b
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

// HangupLine is the hang-up line for the given counters, without newline.
func HangupLine(seen, dropped uint64) string {
	return string(AppendHangup(nil, seen, dropped))
}

// AppendHangup appends Plan 9's hang-up line, without newline: the one
// place its format is written.
func AppendHangup(b []byte, seen, dropped uint64) []byte {
	b = append(b, "Traced ~"...)
	b = strconv.AppendUint(b, seen, 10)
	b = append(b, " syscs, Dropped "...)
	return strconv.AppendUint(b, dropped, 10)
}
