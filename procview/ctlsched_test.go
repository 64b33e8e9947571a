package procview

import (
	"bytes"
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

	"go.uber.org/zap"
	"golang.org/x/sys/unix"
)

// Plan 9's ctl verbs pri, fixedpri, wired, waitstop, startstop, and those
// Linux cannot honour, written with real clients to real processes, and
// checked against what /proc and the scheduler say.

// threeThreads is a process of three threads that sleep.
const threeThreads = `#include <pthread.h>
#include <unistd.h>
static void *nap(void *a) { for (;;) pause(); return a; }
int main(void) { pthread_t t; pthread_create(&t, 0, nap, 0); pthread_create(&t, 0, nap, 0); for (;;) pause(); }
`

// startThreads runs threeThreads and waits for its three threads.
func startThreads(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(buildC(t, threeThreads))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	waitFor(t, "three threads", func() bool { return len(taskIDs(pid)) == 3 })
	return pid
}

func taskIDs(pid int) []int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var tids []int
	for _, e := range ents {
		n, _ := strconv.Atoi(e.Name())
		tids = append(tids, n)
	}
	return tids
}

// taskStat is field n (1-based, as proc(5) numbers them) of a thread's
// stat.
func taskStat(t *testing.T, pid, tid, n int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return f[n-3]
}

// allTasks checks field n of every thread's stat.
func allTasks(t *testing.T, pid, n int, want, what string) {
	t.Helper()
	for _, tid := range taskIDs(pid) {
		if got := taskStat(t, pid, tid, n); got != want {
			t.Errorf("%s: thread %d has %s, want %s", what, tid, got, want)
		}
	}
}

func TestCtlPri(t *testing.T) {
	_, m := mount(t)
	pid := startThreads(t)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	for _, n := range []string{"5", "-3", "19"} {
		if err := writeFile(ctl, "pri "+n); err != nil {
			t.Fatalf("pri %s: %v", n, err)
		}
		allTasks(t, pid, 19, n, "pri "+n) // nice
	}
	for _, bad := range []string{"pri", "pri x", "pri 20", "pri -21", "pri 1 2", "pri 0x3"} {
		if err := writeFile(ctl, bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%q: %v, want EINVAL", bad, err)
		}
	}
	allTasks(t, pid, 19, "19", "after bad commands")
	// Without CAP_SYS_NICE, a process may be made nicer, not less nice.
	out := asNobody(t, m, `sleep 100 & P=$!
echo pri 10 > $M/$P/ctl && echo nicer: ok
echo pri 5 > $M/$P/ctl || echo less nice: refused
cut -d' ' -f19 /proc/$P/stat; kill $P`)
	if out != "nicer: ok\nless nice: refused\n10\n" {
		t.Errorf("pri as nobody: %q", out)
	}
}

// asNobody runs a shell script as nobody, without capabilities, with M
// the mount.
func asNobody(t *testing.T, m, script string) string {
	t.Helper()
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "M="+m)
	out, _ := cmd.Output()
	return string(out)
}

func TestCtlFixedpri(t *testing.T) {
	_, m := mount(t)
	pid := startThreads(t)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	if err := writeFile(ctl, "fixedpri 10"); err != nil {
		t.Fatal(err)
	}
	allTasks(t, pid, 41, strconv.Itoa(unix.SCHED_FIFO), "policy")
	allTasks(t, pid, 40, "10", "rt_priority")
	for _, bad := range []string{"fixedpri", "fixedpri 0", "fixedpri 100", "fixedpri -1", "fixedpri x"} {
		if err := writeFile(ctl, bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%q: %v, want EINVAL", bad, err)
		}
	}
	allTasks(t, pid, 40, "10", "rt_priority after bad commands")
	// Without CAP_SYS_NICE and with an RLIMIT_RTPRIO of 0: refused.
	out := asNobody(t, m, `sleep 100 & P=$!
echo fixedpri 10 > $M/$P/ctl || echo refused
cut -d' ' -f41 /proc/$P/stat; kill $P`)
	if out != "refused\n0\n" {
		t.Errorf("fixedpri as nobody: %q", out)
	}
}

func TestCtlWired(t *testing.T) {
	_, m := mount(t)
	pid := startThreads(t)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	var all unix.CPUSet
	if err := unix.SchedGetaffinity(pid, &all); err != nil {
		t.Fatal(err)
	}
	check := func(want func(cpu int) bool, what string) {
		t.Helper()
		for _, tid := range taskIDs(pid) {
			var set unix.CPUSet
			if err := unix.SchedGetaffinity(tid, &set); err != nil {
				t.Fatal(err)
			}
			for cpu := 0; cpu < 1024; cpu++ {
				if set.IsSet(cpu) != want(cpu) {
					t.Errorf("%s: thread %d: CPU %d is %v", what, tid, cpu, set.IsSet(cpu))
				}
			}
		}
	}
	cpus := []int{}
	for cpu := 0; cpu < 1024 && len(cpus) < 2; cpu++ {
		if all.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	for _, cpu := range cpus {
		if err := writeFile(ctl, fmt.Sprintf("wired %d", cpu)); err != nil {
			t.Fatal(err)
		}
		check(func(c int) bool { return c == cpu }, fmt.Sprintf("wired %d", cpu))
	}
	if err := writeFile(ctl, "wired -1"); err != nil {
		t.Fatal(err)
	}
	check(all.IsSet, "wired -1")
	for _, bad := range []string{"wired", "wired x", "wired 1024", "wired 1000"} {
		if err := writeFile(ctl, bad); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("%q: %v, want EINVAL", bad, err)
		}
	}
	check(all.IsSet, "after bad commands")
}

