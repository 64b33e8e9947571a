package main

// strace's output options (-r, -z, -Z, -e status=, -e signal=,
// --decode-pids=comm) against strace: both tracers get the same options on
// the same small program, and their lines are compared once what differs
// from run to run (pids, addresses, times) is normalized.

import (
	"fmt"
	"github.com/eproc/eproc/loader"
	"github.com/eproc/eproc/strace/stracetest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// traceBoth runs strace and eproc trace with opts, -o FILE and argv in dir,
// and returns their traces (eproc's without its hang-up line).
func traceBoth(t *testing.T, dir string, opts []string, argv ...string) (strace, eproc string) {
	t.Helper()
	return traceBothVia(t, dir, nil, opts, argv...)
}

// traceBothVia is traceBoth with each tracer started by the command
// prefix (e.g. setarch -R: the tracer and what it traces without address
// space randomisation).
func traceBothVia(t *testing.T, dir string, prefix, opts []string, argv ...string) (strace, eproc string) {
	t.Helper()
	eBin, sBin := traceTools(t)
	var outs [2]string
	for i, tr := range [][]string{{sBin}, {eBin, "trace"}} {
		out := filepath.Join(dir, strconv.Itoa(i)+".out")
		cmd := append(append(append(append(append([]string(nil), prefix...), tr...), opts...), "-o", out), argv...)
		runTracer(t, dir, out, cmd...)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		text, _, _ := strings.Cut(string(b), "Traced ~")
		outs[i] = text
	}
	return outs[0], outs[1]
}

var (
	reLinePid  = regexp.MustCompile(`(?m)^(\d+) +`)
	reAddr     = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	reLatency  = regexp.MustCompile(`(?m) <\d+\.\d{6}>$`)
	reChildCPU = regexp.MustCompile(`si_(utime|stime)=\d+( /\* [0-9.]+ s \*/)?`)
	reChildPid = regexp.MustCompile(`(si_pid=|(?:wait4|rt_sigreturn)\(.*\) += )\d+`)
	// -r's field at a line's start (after -f -o's pid), alone or after
	// -t's time: "%6d.%06d " or "TIME (+%6d.%06d) ".
	reRel = regexp.MustCompile(`(?m)^((?:\d{5,}|\d{4} |\d{3}  |\d\d   |\d    ) )?(?:(\d\d:\d\d:\d\d(?:\.\d{6})?|\d{9,}\.\d{6}) \(\+( *\d+\.\d{6})\)|( *\d+\.\d{6})) `)
)

// taskNames names the pids of -f -o's prefix P1, P2... in the order the
// processes were created in (creationOrder).
func taskNames(text string) stracetest.Tasks {
	tasks := stracetest.Tasks{}
	var pids []int
	for _, m := range reLinePid.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		if _, ok := tasks[n]; !ok {
			tasks[n] = ""
			pids = append(pids, n)
		}
	}
	creationOrder(pids)
	for i, pid := range pids {
		tasks[pid] = "P" + strconv.Itoa(i+1)
	}
	return tasks
}

// creationOrder sorts the pids of one trace in the order their processes
// were created: by value, unless the pid counter wrapped among them
// (pid_max is 32768 on some machines, and the suite makes processes by
// the ten thousand: a child got a smaller pid than its shell, was named
// P1, and the oracle check failed); then from the first pid after the
// widest gap between them, the processes of one trace being made close
// together.
func creationOrder(pids []int) {
	sort.Ints(pids)
	if len(pids) < 2 {
		return
	}
	at, widest := 0, pids[0]+pidMax()-pids[len(pids)-1] // across the wrap
	for i := 1; i < len(pids); i++ {
		if g := pids[i] - pids[i-1]; g > widest {
			at, widest = i, g
		}
	}
	rotated := append(append([]int(nil), pids[at:]...), pids[:at]...)
	copy(pids, rotated)
}

