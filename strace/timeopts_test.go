package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// textAt is textOf with records' times taken as the wall clock's (no
// monotonic offset), so that -ttt's seconds are the records' own.
func textAt(t *testing.T, opt Options, evs ...*Event) string {
	t.Helper()
	txt := NewText(opt, nil)
	txt.monoOff = 0
	for _, ev := range evs {
		txt.Event(ev)
	}
	return string(txt.TakeInto(nil))
}

// TestTimePrecisions: --timestamps=unix,P, --syscall-times=P and
// --relative-timestamps=P print strace's "%s.%0*ld" (tflag_width digits of
// the nanoseconds, cut, not rounded; no fraction at all for s), ns from the
// record's own nanoseconds.
func TestTimePrecisions(t *testing.T) {
	const ts = 1700000000*1e9 + 123456789
	lat := uint64(2*1e9 + 987654321)
	close3 := callEvent(wire.EvSyscall, unix.SYS_CLOSE, 10, ts, ts+lat, 0, 3)
	for _, c := range []struct {
		prec Precision
		want string
	}{
		{PrecS, "1700000000 close(3) = 0 <2>"},
		{PrecMs, "1700000000.123 close(3) = 0 <2.987>"},
		{PrecUs, "1700000000.123456 close(3) = 0 <2.987654>"},
		{PrecNs, "1700000000.123456789 close(3) = 0 <2.987654321>"},
		{PrecDefault, "1700000000.123456 close(3) = 0 <2.987654>"}, // -ttt -T
	} {
		got := textAt(t, Options{Time: TimeEpoch, TimePrec: c.prec, Latency: true, LatencyPrec: c.prec, Align: -1}, close3)
		if got != c.want+"\n" {
			t.Errorf("precision %d: got %q, want %q", c.prec, got, c.want)
		}
	}
	// Time of day: HH:MM:SS then the fraction.
	got := textAt(t, Options{Time: TimeSec, TimePrec: PrecNs, Align: -1}, close3)
	if _, rest, _ := strings.Cut(got, "."); rest != "123456789 close(3) = 0\n" {
		t.Errorf("time,ns: got %q", got)
	}
	got = textAt(t, Options{Time: TimeSec, Align: -1}, close3)
	if len(got) < 9 || got[8:] != " close(3) = 0\n" || strings.Contains(got, ".") {
		t.Errorf("-t: got %q", got)
	}
	// -r: "%6ld" seconds, then the fraction.
	second := callEvent(wire.EvSyscall, unix.SYS_CLOSE, 10, ts+lat, ts+lat, 0, 4)
	for prec, want := range map[Precision]string{
		PrecS:  "     2 close(4) = 0\n",
		PrecMs: "     2.987 close(4) = 0\n",
		PrecNs: "     2.987654321 close(4) = 0\n",
	} {
		got := textAt(t, Options{Relative: true, RelativePrec: prec, Align: -1}, close3, second)
		if _, line, _ := strings.Cut(got, "\n"); line != want {
			t.Errorf("-r precision %d: got %q, want %q", prec, line, want)
		}
	}
}

