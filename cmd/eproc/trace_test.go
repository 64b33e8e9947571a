package main

// `eproc trace` against strace, run as a user runs them: both tracers get
// the same command line and the same steps, and what a shell would see of
// each (wait status, standard error, the trace's last lines) is compared.

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eproc/eproc/cmd/eproc/internal/kvmguest"
)

var (
	traceBinOnce sync.Once
	traceBin     string
	traceBinErr  error
)

// traceTools builds eproc once per test binary and returns it and strace;
// it skips without root (BPF and attaching need it; never under CI=true)
// or without strace, the oracle.
func traceTools(t *testing.T) (eproc, strace string) {
	t.Helper()
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root for BPF and strace")
	}
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
	return builtEproc(t), "strace" // by name: strace prefixes its messages with its argv[0]
}

// builtEproc builds eproc once per test binary and returns its path.
func builtEproc(t *testing.T) string {
	t.Helper()
	traceBinOnce.Do(func() {
		goTool := kvmguest.GoCommand()
		if goTool == "" {
			traceBinErr = errors.New("no go command on PATH or in GOROOT")
			return
		}
		dir, err := os.MkdirTemp("", "eproc-trace-test-")
		if err != nil {
			traceBinErr = err
			return
		}
		traceBin = filepath.Join(dir, "eproc")
		if out, err := exec.Command(goTool, "build", "-o", traceBin, ".").CombinedOutput(); err != nil {
			traceBinErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if traceBinErr != nil {
		t.Fatal(traceBinErr)
	}
	return traceBin
}

func TestMain(m *testing.M) {
	// eproc trace hands its sessions to a running eproc mount when one
	// answers at $EPROC_TRACE_SOCKET: the tests trace locally unless they
	// start a daemon of their own for it (handoff_test.go), never through
	// a daemon another test or the machine's user runs.
	os.Setenv("EPROC_TRACE_SOCKET", "/nonexistent/eproc-tests/trace.sock")
	code := m.Run()
	if traceBin != "" {
		os.RemoveAll(filepath.Dir(traceBin))
	}
	os.Exit(code)
}

// tracerRun is what a shell sees of one tracer's run.
type tracerRun struct {
	status syscall.WaitStatus
	stderr string
	last   string // the trace's last "+++ ... +++" line
}

// runTracer runs argv in dir with the core-file limit raised when cores go
// to a file (so that "(core dumped)" and a tracer's own core, if it made
// one, show), and returns what a shell would see of it.
func runTracer(t *testing.T, dir, out string, argv ...string) tracerRun {
	t.Helper()
	script := `exec "$@"`
	if b, err := os.ReadFile("/proc/sys/kernel/core_pattern"); err == nil && !bytes.HasPrefix(b, []byte("|")) {
		script = `ulimit -c unlimited 2>/dev/null; exec "$@"`
	}
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, "sh"}, argv...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v", argv[0], err)
	}
	r := tracerRun{status: cmd.ProcessState.Sys().(syscall.WaitStatus), stderr: stderr.String()}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(l, "+++ ") {
			r.last = l
		}
	}
	return r
}

// TestTraceDiesOfSignal: a command killed by a signal, core-dumping or not,
// is died of by the tracer as strace dies of it: the same wait status (the
// signal; no core file of the tracer's own: strace sets its RLIMIT_CORE to
// 0 first, so a shell says 139 for SIGSEGV and no "(core dumped)"),
// nothing on standard error (no Go crash dump: the runtime's own handlers
// for SIGSEGV, SIGBUS, SIGQUIT, SIGABRT must not see the signal), and the
// same "+++ killed by SIG... +++" line.
func TestTraceDiesOfSignal(t *testing.T) {
	eproc, strace := traceTools(t)
	for _, sig := range []string{"SEGV", "ABRT", "QUIT", "BUS", "TERM", "INT", "KILL"} {
		t.Run(sig, func(t *testing.T) {
			dir := t.TempDir()
			script := "kill -" + sig + " $$"
			sOut, eOut := filepath.Join(dir, "strace.out"), filepath.Join(dir, "eproc.out")
			s := runTracer(t, dir, sOut, strace, "-o", sOut, "sh", "-c", script)
			e := runTracer(t, dir, eOut, eproc, "trace", "-o", eOut, "sh", "-c", script)
			if !s.status.Signaled() || !strings.HasPrefix(s.last, "+++ killed by SIG"+sig) {
				t.Fatalf("strace: status %#x, last line %q: not the oracle expected", s.status, s.last)
			}
			if e.status != s.status {
				t.Errorf("eproc: wait status %#x (signaled %v: %v, core %v, exit %d); strace's %#x (%v, core %v)",
					e.status, e.status.Signaled(), e.status.Signal(), e.status.CoreDump(), e.status.ExitStatus(),
					s.status, s.status.Signal(), s.status.CoreDump())
			}
			if e.stderr != s.stderr {
				t.Errorf("eproc: stderr %d bytes, strace's %q:\n%.600s", len(e.stderr), s.stderr, e.stderr)
			}
			if e.last != s.last {
				t.Errorf("eproc: trace ends with %q, strace's with %q", e.last, s.last)
			}
		})
	}
}