// pidMax is the kernel's pid_max (PID_MAX_LIMIT when it cannot be read).
func pidMax() int {
	if b, err := os.ReadFile("/proc/sys/kernel/pid_max"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			return n
		}
	}
	return 1 << 22
}

// normPids writes the names of tasks wherever their pids appear.
func normPids(text string, tasks stracetest.Tasks) string {
	for pid, name := range tasks {
		re := regexp.MustCompile(`\b` + strconv.Itoa(pid) + `\b`)
		text = re.ReplaceAllString(text, name)
	}
	// A line is aligned by its own length, which its pids' digits change
	// from run to run (pid_max is 32768 on some machines: one tracer's
	// run gets 31xxx, the other's 4xx after the wrap): on a line that held
	// a pid, the padding before " = " is one blank.
	lines := strings.Split(text, "\n")
	for k, l := range lines {
		if reNormPid.MatchString(l) {
			lines[k] = rePadResult.ReplaceAllString(l, " =${1}")
		}
	}
	return strings.Join(lines, "\n")
}

var (
	reNormPid   = regexp.MustCompile(`\bP\d+\b`)
	rePadResult = regexp.MustCompile(`  +=( |$)`)
)

// normRel replaces -r's fields (and -t's times) with REL (CLOCK REL) after
// checking their format, and returns their values in seconds; bad lists
// the fields whose format is not strace's.
func normRel(text string) (norm string, rels []float64, bad []string) {
	norm = reRel.ReplaceAllStringFunc(text, func(f string) string {
		m := reRel.FindStringSubmatch(f)
		field := m[3] + m[4]
		sec, _, _ := strings.Cut(strings.TrimLeft(field, " "), ".")
		if len(field) != max(6, len(sec))+7 {
			bad = append(bad, f)
		}
		v, _ := strconv.ParseFloat(strings.TrimSpace(field), 64)
		rels = append(rels, v)
		if m[2] != "" {
			return m[1] + "CLOCK (+REL) "
		}
		return m[1] + "REL "
	})
	return norm, rels, bad
}

// sleepGap adds up the -r fields of the lines after the one that writes
// "a" up to the one that writes "b": the time between those two lines,
// which the script's 0.1 s sleep lies in. Which line tells most of it
// depends on when the shell reached wait4 after forking sleep (its clone
// is filtered out): strace's own trace once put 0.019 s on wait4 and
// 0.086 s on the SIGCHLD.
func sleepGap(text string) (sum float64, ok bool) {
	in := false
	for _, l := range strings.Split(text, "\n") {
		if in {
			if m := reRel.FindStringSubmatch(l); m != nil {
				v, _ := strconv.ParseFloat(strings.TrimSpace(m[3]+m[4]), 64)
				sum += v
			}
			if strings.Contains(l, `write(1, "b\n"`) {
				return sum, true
			}
		} else if strings.Contains(l, `write(1, "a\n"`) {
			in = true
		}
	}
	return sum, false
}

// normTrace is a trace with its run-to-run values normalized.
func normTrace(text string) string {
	return normTraceWith(text, taskNames(text))
}

func normTraceWith(text string, tasks stracetest.Tasks) string {
	text = normPids(text, tasks)
	text = reAddr.ReplaceAllString(text, "ADDR")
	text = reChildCPU.ReplaceAllString(text, "si_$1=N")
	text = reChildPid.ReplaceAllString(text, "${1}PID")
	return reLatency.ReplaceAllString(text, " <LAT>")
}

