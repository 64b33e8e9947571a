package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTraceInject: -e inject= and -e fault= against strace's own, on the
// same command: injected errors and return values with "(INJECTED)",
// when= counting each thread's calls, a signal before a call, a fault's
// default ENOSYS.
func TestTraceInject(t *testing.T) {
	dir := t.TempDir()
	script := `cat /etc/hostname /etc/hostname >/dev/null 2>&1; uname -s >/dev/null; kill -0 $$; exit 0`
	for _, opts := range [][]string{
		{"-e", "inject=getpid:retval=42", "-e", "inject=getppid:error=EPERM"},
		{"-e", "fault=openat:when=3+"},
		{"-e", "inject=openat:error=EACCES:when=2..3", "-e", "inject=uname:retval=0"},
		// A caught signal: it comes as the call returns, after its line.
		// (A fatal one may end the call first under eproc: README.)
		{"--inject=kill:signal=SIGUSR2:error=ESRCH"},
	} {
		name := strings.Join(opts, " ")
		t.Run(name, func(t *testing.T) {
			args := append([]string{"-f", "-qq", "-e", "trace=getpid,getppid,openat,uname,kill"}, opts...)
			sc := script
			if strings.Contains(name, "signal=") {
				sc = `trap "uname -s >/dev/null" USR2; ` + script
			}
			// Without address space randomisation: an injected
			// uname's buffer is never written, and what it holds
			// (left on the stack by ld.so and libc) moves with the
			// stack's random offset, run to run under strace itself
			// ("", "`", "////////////////" in six runs on an AMD EPYC
			// family 25 model 1 machine; always "" on others).
			s, e := traceBothVia(t, dir, []string{"setarch", "-R"}, args, "sh", "-c", sc)
			rawS, rawE := s, e
			// sh's parent is the tracer: a different pid under each. An
			// injected signal comes from the kernel under strace (ptrace
			// sets it at the stop: SI_KERNEL), from tgkill under eproc
			// (SI_TKILL, si_pid eproc's): the kernel lets no process
			// send another a signal that says SI_KERNEL.
			norm := func(x string) string {
				x = reTracerPid.ReplaceAllString(x, "${1}PPID")
				return reInjSig.ReplaceAllString(x, "--- SIGUSR2 {INJECTED} ---")
			}
			s, e = normTraces(s, e)
			s, e = norm(s), norm(e)
			if !strings.Contains(s, "(INJECTED)") && !strings.Contains(s, "--- SIGUSR2") {
				t.Fatalf("strace injected nothing: the oracle is not what the test expects:\n%s", s)
			}
			comparePerPid(t, s, e)
			if t.Failed() {
				// Seen once (a make test run at d0e250a, AMD EPYC, idle):
				// P1's three SIGCHLD lines read si_pid=P2 each after
				// normalization where strace's read P2, P3, P4; not seen
				// in 15 runs of this test alone nor in 30 of its command
				// under eproc trace (three distinct si_pids each time).
				// (The three P2s are normTraces' repair: a line of eproc's
				// that no line of strace's equals takes the first strace
				// line SameLine accepts, and with pids left out every
				// SIGCHLD line is the same; so eproc's own lines differed
				// from strace's before the repair.) The raw traces, for
				// the next time. TestTracePaths failed so once too (a
				// SIGCHLD's si_pid, P2 twice for P2 and P3).
				t.Logf("raw eproc:\n%s\nraw strace:\n%s", rawE, rawS)
			}
		})
	}
}

var (
	reTracerPid = regexp.MustCompile(`(getppid\(\) += )\d+`)
	reInjSig    = regexp.MustCompile(`--- SIGUSR2 \{si_signo=SIGUSR2, si_code=(SI_KERNEL|SI_TKILL, si_pid=[A-Z0-9]+, si_uid=0)\} ---`)
)

