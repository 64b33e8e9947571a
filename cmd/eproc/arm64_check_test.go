package main

// The arm64 guest test's checks (see arm64_test.go): eproc's two traces of
// the command, `eproc trace -f`'s and the view's, against the guest's
// strace -f, line by line per process once normalized. They take the
// parsed sections, so that TestArm64Checks runs them on made-up results.

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
)

var (
	arm64Random = regexp.MustCompile(`getrandom\("[^"]*"`)
	arm64Ppid   = regexp.MustCompile(`getppid\(\) += \d+`)
	arm64Hangup = regexp.MustCompile(`(?m)^Traced ~(\d+) syscs, Dropped (\d+)\n?`)
	arm64Calls  = regexp.MustCompile(`(?m)^P\d+ +([a-z0-9_]+)\(`)
	arm64Result = regexp.MustCompile(` = \S+$`)
)

// arm64Prep readies a -f -o trace for the comparison (what differs
// between two runs of the command: the random bytes, the tracer's pid as
// the parent's) and returns it with its hang-up line's Dropped count (-1
// without one), the line taken out. The pair is then normalized together
// (normTraces: a size that equals a task id in one run is not named).
func arm64Prep(text string) (prepped string, dropped int) {
	dropped = -1
	if m := arm64Hangup.FindStringSubmatch(text); m != nil {
		dropped, _ = strconv.Atoi(m[2])
		text = arm64Hangup.ReplaceAllString(text, "")
	}
	text = arm64Random.ReplaceAllString(text, `getrandom("RANDOM"`)
	text = arm64Ppid.ReplaceAllString(text, "getppid() = PPID")
	return text, dropped
}

// arm64Compare compares a trace of eproc's (what) with strace's, process
// by process, and checks the calls that only arm64 names as it does are
// there.
func arm64Compare(c *kvmguest.Check, what, eproc, strace string) {
	s, _ := arm64Prep(strace)
	e, dropped := arm64Prep(eproc)
	s, e = normTraces(s, e)
	if dropped != 0 {
		c.Errorf("%s: hang-up line says Dropped %d (-1: none):\n%s", what, dropped, kvmguest.Tail(eproc, 3))
	}
	sp, ep := arm64Sigreturns(pollsOut(joinHalves(s))), arm64Sigreturns(pollsOut(joinHalves(e)))
	var pids []string
	for pid := range sp {
		pids = append(pids, pid)
	}
	sort.Strings(pids)
	same := 0
	for _, pid := range pids {
		if d := arm64Diff(sp[pid], ep[pid]); d != "" {
			c.Errorf("%s: process %s differs from strace's (- strace, + eproc):\n%s", what, pid, d)
		} else {
			same += len(sp[pid])
		}
	}
	if len(sp) != len(ep) {
		c.Errorf("%s: eproc traced %d processes, strace %d", what, len(ep), len(sp))
	}
	c.Logf("%s: %d processes, %d calls alike in both", what, len(sp), same)
	calls := map[string]bool{}
	for _, m := range arm64Calls.FindAllStringSubmatch(e, -1) {
		calls[m[1]] = true
	}
	for _, want := range []string{"execve", "clone", "openat", "newfstatat", "pipe2", "dup3", "ppoll", "mkdirat", "renameat2", "unlinkat", "fadvise64", "wait4", "exit_group"} {
		if !calls[want] {
			c.Errorf("%s: no %s line in eproc's trace", what, want)
		}
	}
	for _, never := range []string{"open", "fork", "vfork", "pipe", "dup2", "poll", "mkdir", "unlink", "rename", "stat", "lstat"} {
		if calls[never] {
			c.Errorf("%s: a %s line in eproc's trace: arm64 has no such call", what, never)
		}
	}
}

// arm64Sigreturns moves each process's rt_sigreturn lines to its end, as
// pollsOut moves the SIGCHLD lines they follow, their results made RET:
// whether the shell's SIGCHLD came before or after its wait4 returned, and
// so what rt_sigreturn restored, is the scheduler's.
func arm64Sigreturns(procs map[string][]string) map[string][]string {
	for pid, ls := range procs {
		var kept, ret []string
		for _, l := range ls {
			if strings.HasPrefix(l, "rt_sigreturn(") {
				ret = append(ret, arm64Result.ReplaceAllString(l, " = RET"))
			} else {
				kept = append(kept, l)
			}
		}
		procs[pid] = append(kept, ret...)
	}
	return procs
}