// normTraces normalizes two runs' traces, s and e, for comparing them.
// Naming every number that equals a pid fails where a pid collides with
// another number, such as pread64(3, ..., 784, 64) = 784 for pid 784 in
// one run only: a line of e that no line of s equals takes the line of s
// it is the same as (stracetest.SameLine).
func normTraces(s, e string) (string, string) {
	ts, te := taskNames(s), taskNames(e)
	ns, ne := normTraceWith(s, ts), normTraceWith(e, te)
	if ns == ne {
		return ns, ne
	}
	sl, el := strings.Split(ns, "\n"), strings.Split(ne, "\n")
	sLit, eLit := strings.Split(normTraceWith(s, nil), "\n"), strings.Split(normTraceWith(e, nil), "\n")
	have := map[string]bool{}
	for _, l := range sl {
		have[l] = true
	}
	for i, l := range el {
		if have[l] {
			continue
		}
		for j := range sLit {
			if stracetest.SameLine(sLit[j], eLit[i], ts, te) {
				el[i] = sl[j]
				break
			}
		}
	}
	return ns, strings.Join(el, "\n")
}

// joinHalves joins each call's `<unfinished ...>` and `<... resumed>`
// lines (-f -o FILE's) and groups the lines by pid, in order: where two
// tracers cut a call differently, the calls are still the same.
func joinHalves(text string) map[string][]string {
	reResumed := regexp.MustCompile(`^<\.\.\. [a-z0-9_]+ resumed>`)
	reRelDone := regexp.MustCompile(`^(REL |CLOCK \(\+REL\) )`)
	rePid := regexp.MustCompile(`^P\d+$`)
	procs := map[string][]string{}
	open := map[string]int{}
	lastOpen := ""
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		pid, rest, _ := strings.Cut(l, " ")
		rest = strings.TrimLeft(rest, " ")
		if i, ok := open[lastOpen]; ok && !rePid.MatchString(pid) {
			// strace 6.1 under a status filter with -f: the rest of a
			// call cut by another process's line, without a pid.
			procs[lastOpen][i] += l
			delete(open, lastOpen)
			continue
		}
		// The resumed half's -r field goes: the call's is its entry's.
		if tail := reRelDone.ReplaceAllString(rest, ""); reResumed.MatchString(tail) {
			rest = tail
		}
		if i, ok := open[pid]; ok && reResumed.MatchString(rest) {
			procs[pid][i] += reResumed.ReplaceAllString(rest, "")
			delete(open, pid)
			continue
		}
		if s, ok := strings.CutSuffix(rest, " <unfinished ...>"); ok {
			rest = s
			open[pid] = len(procs[pid])
			lastOpen = pid
		}
		procs[pid] = append(procs[pid], rest)
	}
	for pid, ls := range procs {
		for i, l := range ls {
			// Joined, the result is one space after the arguments.
			ls[i] = regexp.MustCompile(`\) +=`).ReplaceAllString(l, ") =")
		}
		procs[pid] = ls
	}
	return procs
}

// TestTraceRelative: -r prints strace's "%6d.%06d " of the time since the
// previous line, alone, after -t, -tt or -ttt's time as "(+%6d.%06d)",
// with -T, and with -f -o FILE after the pid; the first line's is 0, and
// the fields between the writes around a 0.1 s sleep add up to it
// (0.09-2 s), in both tracers.
func TestTraceRelative(t *testing.T) {
	dir := t.TempDir()
	script := "echo a; sleep 0.1; echo b"
	filter := "trace=wait4,clock_nanosleep,write,exit_group"
	for _, opts := range [][]string{{"-r"}, {"-r", "-t"}, {"-tt", "-r"}, {"-r", "-ttt"}, {"-r", "-T"}, {"-f", "-r"}} {
		name := strings.Join(opts, " ")
		t.Run(name, func(t *testing.T) {
			s, e := traceBoth(t, dir, append(opts, "-e", filter), "sh", "-c", script)
			var texts [2]string
			for i, text := range []string{s, e} {
				norm, rels, bad := normRel(text)
				norm = normTrace(norm)
				if len(bad) > 0 {
					t.Errorf("tracer %d: fields not in strace's format: %q", i, bad)
				}
				if len(rels) < 6 || rels[0] != 0 {
					t.Errorf("tracer %d: -r fields %v: want 6 at least, the first 0:\n%s", i, rels, text)
				}
				if gap, ok := sleepGap(text); !ok || gap < 0.09 || gap >= 2 {
					t.Errorf("tracer %d: the -r fields from the first write to the second add up to %.6f s, not the sleep's 0.09-2 s:\n%s", i, gap, text)
				}
				texts[i] = norm
			}
			if !strings.Contains(texts[0], "+++ exited with 0 +++") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if opts[0] == "-f" {
				comparePerPid(t, texts[0], texts[1])
			} else if texts[0] != texts[1] {
				t.Errorf("eproc trace %s:\n%s\nstrace %s:\n%s", name, texts[1], name, texts[0])
			}
		})
	}
}

