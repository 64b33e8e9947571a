package strace

import (
	"fmt"
	"time"
)

// strace's time precisions: --timestamps=precision:P, --syscall-times=P,
// --relative-timestamps=P (src/util.c's str2timescale_ex), and -n's
// syscall number.

// Precision is how many digits of a second a time shows: s, ms, us or ns.
// PrecDefault is the option's own default (-tt's, -T's and -r's is us; -t's
// is s).
type Precision uint8

const (
	PrecDefault Precision = iota
	PrecS                 // no fraction
	PrecMs                // .mmm
	PrecUs                // .uuuuuu
	PrecNs                // .nnnnnnnnn
)

// ParsePrecision parses strace's s, ms, us or ns (case as strace: any).
func ParsePrecision(s string) (Precision, error) {
	switch s {
	case "s", "S":
		return PrecS, nil
	case "ms", "MS", "Ms", "mS":
		return PrecMs, nil
	case "us", "US", "Us", "uS":
		return PrecUs, nil
	case "ns", "NS", "Ns", "nS":
		return PrecNs, nil
	}
	return PrecDefault, fmt.Errorf("invalid time precision %q (s, ms, us or ns)", s)
}

// digits is how many decimals of a second p shows; def for PrecDefault.
func (p Precision) digits(def int) int {
	switch p {
	case PrecS:
		return 0
	case PrecMs:
		return 3
	case PrecUs:
		return 6
	case PrecNs:
		return 9
	}
	return def
}

// fraction prints ".%0*ld" of ns (a second's nanoseconds, 0..999999999)
// cut to w digits, as strace does; nothing for w 0.
func fraction(p *printer, ns int64, w int) {
	if w == 0 {
		return
	}
	scale := int64(1)
	for i := w; i < 9; i++ {
		scale *= 10
	}
	p.c('.')
	zeroPadded(p, ns/scale, w)
}

// timeDigits is the -t/-tt/-ttt time's decimals: the mode's own (-t none,
// -tt and -ttt microseconds) unless --timestamps gave a precision.
func (t *Text) timeDigits() int {
	def := 6
	if t.opt.Time == TimeSec {
		def = 0
	}
	return t.opt.TimePrec.digits(def)
}

// nrBracket prints -n's "[%4u] " (strace's print_syscall_number).
func nrBracket(p *printer, nr uint32) {
	p.c('[')
	for w := digits(int64(nr)); w < 4; w++ {
		p.c(' ')
	}
	p.d(int64(nr))
	p.s("] ")
}

// noteNr keeps, for -n, the call each thread made last: its signal and exit
// lines show it, as strace's do (strace knows calls not traced too; eproc
// only those it records).
func (t *Text) noteNr(ev *Event) {
	if t.nrGone {
		delete(t.lastNr, t.nrGoneTid)
		t.nrGone = false
	}
	switch ev.Kind {
	case KindCall:
		t.lastNr[ev.Call.Tid] = ev.Call.Nr
	case KindExit:
		// Forgotten once its exit line is printed.
		t.nrGone, t.nrGoneTid = true, ev.Exit.Tid
	}
}

// numberOf prints -n's number for a line of thread tid: its last call's,
// or strace's "[?] " when it made none yet.
func (t *Text) numberOf(tid uint32) {
	nr, ok := t.lastNr[tid]
	if !ok {
		t.p.s("[?] ")
		return
	}
	nrBracket(&t.p, nr)
}

// HexNonASCIIChars is Options.Hex for --strings-in-hex=non-ascii-chars:
// the bytes strace would print in octal are printed as \xNN, the others as
// they are.
const HexNonASCIIChars = 3

// appendHexByte appends one byte as \xNN.
func appendHexByte(b []byte, ch byte) []byte {
	const hx = "0123456789abcdef"
	return append(b, '\\', 'x', hx[ch>>4], hx[ch&15])
}

// wallclock prints -t, -tt or -ttt's time of ts.
func (t *Text) wallclock(ts uint64) {
	p := &t.p
	ns := int64(ts) + t.monoOff
	sec := ns / 1e9
	if t.opt.Time == TimeEpoch {
		p.d(sec)
		fraction(p, ns%1e9, t.timeDigits())
		p.c(' ')
		return
	}
	wall := time.Unix(sec, 0)
	h, m, s := wall.Clock()
	zeroPadded(p, int64(h), 2)
	p.c(':')
	zeroPadded(p, int64(m), 2)
	p.c(':')
	zeroPadded(p, int64(s), 2)
	fraction(p, ns%1e9, t.timeDigits())
	p.c(' ')
}
