package main

import (
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// byPid is text's lines grouped by their prefix's pid, in order, but a
// shell's wait4 that found no child yet (a race with the child). A call
// cut in two is joined first: a wait4(WNOHANG) cut by the child's
// execve (strace's run, once) ends in its second half, and the whole
// call goes.
func byPid(text string) string {
	var lines []string
	pid := func(l string) string { p, _, _ := strings.Cut(l, "<"); return p }
	open := map[string]int{} // a pid's call cut by another's line: its first half
	resumed := regexp.MustCompile(`^<\.\.\. [a-z0-9_]+ resumed>`)
	for _, l := range strings.Split(text, "\n") {
		if l == "" {
			continue
		}
		// Which calls a tracer cuts depends on the processes' race: join
		// the halves (the second's prefix may name the comm after exec).
		p := pid(l)
		if _, rest, ok := strings.Cut(l, "> "); ok {
			if i, ok := open[p]; ok && resumed.MatchString(rest) {
				lines[i] += resumed.ReplaceAllString(rest, "")
				delete(open, p)
				continue
			}
		}
		if first, ok := strings.CutSuffix(l, " <unfinished ...>"); ok {
			open[p] = len(lines)
			l = first
		}
		lines = append(lines, l)
	}
	// A shell's wait4(WNOHANG) that found nothing, or was not made.
	lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasSuffix(l, "WNOHANG, NULL) = 0") })
	sort.SliceStable(lines, func(i, j int) bool { return pid(lines[i]) < pid(lines[j]) })
	return strings.Join(lines, "\n")
}

// normCommPids names the pids of -f -o -Y's prefix ("1234<sh> ") P1,
// P2... in the order they were created in (creationOrder), wherever they
// appear.
func normCommPids(text string) string {
	seen := map[int]bool{}
	var pids []int
	for _, m := range regexp.MustCompile(`(?m)^(\d+)[< ]`).FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		if !seen[n] {
			seen[n] = true
			pids = append(pids, n)
		}
	}
	creationOrder(pids)
	for i, pid := range pids {
		text = regexp.MustCompile(`\b`+strconv.Itoa(pid)+`\b`).ReplaceAllString(text, "P"+strconv.Itoa(i+1))
	}
	return text
}

// TestTracePidsComm: -Y and --decode-pids=comm print the line's pid with
// its comm, and pid arguments and results with theirs, as strace does: a
// shell's kill of itself, its child's exec (the line has the name it
// had before, the exit the new one), SIGCHLD's si_pid (a zombie: its
// name) and the wait that reaps it (no name). The child sleeps so that
// the shell is in its wait when it ends, under either tracer: with a
// child that ended at once, whether SIGCHLD came before the shell's wait4
// or after it had reaped the child (no name then) was a race between the
// two runs (1 failure in ~15). The child's CPU times differ between runs
// (reChildCPU hides them).
func TestTracePidsComm(t *testing.T) {
	dir := t.TempDir()
	for _, opt := range []string{"-Y", "--decode-pids=comm"} {
		t.Run(opt, func(t *testing.T) {
			s, e := traceBoth(t, dir, []string{"-f", opt, "-e", "trace=kill,wait4,execve"},
				"/bin/sh", "-c", "kill -0 $$; /bin/sleep 0.5 & wait; kill -0 $$")
			// The command's first line: strace's comm before the exec,
			// the tracer's own (eproc names the command's, read after).
			first := regexp.MustCompile(`^P1<[^>]*> execve`)
			addr := regexp.MustCompile(`0x[0-9a-f]{6,}`)
			norm := func(text string) string {
				text = first.ReplaceAllString(normCommPids(text), "P1<TRACER> execve")
				return reChildCPU.ReplaceAllString(addr.ReplaceAllString(text, "ADDR"), "si_$1=T")
			}
			// Each process's lines in order (two processes race).
			s, e = byPid(norm(s)), byPid(norm(e))
			if s != e {
				t.Errorf("eproc trace %s:\n%s\nstrace:\n%s", opt, e, s)
			}
		})
	}
}

// TestTracePidsNs: --decode-pids=pidns prints, beside a pid of a process
// in another pid namespace, its pid in the tracer's, as strace does: a
// shell that is pid 1 of a namespace unshare made kills itself.
func TestTracePidsNs(t *testing.T) {
	if err := exec.Command("unshare", "-Urpf", "true").Run(); err != nil {
		t.Skipf("unshare -Urpf: %v", err)
	}
	dir := t.TempDir()
	s, e := traceBoth(t, dir, []string{"-f", "--decode-pids=pidns", "-e", "trace=kill,getppid"},
		"unshare", "-Urpf", "/bin/sh", "-c", "kill -0 $$; exec sleep 0.3")
	// The child's CPU times differ from run to run.
	s, e = reChildCPU.ReplaceAllString(normCommPids(s), "si_$1=T"), reChildCPU.ReplaceAllString(normCommPids(e), "si_$1=T")
	if !strings.Contains(s, "kill(1 /* P2 in strace's PID NS */, 0) = 0") {
		t.Fatalf("strace printed no translation:\n%s", s)
	}
	if s != e {
		t.Errorf("eproc trace:\n%s\nstrace:\n%s", e, s)
	}
}

// TestByPidCutWait: strace's run once cut the shell's wait4(WNOHANG) with
// its child's execve; the halves, joined, are the wait4 that found
// nothing, which goes as a whole one does (make test failed: the first
// half stayed, as a wait4 eproc lacked).
func TestByPidCutWait(t *testing.T) {
	whole := "P1<sh> kill(P1<sh>, 0) = 0\n" +
		"P1<sh> wait4(-1, ADDR, WNOHANG, NULL) = 0\n" +
		"P2<sh> execve(\"/bin/sleep\", [\"/bin/sleep\", \"0.5\"], ADDR /* 46 vars */) = 0\n" +
		"P1<sh> kill(P1<sh>, 0) = 0\n"
	cut := "P1<sh> kill(P1<sh>, 0) = 0\n" +
		"P1<sh> wait4(-1,  <unfinished ...>\n" +
		"P2<sh> execve(\"/bin/sleep\", [\"/bin/sleep\", \"0.5\"], ADDR /* 46 vars */) = 0\n" +
		"P1<sh> <... wait4 resumed>ADDR, WNOHANG, NULL) = 0\n" +
		"P1<sh> kill(P1<sh>, 0) = 0\n"
	a, b := byPid(whole), byPid(cut)
	if a != b {
		t.Errorf("a cut wait4 reads differently:\n%s\nwhole:\n%s", b, a)
	}
	if strings.Contains(a, "wait4") {
		t.Errorf("a wait4(WNOHANG) that found nothing is kept:\n%s", a)
	}
	if !strings.Contains(byPid(strings.Replace(cut, "NULL) = 0", "NULL) = 7", 1)), "wait4(-1, ADDR, WNOHANG, NULL) = 7") {
		t.Errorf("a cut wait4 that reaped a child is not joined")
	}
}
