package strace

import (
	"sort"
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

// sumMix is TestSummaryColumns' and TestSummaryOrders' calls: three
// syscalls, errors, times from 1 us to 700 us.
var sumMix = []*Event{
	sumCall(unix.SYS_WRITE, 1, 300000),
	sumCall(unix.SYS_OPENAT, 3, 100000),
	sumCall(unix.SYS_OPENAT, -2, 5000),
	sumCall(unix.SYS_CLOSE, 0, 2000),
	sumCall(unix.SYS_WRITE, 1, 1000),
	sumCall(unix.SYS_OPENAT, -13, 700000),
}

// sumRun is the text opt makes of sumMix, the table at its end.
func sumRun(opt Options) string {
	txt := NewText(opt, nil)
	for _, ev := range sumMix {
		txt.Event(ev)
	}
	txt.End(Counts{Seen: uint64(len(sumMix))})
	return string(txt.TakeInto(nil))
}

// sumSortOf and sumColumnsOf parse -S's and -U's values, or fail t.
func sumSortOf(t *testing.T, s string) *SumColumn {
	t.Helper()
	c, err := ParseSumSort(s)
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

func sumColumnsOf(t *testing.T, s string) []SumColumn {
	t.Helper()
	c, err := ParseSumColumns(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSummaryColumns: -U's columns in its order (the name last when not
// given; "shortest" and "longest" at least 8 wide, as "0.000000" makes
// them), sorted by -S, and -O's time taken off each call (never below 0).
func TestSummaryColumns(t *testing.T) {
	// By calls: openat 3, write 2, close 1.
	got := sumRun(Options{Summary: true, SummarySort: sumSortOf(t, "calls"), SummaryColumns: sumColumnsOf(t, "calls,errors,shortest,longest,avg-time")})
	want := "    calls    errors shortest  longest  usecs/call syscall\n" +
		"--------- --------- -------- -------- ----------- ----------------\n" +
		"        3         2 0.000005 0.000700         268 openat\n" +
		"        2           0.000001 0.000300         150 write\n" +
		"        1           0.000002 0.000002           2 close\n" +
		"--------- --------- -------- -------- ----------- ----------------\n" +
		"        6         2 0.000001 0.000700         184 total\n"
	if got != want {
		t.Errorf("-S calls -U calls,errors,shortest,longest,avg-time:\n got:\n%s\nwant:\n%s", got, want)
	}
	// By name, the name first (left-aligned, padded), -O 2us.
	got = sumRun(Options{Summary: true, SummarySort: sumSortOf(t, "name"), SummaryColumns: sumColumnsOf(t, "name,total-time,min-time"), SummaryOverhead: 2000})
	want = "syscall              seconds shortest\n" +
		"---------------- ----------- --------\n" +
		"close               0.000000 0.000000\n" +
		"openat              0.000799 0.000003\n" +
		"write               0.000298 0.000000\n" +
		"---------------- ----------- --------\n" +
		"total               0.001097 0.000000\n"
	if got != want {
		t.Errorf("-S name -U name,total-time,min-time -O 2us:\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSummaryOrders: -S's orders, ties in syscall number order (strace's
// stable qsort of the table indexed by number), and -C: every line, then
// the table.
func TestSummaryOrders(t *testing.T) {
	order := func(opt Options) []string {
		var names []string
		for _, l := range strings.Split(sumRun(opt), "\n")[2:] {
			if f := strings.Fields(l); len(f) > 0 && !strings.HasPrefix(l, "---") {
				names = append(names, f[len(f)-1])
			}
		}
		return names
	}
	nrs := map[string]int{"write": unix.SYS_WRITE, "openat": unix.SYS_OPENAT, "close": unix.SYS_CLOSE}
	byNr := []string{"write", "openat", "close"}
	sort.Slice(byNr, func(i, j int) bool { return nrs[byNr[i]] < nrs[byNr[j]] })
	var tieNr []string // write and close: no errors, one call of 2 us
	for _, n := range byNr {
		if n != "openat" {
			tieNr = append(tieNr, n)
		}
	}
	for _, c := range []struct {
		sort string
		want []string
	}{
		{"nothing", append(byNr, "total")},
		{"errors", []string{"openat", tieNr[0], tieNr[1], "total"}},
		{"max-time", []string{"openat", "write", "close", "total"}},
		{"avg-time", []string{"openat", "write", "close", "total"}},
		{"time", []string{"openat", "write", "close", "total"}},
	} {
		if got := order(Options{Summary: true, SummarySort: sumSortOf(t, c.sort)}); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("-S %s: %v, want %v", c.sort, got, c.want)
		}
	}
	// -C: every call's line, then the table.
	cols, _ := ParseSumColumns("calls")
	got := sumRun(Options{SummaryAlso: true, SummaryColumns: cols})
	if !strings.HasPrefix(got, "write(") || strings.Count(got, "\n") != 6+7 || !strings.Contains(got, "    calls syscall\n") || strings.Contains(got, "Traced ~") {
		t.Errorf("-C:\n%s", got)
	}
}

// TestSummaryOptionErrors: -S, -U and -O refuse what strace refuses, with
// its messages.
func TestSummaryOptionErrors(t *testing.T) {
	if _, err := ParseSumSort("bogus"); err == nil || err.Error() != "invalid sortby: 'bogus'" {
		t.Errorf("-S bogus: %v", err)
	}
	if _, err := ParseSumColumns("calls,bogus"); err == nil || err.Error() != "unknown column name: 'bogus'" {
		t.Errorf("-U calls,bogus: %v", err)
	}
	if _, err := ParseSumColumns("none"); err == nil {
		t.Error("-U none: accepted")
	}
	if _, err := ParseSumColumns("calls,errors,count"); err == nil || err.Error() != "call summary column has been provided more than once: 'count' (-U option residual: 'count')" {
		t.Errorf("-U calls,errors,count: %v", err)
	}
	for in, want := range map[string]uint64{"5": 5000, "5us": 5000, "1.5ms": 1500000, "2s": 2e9, "7ns": 7, "0.5": 500} {
		if got, err := ParseOverhead(in); err != nil || got != want {
			t.Errorf("-O %s: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "5m", "-1", "1h"} {
		if _, err := ParseOverhead(in); err == nil {
			t.Errorf("-O %q: accepted", in)
		}
	}
}
