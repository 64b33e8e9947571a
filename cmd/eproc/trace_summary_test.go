package main

import (
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
	if !r.status.Exited() || r.status.ExitStatus() == 0 || !strings.Contains(r.stderr, "-w must be given with -c") {
		t.Errorf("-w without -c: %v, %q", r.status, r.stderr)
	}
}
