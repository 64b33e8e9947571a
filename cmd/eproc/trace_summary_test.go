package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sumTable is what of a -c table is the same from run to run: the header,
// and each syscall's calls and errors ("name calls errors"), total
// included. Times, and so the rows' order, are not.
type sumTable struct {
	header string
	rows   map[string]string
	last   string // the output's last line
}

func readSumTable(t *testing.T, path string) sumTable {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	st := sumTable{header: lines[0], rows: map[string]string{}, last: lines[len(lines)-1]}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 5 || strings.HasPrefix(l, "---") {
			continue
		}
		errs := "0"
		if len(f) == 6 {
			errs = f[4]
		}
		st.rows[f[len(f)-1]] = f[3] + " " + errs
	}
	return st
}

// TestTraceSummary: `eproc trace -c` (and -c -w) on a deterministic command
// prints strace -c's table: the same header, the same syscalls with the same
// calls and errors, ending with the total row, as strace's does (no hang-up
// line after it, nothing on standard error).
func TestTraceSummary(t *testing.T) {
	eproc, strace := traceTools(t)
	dir := t.TempDir()
	for _, opts := range [][]string{{"-c"}, {"-c", "-w"}} {
		name := strings.Join(opts, " ")
		sOut, eOut := filepath.Join(dir, "strace.out"), filepath.Join(dir, "eproc.out")
		argv := append(opts, "-o")
		s := runTracer(t, dir, sOut, append(append([]string{strace}, argv...), sOut, "ls", "/")...)
		e := runTracer(t, dir, eOut, append(append([]string{eproc, "trace"}, argv...), eOut, "ls", "/")...)
		if s.status != e.status || s.stderr != "" || e.stderr != "" {
			t.Errorf("%s: status %v, stderr %q; strace: %v, %q", name, e.status, e.stderr, s.status, s.stderr)
		}
		st, et := readSumTable(t, sOut), readSumTable(t, eOut)
		if et.header != st.header {
			t.Errorf("%s: header\n%q, strace's\n%q", name, et.header, st.header)
		}
		if !reflect.DeepEqual(et.rows, st.rows) {
			t.Errorf("%s: calls and errors\n%v, strace's\n%v", name, et.rows, st.rows)
		}
		if !strings.HasSuffix(et.last, " total") {
			t.Errorf("%s: last line %q, want the total row", name, et.last)
		}
	}
}

// TestTraceSummaryHangup: -c's table has no hang-up line; -D still prints
// it, on standard error. -w without -c is refused, as strace refuses it.
func TestTraceSummaryHangup(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "eproc.out")
	r := runTracer(t, dir, out, eproc, "trace", "-c", "-D", "-o", out, "true")
	b, _ := os.ReadFile(out)
	if strings.Contains(string(b), "Traced ~") {
		t.Errorf("-c's table has the hang-up line:\n%s", b)
	}
	if !strings.HasPrefix(r.stderr, "Traced ~") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("-c -D: stderr %q, want the hang-up line", r.stderr)
	}
	r = runTracer(t, dir, out, eproc, "trace", "-w", "-o", out, "true")
	if !r.status.Exited() || r.status.ExitStatus() == 0 || !strings.Contains(r.stderr, "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)") {
		t.Errorf("-w without -c: %v, %q", r.status, r.stderr)
	}
}

