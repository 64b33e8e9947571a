package main

// strace's -q, -qq, -qqq and -e quiet=SET (--quiet=SET) against strace.

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTraceQuiet: -qq, -qqq, --quiet=exit and -e quiet=exits leave out
// "+++ exited with N +++" (not "+++ killed by ... +++"), -q and
// --quiet=attach do not, -e quiet=!exit does not, as strace does.
func TestTraceQuiet(t *testing.T) {
	dir := t.TempDir()
	script := `sleep 10 & sleep 0.1; kill -9 $!; wait; (exit 3); true`
	filter := "trace=exit_group,kill"
	for _, opts := range [][]string{
		{"-q"}, {"-qq"}, {"-q", "-q", "-q"}, {"--quiet"}, {"--quiet=exit,personality"},
		{"-e", "quiet=exits"}, {"-e", "quiet=!exit"}, {"--silent=all"}, {"--quiet=none"},
	} {
		name := strings.Join(opts, " ")
		t.Run(name, func(t *testing.T) {
			s, e := traceBoth(t, dir, append([]string{"-f", "-e", filter}, opts...), "sh", "-c", script)
			s, e = normTraces(s, e)
			if !strings.Contains(s, "+++ killed by SIGKILL +++") || !strings.Contains(s, "kill(P2, SIGKILL)") {
				t.Fatalf("strace's trace is not the oracle expected:\n%s", s)
			}
			comparePerPid(t, s, e)
		})
	}
	eproc, _ := traceTools(t)
	for _, opts := range [][]string{{"-e", "quiet=bogus"}, {"-q", "--quiet=exit"}, {"--quiet=attach", "-qq"}} {
		out, err := exec.Command(eproc, append(append([]string{"trace"}, opts...), "true")...).CombinedOutput()
		want := "invalid quiet 'bogus'"
		if opts[0] != "-e" {
			want = "-q and -e quiet/--quiet cannot be provided simultaneously"
		}
		if !strings.Contains(string(out), want) || err == nil {
			t.Errorf("%v: %v, %q", opts, err, out)
		}
	}
}

// TestTraceQuietAttach: with -q (or --quiet=attach), -p says nothing of
// attaching and detaching on standard error, as strace says nothing.
func TestTraceQuietAttach(t *testing.T) {
	eproc, strace := traceTools(t)
	sleeper := exec.Command("sleep", "1000")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	pid := strconv.Itoa(sleeper.Process.Pid)
	for _, q := range []string{"-q", "--quiet=attach"} {
		var errs [2]string
		for i, argv := range [][]string{{strace}, {eproc, "trace"}} {
			cmd := exec.Command(argv[0], append(argv[1:], q, "-o", os.DevNull, "-p", pid)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Second) // attached by now (eproc's programs load in ~0.4 s)
			cmd.Process.Signal(syscall.SIGINT)
			cmd.Wait()
			errs[i] = stderr.String()
		}
		if errs[0] != "" {
			t.Fatalf("strace %s -p: stderr %q: not the oracle expected", q, errs[0])
		}
		if errs[1] != "" {
			t.Errorf("eproc trace %s -p: stderr %q, want none", q, errs[1])
		}
	}
}