// TestParseInject: inject='s and fault='s arguments, and what they refuse.
func TestParseInject(t *testing.T) {
	good := map[string]injectRule{
		"getpid:retval=42":                {retval: 42, hasRet: true, when: injectWhen{1, 0, 1}},
		"openat:error=ENOENT:when=3":      {err: 2, when: injectWhen{3, 0, 0}},
		"read:error=5:when=2+":            {err: 5, when: injectWhen{2, 0, 1}},
		"read:signal=usr1:when=2..6+2":    {signal: 10, when: injectWhen{2, 6, 2}},
		"write:delay_enter=1500:when=4+3": {delay: 1500 * time.Microsecond, when: injectWhen{4, 0, 3}},
	}
	for val, want := range good {
		r, err := parseInject(val, false)
		if err != nil {
			t.Errorf("%q: %v", val, err)
			continue
		}
		got := r
		got.nrs = nil
		if got.err != want.err || got.retval != want.retval || got.hasRet != want.hasRet || got.signal != want.signal ||
			got.delay != want.delay || got.when != want.when || len(r.nrs) != 1 {
			t.Errorf("%q: %+v, want %+v", val, r, want)
		}
	}
	if r, err := parseInject("openat", true); err != nil || r.err != 38 {
		t.Errorf("fault=openat: %+v %v, want ENOSYS", r, err)
	}
	for _, bad := range []string{"getpid", "nosuchcall:error=EPERM", "getpid:error=EWHAT", "getpid:retval=x",
		"getpid:error=EPERM:retval=1", "getpid:retval=1:when=0", "getpid:retval=1:when=5..3", "getpid:delay_exit=10",
		"getpid:syscall=getppid", "getpid:retval=1:bogus=2", "getpid:signal=SIGNOPE"} {
		if _, err := parseInject(bad, false); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	if _, err := parseInject("getpid:retval=1", true); err == nil {
		t.Error("fault= took retval=")
	}
	w := injectWhen{2, 6, 2}
	for n, want := range map[uint64]bool{1: false, 2: true, 3: false, 4: true, 6: true, 8: false} {
		if w.matches(n) != want {
			t.Errorf("when=2..6+2, call %d: %v", n, !want)
		}
	}
	if _, err := parseTrace([]string{"-e", "inject=getpid:retval=1", "-p", "1"}); err == nil {
		t.Error("-e inject= with -p accepted")
	}
}

// TestTraceInjectLatency: an injected call never enters the kernel's
// syscall path (the seccomp filter answers it first), so its entry time is
// unknown: -T shows 0, not the time since the last call of the same number
// (the entry times' slot is used once).
func TestTraceInjectLatency(t *testing.T) {
	eBin, _ := traceTools(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	// umask, 0.2 s or more of work without a call (strace shows none),
	// umask injected.
	script := "import os\nos.umask(0o22)\nfor i in range(3000000): pass\nos.umask(0o22)\n"
	runTracer(t, dir, out, eBin, "trace", "-T", "-e", "trace=umask", "-e", "inject=umask:retval=18:when=2", "-o", out, "python3", "-c", script)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`umask\(022\) += 022 \(INJECTED\) <(\d+\.\d+)>`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no injected umask line:\n%s", b)
	}
	if lat, _ := strconv.ParseFloat(m[1], 64); lat > 0.05 {
		t.Errorf("the injected call's latency is %s s: the previous umask's entry time:\n%s", m[1], b)
	}
}

// TestInjectShimEnv: the shim runs with the Go runtime's asynchronous
// preemption off (its SIGURGs would outlive the execve into the command's
// trace), and the command gets exactly its own environment back, GODEBUG
// included, set or not; end to end, env run through -e inject= prints
// what env run alone prints.
func TestInjectShimEnv(t *testing.T) {
	for _, env := range [][]string{
		{"A=1", "B=2"},
		{"A=1", "GODEBUG=madvdontneed=1", "B=2"},
		{"GODEBUG="},
	} {
		sh := shimEnv(env)
		var godebug string
		for _, kv := range sh {
			if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
				godebug = v
			}
		}
		if !strings.Contains(godebug, "asyncpreemptoff=1") {
			t.Errorf("%q: the shim's GODEBUG is %q", env, godebug)
		}
		back := commandEnv(sh)
		sort.Strings(back)
		want := append([]string(nil), env...)
		sort.Strings(want)
		if strings.Join(back, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q: the command's environment is %q", env, back)
		}
	}
	bin, _ := traceTools(t)
	dir := t.TempDir()
	alone, err := exec.Command("env").Output()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "env.out")
	cmd := exec.Command(bin, "trace", "--no-daemon", "-o", filepath.Join(dir, "trace"), "-e", "trace=getpid", "-e", "inject=getpid:retval=1", "--", "sh", "-c", "env > "+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	traced, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	clean := func(b []byte) string {
		var keep []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "_=") && !strings.HasPrefix(l, "SHLVL=") && !strings.HasPrefix(l, "PWD=") && !strings.HasPrefix(l, "OLDPWD=") {
				keep = append(keep, l)
			}
		}
		sort.Strings(keep)
		return strings.Join(keep, "\n")
	}
	if clean(traced) != clean(alone) {
		t.Errorf("the command's environment under inject= is not eproc's:\n%s\nwant:\n%s", clean(traced), clean(alone))
	}
}