// comparePerPid compares two -f -o traces' lines process by process (the
// order of lines of different processes is the scheduler's), halves of
// calls joined.
func comparePerPid(t *testing.T, s, e string) {
	t.Helper()
	sp, ep := pollsOut(joinHalves(s)), pollsOut(joinHalves(e))
	for pid := range sp {
		if strings.Join(sp[pid], "\n") != strings.Join(ep[pid], "\n") {
			t.Errorf("%s: eproc:\n%s\nstrace:\n%s", pid, strings.Join(ep[pid], "\n"), strings.Join(sp[pid], "\n"))
		}
	}
	if len(sp) != len(ep) {
		t.Errorf("eproc traced %d processes, strace %d:\n%s\nstrace:\n%s", len(ep), len(sp), e, s)
	}
}

// pollsOut takes out of joined lines wait4's polls (WNOHANG): how many a
// shell makes, and what each returns, is the scheduler's; and moves SIGCHLD
// lines to the end: whether one comes before or after a call is too.
func pollsOut(procs map[string][]string) map[string][]string {
	rePoll := regexp.MustCompile(`^wait4\(-1, ADDR, WNOHANG, NULL\) += `)
	for pid, ls := range procs {
		var kept, chld []string
		for _, l := range ls {
			if strings.HasPrefix(l, "--- SIGCHLD ") {
				chld = append(chld, l)
			} else if !rePoll.MatchString(l) {
				kept = append(kept, l)
			}
		}
		sort.Strings(chld)
		procs[pid] = append(kept, chld...)
	}
	return procs
}

// TestTraceStatus: -z, -Z, their long names and -e status=SET print the
// calls strace prints: those that succeeded, failed, never returned
// (exit_group; a sleep killed in its call, "<unfinished ...>) = ?"), each
// whole at its end (no unfinished and resumed halves: a call that blocked
// is printed when it returns), signals and exits always.
func TestTraceStatus(t *testing.T) {
	dir := t.TempDir()
	script := `trap "" USR1; cat /nonexistent; sleep 10 & sleep 0.2; kill -9 $!; wait; kill -USR1 $$`
	filter := "trace=openat,write,wait4,clock_nanosleep,exit_group,kill"
	for _, opts := range [][]string{
		{"-z"}, {"-Z"}, {"--successful-only"}, {"--failed-only"}, {"-e", "status=unfinished"},
		{"-e", "status=!successful"}, {"-e", "status=none"}, {"-e", "status=Failed,unfinished"},
		{"-e", "status=all"}, {"-Z", "-e", "status=successful"},
	} {
		name := strings.Join(opts, " ")
		t.Run(name, func(t *testing.T) {
			s, e := traceBoth(t, dir, append([]string{"-f", "-e", filter}, opts...), "sh", "-c", script)
			s, e = normTraces(s, e)
			if !strings.Contains(s, "+++ killed by SIGKILL +++") || !strings.Contains(s, "--- SIGUSR1 ") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if name != "-e status=all" && strings.Contains(e, "resumed>") {
				t.Errorf("a resumed line under a status filter:\n%s", e)
			}
			comparePerPid(t, s, e)
		})
	}
	t.Run("-z without -f", func(t *testing.T) {
		s, e := traceBoth(t, dir, []string{"-z", "-e", filter}, "sh", "-c", "cat /nonexistent; sleep 0.1")
		s, e = normTraces(s, e)
		// Where a child's SIGCHLD falls among the shell's calls is the
		// scheduler's: the calls in order, the signals as a set.
		sc, ss := splitSignals(s)
		ec, es := splitSignals(e)
		if sc != ec || ss != es || !strings.Contains(s, "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = PID") {
			t.Errorf("eproc trace -z:\n%s\nstrace -z:\n%s", e, s)
		}
	})
}

