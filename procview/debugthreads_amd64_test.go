//go:build amd64

package procview

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// attach stops the whole process, as FreeBSD's does: every thread is
// seized and stopped, threads made while it runs are traced too, step
// steps the first thread only, run and detach let every thread go.

// counters runs three threads (main and two more), each incrementing its
// own counter; it prints the counters' addresses (the fourth is a thread's
// made when the test writes a nonzero word at the fifth address, spawn).
const countersC = `#include <pthread.h>
#include <stdio.h>
struct counter { volatile unsigned long n; char pad[56]; };
struct counter c[4] __attribute__((aligned(64)));
volatile unsigned long spawn;
static void *loop(void *a) {
	volatile unsigned long *n = a;
	for (;;) (*n)++;
	return 0;
}
int main(void) {
	pthread_t t;
	pthread_create(&t, 0, loop, (void *)&c[1].n);
	pthread_create(&t, 0, loop, (void *)&c[2].n);
	printf("%p %p %p %p %p\n", (void *)&c[0].n, (void *)&c[1].n, (void *)&c[2].n, (void *)&c[3].n, (void *)&spawn);
	fflush(stdout);
	for (;;) {
		c[0].n++;
		if (spawn) {
			spawn = 0;
			pthread_create(&t, 0, loop, (void *)&c[3].n);
		}
	}
}
`

// startCounters runs countersC: its pid, and the addresses of the four
// counters and of spawn. Nothing waits for it but the cleanup, which
// kills it first: the test's process is its parent and the view at once,
// and a wait would take the stops ptrace reports to the view's tracer.
func startCounters(t *testing.T) (int, []uint64) {
	t.Helper()
	cmd := exec.Command(buildC(t, countersC))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var addrs []uint64
	for _, f := range strings.Fields(line) {
		a, err := strconv.ParseUint(f, 0, 64)
		if err != nil {
			t.Fatalf("addresses %q: %v", line, err)
		}
		addrs = append(addrs, a)
	}
	if len(addrs) != 5 {
		t.Fatalf("addresses %q", line)
	}
	return cmd.Process.Pid, addrs
}

func counterValues(t *testing.T, pid int, addrs []uint64) []uint64 {
	t.Helper()
	var v []uint64
	for _, a := range addrs {
		v = append(v, memWord(t, pid, a))
	}
	return v
}

// still checks the counters do not move across 200 ms.
func still(t *testing.T, pid int, addrs []uint64, what string) {
	t.Helper()
	before := counterValues(t, pid, addrs)
	time.Sleep(200 * time.Millisecond)
	after := counterValues(t, pid, addrs)
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("%s: counter %d moved, %d -> %d", what, i, before[i], after[i])
		}
	}
}

// moving waits for every counter to move.
func moving(t *testing.T, pid int, addrs []uint64, what string) {
	t.Helper()
	before := counterValues(t, pid, addrs)
	for i, a := range addrs {
		waitFor(t, fmt.Sprintf("%s: counter %d to move", what, i), func() bool { return memWord(t, pid, a) != before[i] })
	}
}

// threadsHeld checks every thread's state (t, stopped by its tracer, or
// not) and its tracer (a thread of the view's process, or none).
func threadsHeld(t *testing.T, pid int, stopped, traced bool, want int, what string) {
	t.Helper()
	tids := taskIDs(pid)
	if len(tids) != want {
		t.Fatalf("%s: threads %v, want %d", what, tids, want)
	}
	for _, tid := range tids {
		state, tracer := taskStat(t, pid, tid, 3), taskTracer(t, pid, tid)
		if stopped != (state == "t") {
			t.Errorf("%s: thread %d in state %s (stopped: want %v)", what, tid, state, stopped)
		}
		switch {
		case traced && tracer == 0:
			t.Errorf("%s: thread %d not traced", what, tid)
		case traced:
			if cr, err := readCreds(tracer); err != nil || cr.tgid != os.Getpid() {
				t.Errorf("%s: thread %d traced by %d, not a thread of the view (%v)", what, tid, tracer, err)
			}
		case tracer != 0:
			t.Errorf("%s: thread %d traced by %d", what, tid, tracer)
		}
	}
}

// taskTracer is a thread's TracerPid.
func taskTracer(t *testing.T, pid, tid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/status", pid, tid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "TracerPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatalf("no TracerPid in thread %d's status", tid)
	return 0
}

func TestDebugThreads(t *testing.T) {
	_, m := mount(t)
	pid, addrs := startCounters(t)
	counters, spawn := addrs[:3], addrs[4]
	waitFor(t, "three threads", func() bool { return len(taskIDs(pid)) == 3 })
	moving(t, pid, counters, "before attach")
	pdir := filepath.Join(m, strconv.Itoa(pid))
	ctl := ctlOpen(t, pdir)
	defer ctl.Close()

	verb(t, ctl, "attach")
	verb(t, ctl, "wait")
	threadsHeld(t, pid, true, true, 3, "after attach and wait")
	still(t, pid, counters, "after attach and wait")

	verb(t, ctl, "run")
	moving(t, pid, counters, "after run")
	threadsHeld(t, pid, false, true, 3, "after run")

	// A thread made while it runs under attach is traced too.
	mem, err := os.OpenFile(fmt.Sprintf("/proc/%d/mem", pid), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	one := binary.LittleEndian.AppendUint64(nil, 1)
	_, err = mem.WriteAt(one, int64(spawn))
	mem.Close()
	if err != nil {
		t.Fatalf("write spawn: %v", err)
	}
	waitFor(t, "the fourth thread", func() bool { return len(taskIDs(pid)) == 4 })
	counters = addrs[:4]
	moving(t, pid, counters, "with the fourth thread")
	threadsHeld(t, pid, false, true, 4, "with a thread made under attach")

	// A signal stops the process for it: every thread, the new one too.
	verb(t, ctl, "urg")
	verb(t, ctl, "wait")
	threadsHeld(t, pid, true, true, 4, "stopped for SIGURG")
	still(t, pid, counters, "stopped for SIGURG")

	// step: the first thread only (regs's), the others stay stopped.
	regs := filepath.Join(pdir, "regs")
	rip := regValue(t, readRegs(t, regs), "rip")
	others := counterValues(t, pid, counters[1:])
	changed := false
	for i := 0; i < 3; i++ {
		verb(t, ctl, "step")
		next := regValue(t, readRegs(t, regs), "rip")
		changed = changed || next != rip
		rip = next
	}
	if !changed {
		t.Errorf("three steps left rip at %#x", rip)
	}
	threadsHeld(t, pid, true, true, 4, "after step")
	for i, v := range counterValues(t, pid, counters[1:]) {
		if v != others[i] {
			t.Errorf("step: thread %d's counter moved, %d -> %d", i+1, others[i], v)
		}
	}
	still(t, pid, counters, "after step")

	// detach: every thread runs, untraced.
	verb(t, ctl, "detach")
	threadsHeld(t, pid, false, false, 4, "after detach")
	moving(t, pid, counters, "after detach")
}
