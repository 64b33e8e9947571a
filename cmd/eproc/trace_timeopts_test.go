package main

// --timestamps=FORMAT,PRECISION, --syscall-times=P, --relative-timestamps=P,
// -n, --strings-in-hex=non-ascii-chars and -ff against strace.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestTraceTimeOpts: the time options print strace's fields (their digits
// aside, the lines are strace's), -n its "[NR] " and non-ascii-chars its
// \xNN escapes.
func TestTraceTimeOpts(t *testing.T) {
	dir := t.TempDir()
	digit := regexp.MustCompile(`\d`)
	for _, opts := range [][]string{
		{"--timestamps=unix,ns", "--syscall-times=ms"},
		{"--absolute-timestamps=format:time", "--absolute-timestamps=precision:ms", "--relative-timestamps=ns"},
		{"--timestamps=unix,s", "--syscall-times=s", "--relative-timestamps=s"},
		{"-n", "--strings-in-hex=non-ascii-chars"},
		{"--syscall-number", "-ttt", "--syscall-times=ns"},
	} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			s, e := traceBoth(t, dir, append(opts, "-e", "trace=write,exit_group"), "printf", `a\001b\3771\n`)
			if !strings.Contains(s, `write(1, "a`) {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if ds, de := digit.ReplaceAllString(s, "N"), digit.ReplaceAllString(e, "N"); ds != de {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
			if opts[0] == "-n" && s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
		})
	}
	eproc, _ := traceTools(t)
	out, err := exec.Command(eproc, "trace", "--syscall-times=xs", "true").CombinedOutput()
	if !strings.Contains(string(out), "invalid --syscall-times argument: 'xs'") || err == nil {
		t.Errorf("--syscall-times=xs: %v, %q", err, out)
	}
}

// TestTraceOutputSeparately: -ff -o FILE and --follow-forks
// --output-separately write each process's lines to FILE.PID, as strace
// does (eproc's hang-up line goes to FILE).
func TestTraceOutputSeparately(t *testing.T) {
	eBin, sBin := traceTools(t)
	for _, ff := range [][]string{{"-ff"}, {"--follow-forks", "--output-separately"}} {
		var got [2][]string
		for i, tr := range [][]string{{sBin}, {eBin, "trace"}} {
			dir := t.TempDir()
			argv := append(append(append(tr, ff...), "-o", filepath.Join(dir, "log"), "-e", "trace=exit_group,execve"),
				"sh", "-c", "/bin/true; exit 3")
			if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil && !strings.Contains(err.Error(), "exit status 3") {
				t.Fatalf("%v: %v\n%s", argv, err, out)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "log.*"))
			// By pid: the child's is the larger (no wrap in a test).
			sort.Slice(files, func(a, b int) bool {
				return len(files[a]) < len(files[b]) || len(files[a]) == len(files[b]) && files[a] < files[b]
			})
			for _, f := range files {
				b, _ := os.ReadFile(f)
				got[i] = append(got[i], normTrace(string(b)))
			}
		}
		if strings.Join(got[0], "\n--\n") != strings.Join(got[1], "\n--\n") || len(got[0]) != 2 {
			t.Errorf("%v: eproc trace's files:\n%s\nstrace's:\n%s", ff, strings.Join(got[1], "\n--\n"), strings.Join(got[0], "\n--\n"))
		}
	}
}