// splitSignals returns a trace's lines without its signal lines, and those
// sorted.
func splitSignals(text string) (calls, signals string) {
	var c, sg []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "--- SIG") {
			sg = append(sg, l)
		} else {
			c = append(c, l)
		}
	}
	sort.Strings(sg)
	return strings.Join(c, "\n"), strings.Join(sg, "\n")
}

// TestTraceSignals: -e signal=SET prints the "--- SIG... ---" lines of the
// signals strace prints them for: names with or without SIG, any case,
// numbers, all, none, ! to negate. Calls and exits are printed as ever.
func TestTraceSignals(t *testing.T) {
	dir := t.TempDir()
	script := `trap "" USR1 USR2; /bin/true; kill -USR1 $$; kill -USR2 $$`
	for _, set := range []string{"USR1", "!SIGCHLD", "10,17", "none", "all", "!usr1", "sigusr2,RTMIN", "!none"} {
		t.Run(set, func(t *testing.T) {
			s, e := traceBoth(t, dir, []string{"-f", "-e", "trace=kill", "-e", "signal=" + set}, "sh", "-c", script)
			s, e = normTraces(s, e)
			if !strings.Contains(s, "kill(P1, SIGUSR2)") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			comparePerPid(t, s, e)
		})
	}
	eproc, _ := traceTools(t)
	out, err := exec.Command(eproc, "trace", "-e", "signal=bogus", "true").CombinedOutput()
	if !strings.Contains(string(out), "invalid signal 'bogus'") || err == nil {
		t.Errorf("-e signal=bogus: %v, %q", err, out)
	}
}

// TestTraceAlign: -a N (and --columns=N) puts results at column N, as
// strace does: -a0 one space after the call, a column past the call's end
// one space too; -a -1 is refused.
func TestTraceAlign(t *testing.T) {
	dir := t.TempDir()
	for _, opts := range [][]string{{"-a", "0"}, {"-a10"}, {"-a", "60"}, {"--columns=52"}} {
		t.Run(strings.Join(opts, ""), func(t *testing.T) {
			s, e := traceBoth(t, dir, opts, "cat", "/etc/hostname")
			// What differs between two runs: the pid, random bytes.
			vol := regexp.MustCompile(`(set_tid_address\(ADDR\) += )\d+|(getrandom\()"[^"]*"`)
			s, e = normTraces(s, e)
			s, e = vol.ReplaceAllString(s, "$1$2"), vol.ReplaceAllString(e, "$1$2")
			if s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
		})
	}
	eproc, _ := traceTools(t)
	out, err := exec.Command(eproc, "trace", "-a", "-1", "true").CombinedOutput()
	if !strings.Contains(string(out), "invalid -a argument: '-1'") || err == nil {
		t.Errorf("-a -1: %v, %q", err, out)
	}
}