// TestTraceSummaryOptions: -C, -S, -U (and their long forms) print the
// table strace prints, to the byte, where its columns do not depend on
// time (calls, errors, names; the order by calls, errors or name); -C's
// lines come before it, ending with the exit line as strace's do.
func TestTraceSummaryOptions(t *testing.T) {
	eproc, strace := traceTools(t)
	dir := t.TempDir()
	table := func(path string) (lines, tab string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		i := strings.Index(text, "syscall ")
		if j := strings.Index(text, "    calls "); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			t.Fatalf("no table in %s:\n%s", path, text)
		}
		i = strings.LastIndex(text[:i], "\n") + 1
		return text[:i], text[i:]
	}
	for _, opts := range [][]string{
		{"-C", "-S", "calls", "-U", "calls,errors,name"},
		{"-c", "-S", "name", "-U", "name,errors,calls"},
		{"--summary-only", "--summary-sort-by=errors", "--summary-columns=errors,calls"},
		{"--summary", "-S", "nothing", "-U", "syscall,count"},
	} {
		name := strings.Join(opts, " ")
		sOut, eOut := filepath.Join(dir, "strace.out"), filepath.Join(dir, "eproc.out")
		argv := append(opts, "-o")
		s := runTracer(t, dir, sOut, append(append([]string{strace}, argv...), sOut, "ls", "/")...)
		e := runTracer(t, dir, eOut, append(append([]string{eproc, "trace"}, argv...), eOut, "ls", "/")...)
		if s.status != e.status || s.stderr != "" || e.stderr != "" {
			t.Errorf("%s: status %v, stderr %q; strace: %v, %q", name, e.status, e.stderr, s.status, s.stderr)
		}
		sLines, sTab := table(sOut)
		eLines, eTab := table(eOut)
		if eTab != sTab {
			t.Errorf("%s: the table\n%s\nstrace's\n%s", name, eTab, sTab)
		}
		if opts[0] == "-c" || opts[0] == "--summary-only" {
			if eLines != "" {
				t.Errorf("%s: lines before the table:\n%s", name, eLines)
			}
			continue
		}
		if !strings.HasPrefix(eLines, `execve("/usr/bin/ls", ["ls", "/"]`) || !strings.HasSuffix(eLines, "+++ exited with 0 +++\n") ||
			strings.Count(eLines, "\n") != strings.Count(sLines, "\n") {
			t.Errorf("%s: the lines before the table:\n%s\nstrace's:\n%s", name, eLines, sLines)
		}
	}
	// What strace refuses, refused with its words.
	for _, c := range []struct {
		opts []string
		err  string
	}{
		{[]string{"-c", "-C"}, "-c/--summary-only and -C/--summary are mutually exclusive"},
		{[]string{"-U", "calls"}, "-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)"},
		{[]string{"-c", "-U", "calls,bogus"}, "unknown column name: 'bogus'"},
		{[]string{"-c", "-S", "bogus"}, "invalid sortby: 'bogus'"},
		{[]string{"-c", "-O", "5m"}, "invalid -O argument: '5m'"},
		{[]string{"-C", "-ff"}, "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive"},
	} {
		out := filepath.Join(dir, "refused.out")
		os.WriteFile(out, nil, 0o644) // refused before it opens its output
		r := runTracer(t, dir, out, append(append([]string{eproc, "trace"}, c.opts...), "-o", out, "true")...)
		if r.status.ExitStatus() != 2 || !strings.Contains(r.stderr, c.err) {
			t.Errorf("%q: status %v, stderr %q; want 2 and %q", c.opts, r.status, r.stderr, c.err)
		}
	}
}

// TestTraceSummarySystemTime: -c's time is each call's CPU time, strace's
// system time: a shell that sleeps 0.3 s and then reads 16 MiB of
// /dev/urandom shows its sleep and its wait4s at nearly nothing, and its
// reads at the CPU they took to compute the bytes; with -w the sleep and
// the waits count whole (the wall clock).
func TestTraceSummarySystemTime(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "eproc.out")
	seconds := func(opts ...string) map[string]float64 {
		argv := append(append([]string{eproc, "trace", "-f"}, opts...), "-U", "total-time,calls,name", "-o", out,
			"sh", "-c", "sleep 0.3; head -c 16M /dev/urandom >/dev/null")
		if r := runTracer(t, dir, out, argv...); r.status.ExitStatus() != 0 || r.stderr != "" {
			t.Fatalf("%v: %v, %q", argv, r.status, r.stderr)
		}
		b, _ := os.ReadFile(out)
		secs := map[string]float64{}
		for _, l := range strings.Split(string(b), "\n") {
			var s float64
			var calls int
			var name string
			if n, _ := fmt.Sscanf(l, "%f %d %s", &s, &calls, &name); n == 3 {
				secs[name] = s
			}
		}
		if len(secs) < 10 {
			t.Fatalf("%v: a table of %d rows:\n%s", opts, len(secs), b)
		}
		return secs
	}
	sys := seconds("-c")
	if sys["clock_nanosleep"] > 0.02 || sys["wait4"] > 0.05 || sys["read"] < 0.002 {
		t.Errorf("-c: clock_nanosleep %.6f s, wait4 %.6f s, read %.6f s: want the sleep and waits near 0, the reads 2 ms or more",
			sys["clock_nanosleep"], sys["wait4"], sys["read"])
	}
	wall := seconds("-c", "-w")
	if wall["clock_nanosleep"] < 0.29 || wall["wait4"] < 0.29 {
		t.Errorf("-c -w: clock_nanosleep %.6f s, wait4 %.6f s: want the 0.3 s sleep in both", wall["clock_nanosleep"], wall["wait4"])
	}
}

// TestTraceFirstExecTime: the command's own execve, its first line, has
// its time under -T, as strace's has: its entry is seen though the
// process is not traced yet when it enters it.
func TestTraceFirstExecTime(t *testing.T) {
	eproc, _ := traceTools(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "eproc.out")
	if r := runTracer(t, dir, out, eproc, "trace", "-T", "-o", out, "true"); r.status.ExitStatus() != 0 {
		t.Fatalf("%v, %q", r.status, r.stderr)
	}
	b, _ := os.ReadFile(out)
	first, _, _ := strings.Cut(string(b), "\n")
	var d float64
	i := strings.LastIndexByte(first, '<')
	if !strings.HasPrefix(first, "execve(") || i < 0 {
		t.Fatalf("first line %q", first)
	}
	if _, err := fmt.Sscanf(first[i:], "<%f>", &d); err != nil || d <= 0 || d > 1 {
		t.Errorf("first line %q: time %v (%v), want more than 0", first, d, err)
	}
}
