package main

import (
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestCommandTimerSlack: eproc's threads sleep with timerSlack, and the
// command eproc trace starts (directly, or through -e inject='s shim) runs
// with the timer slack eproc was started with, as it would untraced: a
// process inherits its forking thread's slack and keeps it through execve.
func TestCommandTimerSlack(t *testing.T) {
	eBin, _ := traceTools(t)
	// eproc starts from this thread, with a slack of its own.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const mine = 123000
	old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Prctl(unix.PR_SET_TIMERSLACK, mine, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	defer unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0)
	for _, opts := range [][]string{nil, {"-e", "inject=getpid:retval=1"}} {
		args := append(append([]string{"trace", "--no-daemon", "-o", "/dev/null"}, opts...), "--", "cat", "/proc/self/timerslack_ns")
		out, err := exec.Command(eBin, args...).Output()
		if err != nil {
			t.Fatalf("eproc %v: %v", args, err)
		}
		if got, _ := strconv.Atoi(strings.TrimSpace(string(out))); got != mine {
			t.Errorf("eproc %v: the command's timer slack is %d ns, want %d (eproc's start)", args, got, mine)
		}
	}
	if timerSlack == mine {
		t.Fatal("timerSlack equals the test's slack: the test tells nothing")
	}
}
