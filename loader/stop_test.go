package loader

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"
)

// The stops (stop.go): an entry bound to another start time stops nothing
// and goes; one for a process gone is swept; the right one stops the
// process at its next call; the counts come back to 0 and the programs
// detach.

func stateOf(pid int) byte {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return 'X'
	}
	return b[i+2]
}

func waitCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func (e *Engine) stopCounts() (int64, int64) {
	e.stop.mu.Lock()
	defer e.stop.mu.Unlock()
	return atomic.LoadInt64(e.stop.armed(stopSyscall)), atomic.LoadInt64(e.stop.armed(stopExec))
}

func TestStops(t *testing.T) {
	t.Run("daemon", func(t *testing.T) { testStops(t, openEngine(t)) })
	// A one-shot engine (eproc trace) loads the stops' programs when
	// first wanted (lazyProgs).
	t.Run("one-shot", func(t *testing.T) {
		needBPF(t)
		e, err := Open(Config{OneShot: true})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { e.Close() })
		if e.objs.StopEnter != nil {
			t.Fatal("a one-shot engine loaded stop_enter at its start")
		}
		testStops(t, e)
	})
}

func testStops(t *testing.T, e *Engine) {
	if n, att := e.StopEntries(); n != 0 || att {
		t.Fatalf("a new engine: %d entries, attached %v", n, att)
	}
	cmd := exec.Command("sh", "-c", "while :; do sleep 0.05; done")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	pid := cmd.Process.Pid
	start, err := ProcStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	// Another process's start time (a reused pid): dropped at the next
	// call, the process runs on.
	if err := e.StopAtSyscall(pid, start+1); err != nil {
		t.Fatal(err)
	}
	waitCond(t, "the stale entry to go", func() bool { return !e.StopPending(pid) })
	time.Sleep(100 * time.Millisecond)
	if s := stateOf(pid); s == 'T' {
		t.Fatalf("stopped by an entry of another start time")
	}
	if sys, _ := e.stopCounts(); sys != 0 {
		t.Errorf("count %d after the stale entry went", sys)
	}
	// Its own: stopped at its next call.
	if err := e.StopAtSyscall(pid, start); err != nil {
		t.Fatal(err)
	}
	waitCond(t, "the stop", func() bool { return stateOf(pid) == 'T' && !e.StopPending(pid) })
	// hang, then nohang: the count follows.
	if err := e.HangAtExec(pid, start, true); err != nil || !e.Hanging(pid) {
		t.Fatalf("hang: %v, set %v", err, e.Hanging(pid))
	}
	if err := e.HangAtExec(pid, start, true); err != nil { // set already: no change
		t.Fatal(err)
	}
	if _, ex := e.stopCounts(); ex != 1 {
		t.Errorf("hang count %d, want 1", ex)
	}
	if err := e.HangAtExec(pid, 0, false); err != nil || e.Hanging(pid) {
		t.Fatalf("nohang: %v, set %v", err, e.Hanging(pid))
	}
	// A process gone before its entry went in: swept.
	dead := exec.Command("true")
	dead.Run()
	if err := e.HangAtExec(dead.Process.Pid, 1, true); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	waitCond(t, "no entries, nothing attached", func() bool {
		n, att := e.StopEntries()
		return n == 0 && !att
	})
	if sys, ex := e.stopCounts(); sys != 0 || ex != 0 {
		t.Errorf("counts %d %d with no entries", sys, ex)
	}
}
