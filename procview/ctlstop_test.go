package procview

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Plan 9's startsyscall, hang and nohang, done with BPF (loader/stop.go):
// real processes, stopped where the commands say, as /proc shows them.

// spinWrite spins, then writes a byte to its standard output, forever: its
// only calls are those writes.
const spinWrite = `#include <unistd.h>
int main(void) {
	for (;;) {
		for (volatile unsigned long i = 0; i < 20000000; i++)
			;
		write(1, "x", 1);
	}
}
`

// syscallNr is the first field of /proc/PID/syscall: the number of the
// call a stopped process is in, or has just made (the kernel keeps it while
// the process is on its way back to user space).
func syscallNr(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/syscall", pid))
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// stopsGone waits for the view's engine to hold no stop entry and no stop
// program attached.
func stopsGone(t *testing.T, v *View) {
	t.Helper()
	waitFor(t, "no stop entries, programs detached", func() bool {
		n, att := v.eng.StopEntries()
		return n == 0 && !att
	})
}

// callLoop writes a byte to say it is past its start-up, then makes calls
// back to back (getppid), forever.
const callLoop = `#include <unistd.h>
int main(void) {
	write(1, "x", 1); /* past the start-up's calls (prlimit64...) */
	for (;;)
		getppid();
}
`

func TestCtlStartsyscall(t *testing.T) {
	v, m := mount(t)
	wr := buildC(t, writeC)
	spin := startsyscallRunning(t, v, m, wr)
	startsyscallStopped(t, v, m, wr)
	startsyscallBusy(t, v, m, wr)
	spin.Process.Kill()
	spin.Wait()
	stopsGone(t, v)

	// The daemon itself is refused; a dead process is ESRCH.
	if err := writeFile(filepath.Join(m, strconv.Itoa(os.Getpid()), "ctl"), "startsyscall"); !errors.Is(err, syscall.EPERM) {
		t.Errorf("startsyscall on the daemon: %v, want EPERM", err)
	}
}

// startsyscallRunning checks startsyscall on a running process, and start
// after it; it returns the process, running on.
func startsyscallRunning(t *testing.T, v *View, m, wr string) *exec.Cmd {
	// A process that computes, then writes: it stops at its next write,
	// once the write is done.
	out := filepath.Join(t.TempDir(), "out")
	fo, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fo.Close() })
	spin := exec.Command(buildC(t, spinWrite))
	spin.Stdout = fo
	if err := spin.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { spin.Process.Kill(); spin.Wait() })
	pid := spin.Process.Pid
	waitFor(t, "a first write", func() bool { return fileSize(t, out) > 0 })
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	if err := returns(t, writeAsync(wr, ctl, "startsyscall"), "startsyscall"); err != nil {
		t.Fatalf("startsyscall: %v", err)
	}
	if st := procState(pid); st != "T" {
		t.Fatalf("after startsyscall: state %s, want T", st)
	}
	if nr := syscallNr(pid); nr != strconv.Itoa(unix.SYS_WRITE) {
		t.Errorf("stopped at call %q, want write (%d)", nr, unix.SYS_WRITE)
	}
	if v.eng.StopPending(pid) {
		t.Errorf("the stop is still armed after the process stopped")
	}
	n := fileSize(t, out)
	time.Sleep(300 * time.Millisecond)
	if procState(pid) != "T" || fileSize(t, out) != n {
		t.Fatalf("the process ran on: state %s, %d bytes then %d", procState(pid), n, fileSize(t, out))
	}
	// start: it runs on, and is not stopped again.
	if err := writeFile(ctl, "start"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "more writes", func() bool { return fileSize(t, out) > n+1 })
	if st := procState(pid); st != "R" {
		t.Errorf("after start: state %s, want R", st)
	}
	return spin
}

