package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHandoffPidns: eproc trace run by `unshare -Urpf` (pid 1 of a pid
// namespace, in a user namespace: it cannot load BPF programs there)
// hands its session to eproc mount, which prints pids as the client's
// namespace numbers them, as strace run the same way prints them: each
// line's pid, and --pidns-translation's comment beside the pid of a
// process in a namespace the command made ("1 /* N in strace's PID NS
// */", N the line's own pid). The outer shell writes its $$, which its
// lines' pid must be.
func TestHandoffPidns(t *testing.T) {
	eproc, sock, _ := handoffDaemon(t)
	if err := exec.Command("unshare", "-Urpf", "true").Run(); err != nil {
		t.Skipf("unshare -Urpf: %v", err)
	}
	_, sBin := traceTools(t)
	dir := t.TempDir()
	script := `echo $$ >outer; kill -0 $$; unshare -Urpf /bin/sh -c 'kill -0 $$'`
	opts := []string{"-f", "--pidns-translation", "-e", "trace=kill", "-e", "signal=none"}
	var texts [2]string
	var stderr string
	for i, tr := range [][]string{{sBin}, {"env", "EPROC_TRACE_SOCKET=" + sock, "EPROC_STARTUP_TRACE=1", eproc, "trace"}} {
		out := filepath.Join(dir, []string{"strace", "eproc"}[i])
		argv := append(append(append([]string{"unshare", "-Urpf"}, tr...), opts...), "-o", out, "/bin/sh", "-c", script)
		run := runTracer(t, dir, out, argv...)
		if run.status.ExitStatus() != 0 {
			t.Fatalf("%q: %v\n%s", argv, run.status, run.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		texts[i], _, _ = strings.Cut(string(b), "Traced ~")
		stderr = run.stderr
	}
	if !strings.Contains(stderr, "eproc: startup: handoff: ready") {
		t.Fatalf("not traced through the daemon: stderr\n%s", stderr)
	}
	outer, err := os.ReadFile(filepath.Join(dir, "outer"))
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(outer))
	e := texts[1]
	if want := regexp.MustCompile(`(?m)^` + pid + ` +kill\(` + pid + `, 0\) += 0$`); !want.MatchString(e) {
		t.Errorf("no line of the outer shell (pid %s in the namespace) killing itself:\n%s", pid, e)
	}
	if inner := regexp.MustCompile(`(?m)^(\d+) +kill\(1 /\* (\d+) in strace's PID NS \*/, 0\) += 0$`).FindStringSubmatch(e); inner == nil || inner[1] != inner[2] {
		t.Errorf("no line of the inner shell (pid 1 of its namespace) killing itself with its pid in the tracer's:\n%s", e)
	}
	// eproc trace's Go threads take pids too: the processes' pids are
	// compared by their order (and the prefix's padding, by their width).
	norm := func(text string) string {
		return regexp.MustCompile(`(?m)^(P\d+) +`).ReplaceAllString(normCommPids(text), "$1 ")
	}
	if s, e := norm(texts[0]), norm(e); s != e {
		t.Errorf("eproc trace through the daemon:\n%s\nstrace:\n%s", e, s)
	}
}

// TestHandoffUserNsRefused: a client in a user namespace of its own is root
// there, with every capability, but the kernel would not let it ptrace a
// process outside the namespace: the daemon refuses it -p of one (here
// root's own, which its uid alone would allow), and serves it its own
// command.
func TestHandoffUserNsRefused(t *testing.T) {
	eproc, sock, _ := handoffDaemon(t)
	if err := exec.Command("unshare", "-Ur", "true").Run(); err != nil {
		t.Skipf("unshare -Ur: %v", err)
	}
	sleep := exec.Command("sleep", "30")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleep.Process.Kill(); sleep.Wait() }()
	dir := t.TempDir()
	env := []string{"env", "EPROC_TRACE_SOCKET=" + sock, "EPROC_STARTUP_TRACE=1"}
	out := filepath.Join(dir, "out")
	p := append(append([]string{"unshare", "-Ur"}, env...), eproc, "trace", "-o", out, "-p", strconv.Itoa(sleep.Process.Pid))
	run := runTracer(t, dir, out, p...)
	if run.status.ExitStatus() != 1 || !strings.Contains(run.stderr, "operation not permitted") {
		t.Errorf("-p of a process outside the client's user namespace: %v, stderr\n%s", run.status, run.stderr)
	}
	own := append(append([]string{"unshare", "-Ur"}, env...), eproc, "trace", "-o", out, "-e", "trace=kill", "/bin/sh", "-c", "kill -0 $$")
	run = runTracer(t, dir, out, own...)
	text, _ := os.ReadFile(out)
	if run.status.ExitStatus() != 0 || !strings.Contains(run.stderr, "handoff: ready") || !regexp.MustCompile(`kill\(\d+, 0\) += 0`).Match(text) {
		t.Errorf("the client's own command: %v, stderr\n%s\ntrace\n%s", run.status, run.stderr, text)
	}
}

// TestHandoffDeclinesSeparate: -ff's files are opened as threads come, by
// whoever traces: the daemon would open them with its rights, where the
// client says. It declines, and eproc trace does not ask.
func TestHandoffDeclinesSeparate(t *testing.T) {
	args := []string{"-ff", "-o", "/nonexistent/out", "true"}
	s := &traceServer{}
	if _, why := s.check(handoffRequest{Version: handoffVersion, Args: args, Spawn: true}, nil); why == "" {
		t.Errorf("the daemon serves %q", args)
	}
	o, err := parseTrace(args)
	if err != nil {
		t.Fatal(err)
	}
	if o.handoffLocal() == "" {
		t.Errorf("eproc trace %q asks the daemon", args)
	}
}

// TestHandoffPidnsInject: -e inject= through the daemon, from inside a
// user and pid namespace: eproc trace starts the command and answers its
// calls, the daemon traces it from its execve and says which calls were
// injected, as strace run the same way does.
func TestHandoffPidnsInject(t *testing.T) {
	eproc, sock, _ := handoffDaemon(t)
	if err := exec.Command("unshare", "-Urpf", "true").Run(); err != nil {
		t.Skipf("unshare -Urpf: %v", err)
	}
	_, sBin := traceTools(t)
	dir := t.TempDir()
	script := `kill -0 $$; kill -0 $$ 2>/dev/null; unshare -Urpf /bin/sh -c 'kill -0 $$; kill -0 $$' 2>/dev/null; exit 0`
	opts := []string{"-f", "--pidns-translation", "-e", "trace=kill", "-e", "signal=none", "-e", "inject=kill:error=EPERM:when=2"}
	var texts [2]string
	for i, tr := range [][]string{{sBin}, {"env", "EPROC_TRACE_SOCKET=" + sock, "EPROC_STARTUP_TRACE=1", eproc, "trace"}} {
		out := filepath.Join(dir, []string{"strace", "eproc"}[i])
		argv := append(append(append([]string{"unshare", "-Urpf"}, tr...), opts...), "-o", out, "/bin/sh", "-c", script)
		run := runTracer(t, dir, out, argv...)
		if run.status.ExitStatus() != 0 {
			t.Fatalf("%q: %v\n%s", argv, run.status, run.stderr)
		}
		if i == 1 && !strings.Contains(run.stderr, "eproc: startup: handoff: ready") {
			t.Fatalf("not traced through the daemon: stderr\n%s", run.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		texts[i], _, _ = strings.Cut(string(b), "Traced ~")
	}
	norm := func(text string) string {
		return regexp.MustCompile(`(?m)^(P\d+) +`).ReplaceAllString(normCommPids(text), "$1 ")
	}
	s, e := norm(texts[0]), norm(texts[1])
	if strings.Count(s, "(INJECTED)") != 2 {
		t.Fatalf("strace injected not twice:\n%s", s)
	}
	if s != e {
		t.Errorf("eproc trace through the daemon:\n%s\nstrace:\n%s", e, s)
	}
}