// arm64Diff returns the first lines where a and b differ, position by
// position, and their lengths if they differ; "" if they are the same.
func arm64Diff(a, b []string) string {
	var out []string
	for i := 0; i < max(len(a), len(b)) && len(out) < 24; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y))
		}
	}
	if len(a) != len(b) {
		out = append(out, fmt.Sprintf("%d lines, eproc's %d", len(a), len(b)))
	}
	return strings.Join(out, "\n")
}

// arm64CheckTrace checks `eproc trace -f`'s trace against strace's.
func arm64CheckTrace(secs map[string]string) *kvmguest.Check {
	c := &kvmguest.Check{}
	s, e := secs["strace"], secs["eproc"]
	if !strings.Contains(s, "+++ exited with 0 +++") || !strings.Contains(secs["strace_out"], "exit=0") {
		c.Errorf("the guest's strace did not trace the command to its end:\n%s\n%s", s, secs["strace_out"])
		return c
	}
	if !strings.Contains(secs["eproc_out"], "exit=0") {
		c.Errorf("eproc trace did not exit 0:\n%s", secs["eproc_out"])
	}
	arm64Compare(c, "eproc trace -f", e, s)
	return c
}

// arm64CheckView checks the view's stream after straceall against strace's
// trace, from the command's exec on: before it, the stream has the shell
// that waited for the reader.
func arm64CheckView(secs map[string]string) *kvmguest.Check {
	c := &kvmguest.Check{}
	view, ok := secs["view"]
	if !ok {
		c.Errorf("the view's part did not run (eproc mount not ready?); eproc log:\n%s", secs["eproc_log"])
		return c
	}
	if !strings.Contains(secs["view_out"], "exit=0") || !strings.Contains(secs["view_err"], "cat exit=0") {
		c.Errorf("the command or the reader failed: %s; %s", secs["view_out"], secs["view_err"])
	}
	pid := strings.TrimSpace(secs["view_pid"])
	v := arm64FromExec(view, pid)
	if v == "" {
		c.Errorf("the view's stream has no execve of process %s:\n%s", pid, view)
		return c
	}
	arm64Compare(c, "the view's straceall", v, secs["strace"])
	return c
}

// arm64FromExec returns a -f -o trace from the first successful execve of
// pid on, "" if there is none.
func arm64FromExec(text, pid string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, pid+" ") && strings.Contains(l, " execve(") && strings.HasSuffix(strings.TrimSpace(l), " = 0") {
			return strings.Join(lines[i:], "")
		}
	}
	return ""
}

// TestArm64Checks runs the checks on a real guest's results
// (testdata/arm64/results.txt, from TestArm64Guest in Debian's
// 6.1.0-57-arm64 under TCG): they pass, and they catch a wrong argument
// order, a call arm64 does not have, lost records and a missing part.
func TestArm64Checks(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "arm64", "results.txt"))
	if err != nil {
		t.Fatal(err)
	}
	real := kvmguest.Sections(string(raw))
	for name, check := range map[string]func(map[string]string) *kvmguest.Check{"trace": arm64CheckTrace, "view": arm64CheckView} {
		if c := check(real); len(c.Problems) > 0 {
			t.Errorf("%s: the real results have problems: %q", name, c.Problems)
		}
	}
	bad := []struct {
		name, section, old, new, want string
	}{
		{"x86's clone order", "eproc", "tls=0x7e57, child_tidptr=0x2204b0", "child_tidptr=0x2204b0, tls=0x7e57", "differs from strace's"},
		{"open for openat", "view", `openat(AT_FDCWD, "/proc/self/comm"`, `open("/proc/self/comm"`, "a open line"},
		{"records lost", "eproc", "Dropped 0", "Dropped 3", "Dropped 3"},
		{"no hang-up line", "eproc", "Traced ~320 syscs, Dropped 0\n", "", "Dropped -1"},
		{"a call less", "view", "fadvise64(4, 0, 100, POSIX_FADV_SEQUENTIAL) = 0\n", "", "no fadvise64 line"},
		{"no view", "view", "", "", "did not run"},
	}
	for _, b := range bad {
		secs := maps.Clone(real)
		if b.old == "" {
			delete(secs, b.section)
		} else if !strings.Contains(secs[b.section], b.old) {
			t.Fatalf("%s: section %s has no %q", b.name, b.section, b.old)
		} else {
			secs[b.section] = strings.Replace(secs[b.section], b.old, b.new, 1)
		}
		c := arm64CheckTrace(secs)
		if b.section == "view" {
			c = arm64CheckView(secs)
		}
		if !strings.Contains(strings.Join(c.Problems, "\n"), b.want) {
			t.Errorf("%s: problems %q, want one saying %q", b.name, c.Problems, b.want)
		}
	}
}