// startsyscallStopped checks startsyscall on a stopped process, and a stop
// armed for a process that dies before its next call.
func startsyscallStopped(t *testing.T, v *View, m, wr string) {
	// A shell stopped (stop) in a loop of sleeps: continued, it stops at
	// its next call (the restart of the wait it was stopped in, or the next
	// fork).
	loop := exec.Command("sh", "-c", "while :; do sleep 0.2; done")
	if err := loop.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loop.Process.Kill(); loop.Wait() })
	lpid := loop.Process.Pid
	lctl := filepath.Join(m, strconv.Itoa(lpid), "ctl")
	waitFor(t, "the shell to sleep", func() bool { return procState(lpid) == "S" })
	if err := writeFile(lctl, "stop"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the shell to stop", func() bool { return procState(lpid) == "T" })
	if err := returns(t, writeAsync(wr, lctl, "startsyscall"), "startsyscall"); err != nil {
		t.Fatalf("startsyscall on a stopped shell: %v", err)
	}
	if st := procState(lpid); st != "T" || v.eng.StopPending(lpid) {
		t.Fatalf("after startsyscall: state %s, armed %v", st, v.eng.StopPending(lpid))
	}

	// Armed, and the process dies before any call: the write ends with
	// ESRCH, the entry goes with the process.
	if err := writeFile(lctl, "start"); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(lctl, "stop"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the shell to stop", func() bool { return procState(lpid) == "T" })
	if err := v.eng.StopAtSyscall(lpid, mustStart(t, lpid)); err != nil {
		t.Fatal(err)
	}
	loop.Process.Kill()
	loop.Wait()
	if v.eng.StopPending(lpid) {
		t.Errorf("the stop of %d is armed after its exit", lpid)
	}
}

func mustStart(t *testing.T, pid int) uint64 {
	t.Helper()
	s, err := startTime(pid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stoppedShell runs script in a shell that first stops itself, and waits
// for the stop.
func stoppedShell(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", "kill -STOP $$; "+script)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, "the shell to stop itself", func() bool { return procState(cmd.Process.Pid) == "T" })
	return cmd
}

func comm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// execStopped waits until pid runs sleep, stopped right after its execve.
func execStopped(t *testing.T, pid int) {
	t.Helper()
	waitFor(t, "sleep, stopped", func() bool { return comm(pid) == "sleep" && procState(pid) == "T" })
	sleep, _ := exec.LookPath("sleep")
	sleep, _ = filepath.EvalSymlinks(sleep)
	if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe != sleep {
		t.Errorf("exe %s, want %s", exe, sleep)
	}
	// Not one call of the new image's yet: the last is the execve.
	if nr := syscallNr(pid); nr != strconv.Itoa(unix.SYS_EXECVE) {
		t.Errorf("stopped at call %q, want execve (%d)", nr, unix.SYS_EXECVE)
	}
	time.Sleep(200 * time.Millisecond)
	if procState(pid) != "T" {
		t.Errorf("the new image ran on: state %s", procState(pid))
	}
}

func TestCtlHang(t *testing.T) {
	v, m := mount(t)

	// hang: the shell's exec stops before sleep runs.
	sh1 := stoppedShell(t, "exec sleep 100")
	pid := sh1.Process.Pid
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	if err := writeFile(ctl, "hang"); err != nil {
		t.Fatalf("hang: %v", err)
	}
	if !v.eng.Hanging(pid) {
		t.Fatalf("hang not set")
	}
	syscall.Kill(pid, syscall.SIGCONT)
	execStopped(t, pid)
	// It stays set (Plan 9's hang bit) until nohang; start runs the image.
	if !v.eng.Hanging(pid) {
		t.Errorf("hang cleared by the exec")
	}
	if err := writeFile(ctl, "start"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sleep to run", func() bool { return procState(pid) == "S" })

	// A process forked after hang inherits it: the shell's child stops at
	// its exec of sleep.
	sh2 := stoppedShell(t, "sleep 100 & wait")
	pid2 := sh2.Process.Pid
	if err := writeFile(filepath.Join(m, strconv.Itoa(pid2), "ctl"), "hang"); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(pid2, syscall.SIGCONT)
	var child int
	waitFor(t, "the shell's child", func() bool {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid2, pid2))
		child, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return child > 0
	})
	execStopped(t, child)
	if !v.eng.Hanging(child) {
		t.Errorf("the child does not hang")
	}
	syscall.Kill(child, syscall.SIGKILL)

	// nohang after hang: the exec runs through.
	sh3 := stoppedShell(t, "exec sleep 100")
	pid3 := sh3.Process.Pid
	ctl3 := filepath.Join(m, strconv.Itoa(pid3), "ctl")
	for _, c := range []string{"hang", "nohang"} {
		if err := writeFile(ctl3, c); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	if v.eng.Hanging(pid3) {
		t.Fatalf("nohang: hang still set")
	}
	syscall.Kill(pid3, syscall.SIGCONT)
	waitFor(t, "sleep to run", func() bool { return comm(pid3) == "sleep" && procState(pid3) == "S" })

	// The flags go with their processes.
	for _, c := range []*exec.Cmd{sh1, sh2, sh3} {
		c.Process.Kill()
		c.Wait()
	}
	for _, p := range []int{pid, pid2, child} {
		if v.eng.Hanging(p) {
			t.Errorf("hang of %d set after its exit", p)
		}
	}
	stopsGone(t, v)

	if err := writeFile(filepath.Join(m, strconv.Itoa(os.Getpid()), "ctl"), "hang"); !errors.Is(err, syscall.EPERM) {
		t.Errorf("hang on the daemon: %v, want EPERM", err)
	}
}

// startsyscallBusy: a process that makes calls back to back meets the stop
// within microseconds of its arming, before startsyscall's write can do
// anything else: it stops and stays stopped, every time (a SIGCONT sent
// after the arming, as for a stopped process, would discard the programs'
// SIGSTOP and leave it running with its stop taken).
func startsyscallBusy(t *testing.T, v *View, m, wr string) {
	busy := exec.Command(buildC(t, callLoop))
	ready, err := busy.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := busy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Process.Kill(); busy.Wait() })
	pid := busy.Process.Pid
	// Armed before the loop, the stop took the C library's start-up
	// (prlimit64, beside a CPU hog): it is armed once the loop runs.
	if _, err := ready.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	for i := 0; i < 20; i++ {
		if err := returns(t, writeAsync(wr, ctl, "startsyscall"), fmt.Sprintf("startsyscall %d on a busy process", i)); err != nil {
			t.Fatalf("startsyscall %d: %v", i, err)
		}
		if st := procState(pid); st != "T" || v.eng.StopPending(pid) {
			t.Fatalf("after startsyscall %d: state %s, armed %v", i, st, v.eng.StopPending(pid))
		}
		if nr := syscallNr(pid); nr != strconv.Itoa(unix.SYS_GETPPID) {
			t.Errorf("stopped at call %q, want getppid (%d)", nr, unix.SYS_GETPPID)
		}
		if err := writeFile(ctl, "start"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the loop to run", func() bool { return procState(pid) == "R" })
	}
}
