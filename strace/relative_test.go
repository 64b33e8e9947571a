package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// callEvent is a call of tid at ts (entry, or exit for a returned call
// without exit), ret and exit time exitTS (0: none recorded).
func callEvent(typ uint16, nr, tid uint32, ts, exitTS uint64, ret int64, args ...uint64) *Event {
	c := &Call{Call: wire.Call{
		Header: wire.Header{Type: typ, Tid: tid, Tgid: tid, TS: ts},
		ExitTS: exitTS, Ret: ret, Nr: nr,
	}}
	copy(c.Args[:], args)
	return &Event{Kind: KindCall, Call: c}
}

func textOf(t *testing.T, opt Options, evs ...*Event) string {
	t.Helper()
	txt := NewText(opt, nil)
	for _, ev := range evs {
		txt.Event(ev)
	}
	return string(txt.TakeInto(nil))
}

// TestRelative: -r's field is the time since the previous line's, "%6d.%06d"
// (wider past 999999 s), truncated to microseconds; 0 for the first line,
// and 0 for a line whose record is a little older than the previous one's
// (records come from several CPUs). A resumed line's time is its call's
// return (ExitTS when the session records entries). After -t's time, the
// field is " (+...)".
func TestRelative(t *testing.T) {
	const ms = 1000000
	evs := []*Event{
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 10, 5*ms, 5*ms+10, 0, 3),
		callEvent(wire.EvEnter, unix.SYS_READ, 10, 7*ms+1999, 0, 0, 0, 0x1000, 4),
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 8*ms, 8*ms+10, 0, 4),
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 7*ms, 7*ms+10, 0, 5), // older: 0
		callEvent(wire.EvSyscall, unix.SYS_READ, 10, 7*ms, 1500*ms+999, 0, 0, 0x1000, 4),
		callEvent(wire.EvSyscall, unix.SYS_CLOSE, 11, 1234567*1000*ms, 1234567*1000*ms, 0, 6),
	}
	got := textOf(t, Options{Prefix: PrefixFile, Relative: true}, evs...)
	want := `10         0.000000 close(3)            = 0
10         0.002001 read(0,  <unfinished ...>
11         0.000998 close(4)            = 0
11         0.000000 close(5)            = 0
10         1.492000 <... read resumed>0x1000, 4) = 0
11    1234565.499999 close(6)           = 0
`
	if got != want {
		t.Errorf("-f -o -r:\n%s\nwant:\n%s", got, want)
	}
	got = textOf(t, Options{Time: TimeEpoch, Relative: true}, evs[0], evs[2])
	for i, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		_, rest, _ := strings.Cut(l, " ")
		want := []string{"(+     0.000000) close(3) = 0", "(+     0.003000) close(4) = 0"}[i]
		if rest != want {
			t.Errorf("-ttt -r: %q after the time, want %q", rest, want)
		}
	}
}

// TestResultPastColumn: a line already past strace's result column gets
// one space before "= ?" too (exit_group under -tt -r), as before "= N".
func TestResultPastColumn(t *testing.T) {
	got := textOf(t, Options{Time: TimeUsec, Relative: true},
		callEvent(wire.EvEnter, unix.SYS_EXIT_GROUP, 10, 5e9, 0, 0, 0))
	if !strings.HasSuffix(got, "(+     0.000000) exit_group(0) = ?\n") {
		t.Errorf("got %q, want it to end with %q", got, "(+     0.000000) exit_group(0) = ?\n")
	}
}
