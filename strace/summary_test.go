package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// sumCall is a returned call of nr that took ns, for -c's table.
func sumCall(nr uint32, ret int64, ns uint64) *Event {
	c := &Call{Call: wire.Call{
		Header: wire.Header{Type: wire.EvSyscall, Tid: 1, Tgid: 1, TS: 1000},
		ExitTS: 1000 + ns, Ret: ret, Nr: nr,
	}}
	return &Event{Kind: KindCall, Call: c}
}

// TestSummaryTable: -c's table as strace 6 prints it (call_summary_pers):
// rows by time, the longest first, ties in syscall number order; the
// syscall column as wide as the longest name and one more (16 at least),
// the header's "syscall" and the names unpadded; errors blank when there
// are none; the total row; and nothing after it (no hang-up line, no
// dropped line: those are the caller's to tell).
func TestSummaryTable(t *testing.T) {
	txt := NewText(Options{Summary: true}, nil)
	evs := []*Event{
		sumCall(unix.SYS_SCHED_GET_PRIORITY_MAX, 99, 0),
		sumCall(unix.SYS_OPENAT, 3, 100000),
		sumCall(unix.SYS_WRITE, 1, 300000),
		sumCall(unix.SYS_OPENAT, -2, 100000),
		sumCall(unix.SYS_CLOSE, 0, 0),
		sumCall(unix.SYS_OPENAT, 4, 100000),
		sumCall(unix.SYS_READ, 0, 0),
		sumCall(unix.SYS_WRITE, 1, 300000),
		sumCall(unix.SYS_OPENAT, -13, 100000),
	}
	for _, ev := range evs {
		txt.Event(ev)
	}
	txt.End(Counts{Seen: 12, Dropped: 3, Lost: 1})
	dash := "------ ----------- ----------- --------- --------- -----------------------\n"
	// read and close tie: x86-64 numbers them 0 and 3, arm64 63 and 57.
	read, close := "  0.00    0.000000           0         1           read\n", "  0.00    0.000000           0         1           close\n"
	ties := read + close
	if unix.SYS_CLOSE < unix.SYS_READ {
		ties = close + read
	}
	want := "% time     seconds  usecs/call     calls    errors syscall\n" + dash +
		" 60.00    0.000600         300         2           write\n" +
		" 40.00    0.000400         100         4         2 openat\n" +
		ties +
		"  0.00    0.000000           0         1           sched_get_priority_max\n" +
		dash +
		"100.00    0.001000         111         9         2 total\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSummaryWidths: columns widen for values that need it, as strace 6's
// do (seconds, calls); the syscall column stays 16 for short names.
func TestSummaryWidths(t *testing.T) {
	s := newSummary()
	s.rows[unix.SYS_READ] = &sumRow{calls: 1234567890, ns: 12345678901234}
	var p printer
	s.print(&p)
	dash := "------ ------------ ----------- ---------- --------- ----------------\n"
	want := "% time      seconds  usecs/call      calls    errors syscall\n" + dash +
		"100.00 12345.678901          10 1234567890           read\n" + dash +
		"100.00 12345.678901          10 1234567890           total\n"
	if got := string(p.b); got != want {
		t.Errorf("\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestDropsLine: what eproc trace -c says on standard error of its losses.
func TestDropsLine(t *testing.T) {
	for _, c := range []struct {
		calls, other uint64
		want         string
	}{{3, 0, "dropped 3 calls"}, {0, 2, "dropped 2 other records"}, {3, 2, "dropped 3 calls and 2 other records"}} {
		if got := DropsLine(c.calls, c.other); got != c.want {
			t.Errorf("DropsLine(%d, %d) = %q, want %q", c.calls, c.other, got, c.want)
		}
	}
	if strings.Contains(DropsLine(1, 0), "---") {
		t.Error("DropsLine has the stream's --- marks")
	}
}