// writeC is a writer in C: it writes argv[2] to argv[1] once, and
// prints strerror when that fails; SIGUSR1 interrupts it. A Go writer would retry a write the
// runtime's own signals interrupt (preemption's SIGURG makes FUSE
// interrupt the request, and a waiting command ends with EINTR), and a
// retried startstop continues the process again.
const writeC = `#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
static void h(int s) { (void)s; }
int main(int argc, char **argv) {
	struct sigaction sa = {0};
	sa.sa_handler = h; // no SA_RESTART: SIGUSR1 interrupts the write
	sigaction(SIGUSR1, &sa, 0);
	int fd = open(argv[1], O_WRONLY);
	if (fd < 0 || write(fd, argv[2], strlen(argv[2])) < 0) { printf("%s\n", strerror(errno)); return 1; }
	return 0;
}
`

// writeAsync writes msg to path in the background, with the writer wr
// (writeC).
func writeAsync(wr, path, msg string) <-chan error {
	done := make(chan error, 1)
	go func() {
		out, err := exec.Command(wr, path, msg).Output()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, out)
		}
		done <- err
	}()
	return done
}

func notYet(t *testing.T, done <-chan error, what string) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("%s returned early: %v", what, err)
	case <-time.After(300 * time.Millisecond):
	}
}

func returns(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return", what)
	}
	return nil
}

func TestCtlWaitstop(t *testing.T) {
	_, m := mount(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	wr := buildC(t, writeC)
	// waitstop returns when the process stops.
	done := writeAsync(wr, ctl, "waitstop")
	notYet(t, done, "waitstop")
	syscall.Kill(pid, syscall.SIGSTOP)
	if err := returns(t, done, "waitstop"); err != nil {
		t.Fatalf("waitstop: %v", err)
	}
	// ... at once when it is stopped already.
	if err := returns(t, writeAsync(wr, ctl, "waitstop"), "waitstop when stopped"); err != nil {
		t.Fatalf("waitstop when stopped: %v", err)
	}
	// startstop lets it run, and returns when it stops again.
	done = writeAsync(wr, ctl, "startstop")
	waitFor(t, "the process to run again", func() bool { return procState(pid) == "S" })
	notYet(t, done, "startstop")
	syscall.Kill(pid, syscall.SIGSTOP)
	if err := returns(t, done, "startstop"); err != nil || procState(pid) != "T" {
		t.Fatalf("startstop: %v, state %s", err, procState(pid))
	}
	// A writer interrupted while it waits: the write ends, EINTR. (A
	// request the daemon never answered would keep it in the kernel, even
	// killed.)
	syscall.Kill(pid, syscall.SIGCONT)
	waitFor(t, "the process to run again", func() bool { return procState(pid) == "S" })
	wrc := exec.Command(wr, ctl, "waitstop")
	var out bytes.Buffer
	wrc.Stdout = &out
	wrc.Start()
	wrDone := make(chan error, 1)
	go func() { wrDone <- wrc.Wait() }()
	notYet(t, wrDone, "waitstop")
	wrc.Process.Signal(syscall.SIGUSR1)
	returns(t, wrDone, "an interrupted waitstop")
	if out.String() != "Interrupted system call\n" {
		t.Errorf("an interrupted waitstop: %q", out.String())
	}
	// A process that ends while waited for: ESRCH.
	done = writeAsync(wr, ctl, "waitstop")
	notYet(t, done, "waitstop")
	syscall.Kill(pid, syscall.SIGKILL)
	if err := returns(t, done, "waitstop on a dying process"); err == nil || !strings.Contains(err.Error(), "No such process") {
		t.Errorf("waitstop on a dying process: %v, want ESRCH", err)
	}
}

func TestCtlUnsupported(t *testing.T) {
	_, m, logs := mountObserved(t)
	pid := startSleeper(t, "/", `exec sleep 100`)
	ctl := filepath.Join(m, strconv.Itoa(pid), "ctl")
	for msg, why := range map[string]error{
		"close 0": errCloseFd, "closefiles": errCloseFd,
		"noswap": errNoswap, "private": errPrivate, "profile": errProfile,
		"trace": errTrace, "trace 1": errTrace, "trace 0": errTrace,
	} {
		n0 := logs.FilterField(zap.Error(why)).Len()
		if err := writeFile(ctl, msg); !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Errorf("%q: %v, want EOPNOTSUPP", msg, err)
		}
		if logs.FilterField(zap.Error(why)).Len() != n0+1 {
			t.Errorf("%q: no log line saying why", msg)
		}
	}
	if err := writeFile(ctl, "trace 1 2"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("trace 1 2: %v, want EINVAL", err)
	}
	if err := writeFile(ctl, "nohang"); err != nil { // without hang: nothing to clear
		t.Errorf("nohang: %v", err)
	}
	if st := procState(pid); st != "S" {
		t.Errorf("state %s after unsupported commands", st)
	}
	// A dead process: ESRCH, through a ctl opened while it lived.
	fh, err := os.OpenFile(ctl, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	syscall.Kill(pid, syscall.SIGKILL)
	syscall.Wait4(pid, nil, 0, nil) // reaped: gone
	for _, msg := range []string{"pri 5", "wired 0", "fixedpri 5", "waitstop", "close 0"} {
		if _, err := fh.Write([]byte(msg)); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%q to a dead process: %v, want ESRCH", msg, err)
		}
	}
}