// TestTraceConstStyleX: -X raw|abbrev|verbose (and --const-print-style=)
// prints constants and flags as strace does: numbers, names, or both;
// signals and signal sets too, errno names in the result column as ever.
func TestTraceConstStyleX(t *testing.T) {
	dir := t.TempDir()
	vol := regexp.MustCompile(`(set_tid_address\(ADDR\) += )\d+|(getrandom\()"[^"]*"`)
	for _, opts := range [][]string{{"-X", "raw"}, {"-Xverbose"}, {"-X", "abbrev"}, {"--const-print-style=verbose"}, {"--const-print-style", "raw"}} {
		t.Run(strings.Join(opts, ""), func(t *testing.T) {
			s, e := traceBoth(t, dir, opts, "cat", "/etc/hostname", "/nonexistent")
			s, e = normTraces(s, e)
			s, e = vol.ReplaceAllString(s, "$1$2"), vol.ReplaceAllString(e, "$1$2")
			if !strings.Contains(s, "= -1 ENOENT (No such file or directory)") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			if s != e {
				t.Errorf("eproc trace %v:\n%s\nstrace:\n%s", opts, e, s)
			}
			script := `trap "" USR1; kill -USR1 $$; kill -0 $$`
			s, e = traceBoth(t, dir, append(opts, "-f", "-e", "trace=kill,rt_sigprocmask"), "sh", "-c", script)
			s, e = normTraces(s, e)
			if !strings.Contains(s, "kill(P1, ") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			comparePerPid(t, s, e)
		})
	}
	eproc, _ := traceTools(t)
	out, err := exec.Command(eproc, "trace", "-X", "bogus", "true").CombinedOutput()
	if !strings.Contains(string(out), "invalid -X argument: 'bogus'") || err == nil {
		t.Errorf("-X bogus: %v, %q", err, out)
	}
}

// TestTraceResultsInKernel: -z and -Z alone leave the other calls out in
// the kernel (loader's TestResultsFilter checks that it does); any other
// status set, or an option that needs every call, keeps them all.
func TestTraceResultsInKernel(t *testing.T) {
	for args, want := range map[string]loader.Results{
		"-z": loader.OnlySuccessful, "--successful-only": loader.OnlySuccessful,
		"-Z": loader.OnlyFailed, "-e status=failed": loader.OnlyFailed,
		"": loader.AllResults, "-e status=failed,unfinished": loader.AllResults,
		"-e status=all": loader.AllResults, "-Z -c": loader.AllResults, "-Z -y": loader.AllResults,
		"-z -P /etc/passwd": loader.AllResults, "-Z --json": loader.AllResults,
	} {
		o, err := parseTrace(append(strings.Fields(args), "true"))
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if got := o.sessionConfig(nil).Results; got != want {
			t.Errorf("%q: results filter %d, want %d", args, got, want)
		}
	}
}

// TestNormTracesCollision: pid 784 in one run and the loader's 784-byte
// pread64 in both; the pids still compare by name.
func TestNormTracesCollision(t *testing.T) {
	const run = "%d  pread64(3, \"\", 784, 64) = 784\n%[1]d  wait4(-1, NULL, 0, NULL) = %[2]d\n%[2]d exit_group(0) = ?\n"
	s, e := normTraces(fmt.Sprintf(run, 784, 7850), fmt.Sprintf(run, 1200, 12001))
	if s != e {
		t.Errorf("the same trace of two runs differs:\n%s\n%s", s, e)
	}
	s, e = normTraces(fmt.Sprintf(run, 784, 7850), fmt.Sprintf(strings.Replace(run, "= 784", "= 783", 1), 1200, 12001))
	if s == e {
		t.Errorf("a different result compares as the same:\n%s", s)
	}
}

// TestCreationOrder: pids in creation order across a wrap of the pid
// counter, by value otherwise.
func TestCreationOrder(t *testing.T) {
	pidMax := pidMax()
	for _, c := range []struct{ in, want []int }{
		{[]int{305, pidMax - 8, 301, pidMax - 3}, []int{pidMax - 8, pidMax - 3, 301, 305}},
		{[]int{4000, 4005, 4002}, []int{4000, 4002, 4005}},
		{[]int{pidMax - 1, 300}, []int{pidMax - 1, 300}},
		{[]int{7}, []int{7}},
	} {
		got := append([]int(nil), c.in...)
		creationOrder(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("creationOrder(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
