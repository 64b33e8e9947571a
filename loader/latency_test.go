package loader

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
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
		flags     uint16
	}
	var calls []call
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if typ, _, _, ok := wire.Peek(rec); ok && typ == wire.EvSyscall && wire.ParseCall(rec, &c) == nil {
				calls = append(calls, call{c.Nr, c.TS, c.ExitTS, c.Flags})
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
		if c.flags != 0 {
			t.Errorf("call %d: flags %#x without CPUTime", c.nr, c.flags)
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
	// Every call's entry was seen, the spawned command's first execve's
	// too (it ends its TF_WAITEXEC).
	if timed != len(calls) || len(calls) < 100 {
		t.Errorf("%d of %d calls have an entry time", timed, len(calls))
	}
}

// TestCPUTime: under CPUTime, a returned call's record carries its time
// off the CPU (EvfOffCPU), and CPUTime is its wall time less that: a
// sleep's is nearly nothing, however long it slept, while reads of
// /dev/urandom, which compute what they return, take the CPU time of
// computing 16 MiB. Both hold beside a CPU hog: preemption is time off
// the CPU, and a call's own work is the same.
func TestCPUTime(t *testing.T) {
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 22, Latency: true, CPUTime: true})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "sleep 0.2; head -c 16M /dev/urandom >/dev/null")
	if err := s.Spawn(cmd, true); err != nil {
		t.Fatal(err)
	}
	var calls []wire.Call
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if typ, _, _, ok := wire.Peek(rec); ok && typ == wire.EvSyscall && wire.ParseCall(rec, &c) == nil {
				c.Caps = nil // rec is the ring's
				calls = append(calls, c)
			}
		}))
	}()
	cmd.Wait()
	st := <-done
	if st.Dropped != 0 || st.Lost != 0 {
		t.Errorf("dropped %d calls, lost %d records", st.Dropped, st.Lost)
	}
	var sleeps, reads int
	var readCPU, readWall time.Duration
	for _, c := range calls {
		if c.Flags&wire.EvfOffCPU == 0 || c.ExitTS < c.TS {
			t.Errorf("call %d: flags %#x, entry %d, exit %d: want its time off the CPU", c.Nr, c.Flags, c.TS, c.ExitTS)
			continue
		}
		wall, off, cpu := time.Duration(c.ExitTS-c.TS), time.Duration(c.OffCPU), time.Duration(c.CPUTime())
		// Two clocks (the scheduler's, CLOCK_MONOTONIC) a few us apart
		// at most over a call.
		if off > wall+time.Millisecond || cpu > wall {
			t.Errorf("call %d: wall %v, off the CPU %v, CPU %v", c.Nr, wall, off, cpu)
		}
		switch c.Nr {
		case unix.SYS_CLOCK_NANOSLEEP, unix.SYS_NANOSLEEP:
			sleeps++
			if off < 190*time.Millisecond || cpu > 20*time.Millisecond {
				t.Errorf("sleep: wall %v, off the CPU %v, CPU %v: want 0.2 s off it, nearly none on it", wall, off, cpu)
			}
		case unix.SYS_READ:
			reads++
			readCPU += cpu
			readWall += wall
		}
	}
	// 16 MiB of ChaCha20 output: tens of ms on these machines.
	if sleeps != 1 || reads < 100 || readCPU < 2*time.Millisecond {
		t.Errorf("%d sleeps, %d reads taking %v of CPU (%v wall), want 1 sleep, reads taking 2 ms or more",
			sleeps, reads, readCPU, readWall)
	}
	t.Logf("reads: %d, CPU %v, wall %v", reads, readCPU, readWall)
}

// TestCPUTimeMigrated: a call that enters on one CPU and returns on the
// other keeps its true time off the CPU. sleep, held to CPU 0, is moved to
// CPU 1 while in clock_nanosleep: it wakes there. The scheduler's
// per-CPU clocks (clock_task: each CPU's clock less its own steal and
// interrupt time) part by ~100 ms in an hour on a guest whose host steals
// unevenly (seen on an AMD EPYC family 25 model 1 machine); a mark in that
// clock alone read such a sleep's 0.3 s off the CPU as 0.43 s, or 0.17 s
// and 130 ms of CPU.
func TestCPUTimeMigrated(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing to move a thread to")
	}
	e := openEngine(t)
	s, err := e.NewSession(SessionConfig{RingSize: 1 << 20, Latency: true, CPUTime: true})
	if err != nil {
		t.Fatal(err)
	}
	// Two sleeps at once, one moved each way: a session ends when its
	// last process does.
	moves := [][2]int{{0, 1}, {1, 0}}
	var cmds []*exec.Cmd
	for _, move := range moves {
		cmd := exec.Command("taskset", "-c", strconv.Itoa(move[0]), "sleep", "0.3")
		if err := s.Spawn(cmd, true); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	var calls []wire.Call
	done := make(chan Stats)
	go func() {
		done <- s.Run(HandlerFunc(func(rec []byte) {
			var c wire.Call
			if typ, _, _, ok := wire.Peek(rec); ok && typ == wire.EvSyscall && wire.ParseCall(rec, &c) == nil {
				c.Caps = nil
				calls = append(calls, c)
			}
		}))
	}()
	for i, cmd := range cmds {
		// Once it sleeps as sleep (taskset has exec'd it), move it.
		stat := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/stat"
		for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			if b, err := os.ReadFile(stat); err == nil && strings.Contains(string(b), "(sleep) S ") {
				break
			}
		}
		var set unix.CPUSet
		set.Set(moves[i][1])
		if err := unix.SchedSetaffinity(cmd.Process.Pid, &set); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Error(err)
		}
	}
	st := <-done
	if st.Dropped != 0 || st.Lost != 0 {
		t.Errorf("dropped %d calls, lost %d records", st.Dropped, st.Lost)
	}
	sleeps := 0
	for _, c := range calls {
		if c.Nr != unix.SYS_CLOCK_NANOSLEEP && c.Nr != unix.SYS_NANOSLEEP {
			continue
		}
		sleeps++
		wall, off, cpu := time.Duration(c.ExitTS-c.TS), time.Duration(c.OffCPU), time.Duration(c.CPUTime())
		if c.Flags&wire.EvfOffCPU == 0 || wall < 290*time.Millisecond || off > wall+time.Millisecond || cpu > 20*time.Millisecond {
			t.Errorf("sleep %d: flags %#x, wall %v, off the CPU %v, CPU %v: want ~0.3 s off it, nearly none on it", sleeps, c.Flags, wall, off, cpu)
		}
	}
	if sleeps != 2 {
		t.Errorf("%d sleeps among %d calls, want 2", sleeps, len(calls))
	}
}