// TestSyscallNumber: -n's "[%4u] " before the name, on resumed lines too;
// a signal's line shows its thread's last call, "[?]" before any.
func TestSyscallNumber(t *testing.T) {
	sig := &Event{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 10}, Sig: int32(unix.SIGCHLD)}}
	sig2 := &Event{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 11}, Sig: int32(unix.SIGCHLD)}}
	if unix.SYS_LISTEN != 50 {
		t.Skip("amd64's numbers")
	}
	// strace-n: -a 12.
	got := textAt(t, Options{SyscallNumber: true, Align: 12},
		callEvent(wire.EvSyscall, unix.SYS_LISTEN, 10, 1, 2, -9, 0, 0))
	want := "[  50] listen(0, 0) = -1 EBADF (Bad file descriptor)\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = textAt(t, Options{SyscallNumber: true, Align: 40},
		callEvent(wire.EvEnter, unix.SYS_READ, 10, 1, 0, 0, 0, 0x1000, 4),
		callEvent(wire.EvSyscall, unix.SYS_GETPID, 11, 2, 3, 11),
		callEvent(wire.EvSyscall, unix.SYS_READ, 10, 1, 4, 0, 0, 0x1000, 4),
		sig, sig2,
		&Event{Kind: KindSignal, Signal: &wire.Signal{Header: wire.Header{Tid: 12}, Sig: int32(unix.SIGCHLD)}})
	want = `[   0] read(0,  <unfinished ...>
[  39] getpid()                         = 11
[   0] <... read resumed>0x1000, 4)     = 0
[   0] --- SIGCHLD {} ---
[  39] --- SIGCHLD {} ---
[?] --- SIGCHLD {} ---
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestHexNonASCIIChars: --strings-in-hex=non-ascii-chars prints the bytes
// strace would print in octal as \xNN, the rest as without -x (strace:
// write(1, "a\x01b\xff1\n", 6)).
func TestHexNonASCIIChars(t *testing.T) {
	got := decodeLineOpt(t, Options{StrSize: 32, Hex: HexNonASCIIChars}, "write", 6, [6]uint64{1, 0x1000, 6},
		wire.Cap{Arg: 1, Data: []byte("a\x01b\xff1\n")})
	checkLine(t, got, `write(1, "a\x01b\xff1\n", 6) = 6`)
	got = decodeLineOpt(t, Options{StrSize: 32, Hex: HexNonASCIIChars}, "write", 5, [6]uint64{1, 0x1000, 5},
		wire.Cap{Arg: 1, Data: []byte("\t\"\\\x00\x7f")})
	checkLine(t, got, `write(1, "\t\"\\\x00\x7f", 5) = 5`)
}

// lineBuf is a LineWriter keeping what it is given, and whether Final came.
type lineBuf struct {
	b     []byte
	final bool
}

func (l *lineBuf) WriteLines(b []byte) { l.b = append(l.b, b...) }
func (l *lineBuf) Flush()              {}
func (l *lineBuf) Final(b []byte)      { l.b = append(l.b, b...); l.final = true }

// TestSeparate: -ff -o FILE: each thread's lines in its own output, no pid
// prefix, a call left open when its thread exits ended unfinished; the
// hang-up line in the main output.
func TestSeparate(t *testing.T) {
	main := &lineBuf{}
	files := map[uint32]*lineBuf{}
	s := NewSeparate(Options{Prefix: PrefixFile, Align: -1}, main, func(tid uint32) LineWriter {
		files[tid] = &lineBuf{}
		return files[tid]
	})
	s.Event(&Event{Kind: KindFork, Fork: &wire.Fork{Header: wire.Header{Tid: 10}, ChildTid: 11, ChildTgid: 11}})
	s.Event(callEvent(wire.EvEnter, unix.SYS_READ, 10, 1, 0, 0, 0, 0x1000, 4))
	s.Event(callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 2, 3, 0, 3))
	s.Event(&Event{Kind: KindExit, Exit: &wire.Exit{Header: wire.Header{Tid: 11}, GroupDead: true}})
	s.Event(callEvent(wire.EvSyscall, unix.SYS_READ, 10, 1, 4, 0, 0, 0x1000, 4))
	s.End(Counts{Seen: 3})
	for tid, want := range map[uint32]string{
		10: "read(0, 0x1000, 4) = 0\n",
		11: "close(3) = 0\n+++ exited with 0 +++\n",
	} {
		if f := files[tid]; f == nil || string(f.b) != want || !f.final {
			t.Errorf("thread %d: got %+v, want %q", tid, f, want)
		}
	}
	if string(main.b) != "Traced ~3 syscs, Dropped 0\n" {
		t.Errorf("main: got %q", main.b)
	}
}

// TestHexNonASCIIAngle: -y's paths under non-ascii-chars too (strace:
// openat(AT_FDCWD</tmp>, "/tmp/d\xe9", O_RDONLY) = 3</tmp/d\xe9>).
func TestHexNonASCIIAngle(t *testing.T) {
	for hex, want := range map[int]string{0: `/tmp/d\351`, HexNonASCIIChars: `/tmp/d\xe9`, 1: `\x2f\x74\x6d\x70\x2f\x64\xe9`} {
		var p printer
		p.hex = hex
		p.quoteAngle("/tmp/d\xe9")
		if string(p.b) != want {
			t.Errorf("hex %d: got %s, want %s", hex, p.b, want)
		}
	}
}