// TestTraceAttachDetach: `-p PID` says on standard error when it attaches,
// and when interrupted that it detaches, as strace does, with the
// program's name as the prefix: "eproc trace: " where strace writes
// "strace: ", as eproc trace prefixes all its messages. Interrupted by
// SIGINT or SIGTERM, both tracers then die of that signal; the traced
// process lives on.
func TestTraceAttachDetach(t *testing.T) {
	eproc, strace := traceTools(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			sleeper := exec.Command("sleep", "1000")
			if err := sleeper.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
			pid := strconv.Itoa(sleeper.Process.Pid)
			sErr, sSt := attachRun(t, sig, strace, "-o", os.DevNull, "-p", pid)
			eErr, eSt := attachRun(t, sig, eproc, "trace", "-o", os.DevNull, "-p", pid)
			want := "strace: Process " + pid + " attached\nstrace: Process " + pid + " detached\n"
			if sErr != want {
				t.Fatalf("strace: stderr %q, want %q: not the oracle expected", sErr, want)
			}
			if got := strings.ReplaceAll(sErr, "strace: ", "eproc trace: "); eErr != got {
				t.Errorf("eproc: stderr %q, want %q", eErr, got)
			}
			if eSt != sSt {
				t.Errorf("eproc: wait status %#x, strace's %#x", eSt, sSt)
			}
			if err := sleeper.Process.Signal(syscall.Signal(0)); err != nil {
				t.Errorf("the traced process did not live on: %v", err)
			}
		})
	}
}

// attachRun starts argv, waits for its first line on standard error (the
// attach), interrupts it with sig and returns its standard error and wait
// status.
func attachRun(t *testing.T, sig syscall.Signal, argv ...string) (string, syscall.WaitStatus) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text() + "\n"
		}
	}()
	var stderr strings.Builder
	select {
	case l, ok := <-lines:
		stderr.WriteString(l)
		if !ok {
			t.Errorf("%s ended before saying anything", argv[0])
		}
	case <-time.After(30 * time.Second):
		t.Errorf("%s: no line on stderr in 30s", argv[0])
	}
	cmd.Process.Signal(sig)
	for l := range lines {
		stderr.WriteString(l)
	}
	cmd.Wait()
	return stderr.String(), cmd.ProcessState.Sys().(syscall.WaitStatus)
}

// TestTraceHex: -x and -xx print the same lines as strace's for a command
// that reads and writes text and binary data, opens paths (one with an
// escape byte in it) and gets arguments that are text and binary.
func TestTraceHex(t *testing.T) {
	eproc, strace := traceTools(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "data"), []byte("text\tline\nbin\x01\x7f\x80z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `printf 'hello\tworld\n'; printf 'bin\001\177\200z'; exec cat data "$1" "$2"`
	envp := regexp.MustCompile(`\], 0x[0-9a-f]+ /\*`)
	pid := regexp.MustCompile(`(?m)^[0-9]+ `) // -f -o FILE's prefix
	for _, x := range []string{"-x", "-xx", "-fxx"} {
		t.Run(x, func(t *testing.T) {
			var outs [2]string
			for i, tr := range [][]string{{strace}, {eproc, "trace"}} {
				out := filepath.Join(dir, strconv.Itoa(i)+x+".out")
				runTracer(t, dir, out, append(tr, x, "-o", out, "-e", "trace=execve,openat,read,write",
					"sh", "-c", script, "sh", "plain.txt", "es\x1bc.txt")...)
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				text, _, _ := strings.Cut(string(b), "Traced ~") // eproc's hang-up line
				outs[i] = pid.ReplaceAllString(envp.ReplaceAllString(text, "], ENVP /*"), "PID ")
			}
			if !strings.Contains(outs[0], `\x`) || !strings.Contains(outs[0], "+++ exited with 1 +++") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", outs[0])
			}
			if outs[0] != outs[1] {
				t.Errorf("eproc trace %s:\n%s\nstrace %s:\n%s", x, outs[1], x, outs[0])
			}
		})
	}
}
