package loader

import (
	"os/exec"
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestEntryTimes: under Latency, a call's record carries its entry time
// (the header's TS) and its exit time. A call that blocks (sleep's
// clock_nanosleep) leaves the CPU with its entry in the CPU's entry slot,
// and a shell polling it with kill -0 and running cat between polls (50
// times at most: the records stay a few thousand) on the same CPU enters
// calls there meanwhile: sched_switch must have moved sleep's entry to the thread's
// own storage for its record to show the whole wait. Calls that do not
// block take it from the slot.
func TestEntryTimes(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 22, Latency: true})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("taskset", "-c", "0", "sh", "-c",
		"sleep 0.2 & i=0; while kill -0 $! 2>/dev/null && [ $i -lt 50 ]; do cat /dev/null; i=$((i+1)); done; wait")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	type call struct {
		nr        uint32
		entry, at uint64
	}
	var calls []call
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if typ, _, _, ok := wire.Peek(rec); ok && typ == wire.EvSyscall && wire.ParseCall(rec, &c) == nil {
				calls = append(calls, call{c.Nr, c.TS, c.ExitTS})
			}
		}))
	}()
	cmd.Wait()
	st := <-done
	if st.Dropped != 0 || st.Lost != 0 {
		t.Errorf("dropped %d calls, lost %d records", st.Dropped, st.Lost)
	}
	var sleeps, timed int
	for _, c := range calls {
		if c.entry != 0 && c.at > c.entry { // unseen: the entry time is the exit's
			timed++
		}
		if c.nr == unix.SYS_CLOCK_NANOSLEEP || c.nr == unix.SYS_NANOSLEEP {
			sleeps++
			if d := time.Duration(c.at - c.entry); c.entry == 0 || d < 200*time.Millisecond || d > 10*time.Second {
				t.Errorf("sleep's call %d: entry %d, exit %d: %v, want 0.2 s or more", c.nr, c.entry, c.at, d)
			}
		}
	}
	if sleeps != 1 {
		t.Errorf("%d sleeping calls among %d records, want 1", sleeps, len(calls))
	}
	// The execve of each program the session follows from (Spawn's
	// TF_WAITEXEC) was entered before: 1 call; every other call's entry
	// was seen.
	if timed < len(calls)-1 || len(calls) < 100 {
		t.Errorf("%d of %d calls have an entry time", timed, len(calls))
	}
}
