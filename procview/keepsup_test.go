package procview

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestViewKeepsUp: the headline use, as a user runs it. `eproc mount` (the
// real daemon, its own process with its own Go scheduler settings), one
// `cat` reading a session's strace file into a file (128 KiB reads), and
// dd bs=1 count=500000 traced: every one of its 1,000,000 calls arrives,
// none dropped, 500,000 `read(0, "\0", 1) = 1` lines and as many writes.
//
// Why 0 is the bound, from the code: records are only dropped when the
// session's ring is full (Qdropoverflow). The reader drains faster than
// dd fills (the daemon's CPU per record is under two thirds of dd's time
// per traced call, busy or not: bench/view-stages.sh prints both), so it
// falls behind only while it cannot run: at most 10 ms for Go's monitor
// to hand it a P that a FUSE request's blocking read holds, and what a
// CPU hog takes from a thread at nice -5. A busy session's ring grows to
// 8 MiB, ~70,000 of dd's records (120 bytes each), 25 ms of dd at full
// speed (eproc mount's -b, -b0 and -nice).
func TestViewKeepsUp(t *testing.T) {
	needRoot(t)
	if testing.Short() {
		t.Skip("short")
	}
	d, dir, dlog := startDaemon(t)
	defer func() { d.Process.Signal(syscall.SIGTERM); waitDaemon(t, d) }()

	const n = 500000
	read1 := regexp.MustCompile(`(?m)^\d+ +read\(0, "\\0", 1\) += 1$`)
	write1 := regexp.MustCompile(`(?m)^\d+ +write\(1, "\\0", 1\) += 1$`)
	for run := 0; run < 2; run++ {
		before := cpuTicks()
		tr := startTracee(t, "exec dd if=/dev/zero of=/dev/null bs=1 count="+strconv.Itoa(n)+" status=none")
		pdir := filepath.Join(dir, strconv.Itoa(tr.pid))
		if err := writeFile(filepath.Join(pdir, "ctl"), "straceme"); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "strace")
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		cat := exec.Command("cat", filepath.Join(pdir, "strace"))
		cat.Stdout = f
		if err := cat.Start(); err != nil {
			t.Fatal(err)
		}
		tr.release(t)
		select {
		case <-exited(tr):
		case <-time.After(60 * time.Second):
			t.Fatal("dd did not end")
		}
		during := busiest(before, cpuTicks()) // dd's run only, not the checks after it
		cdone := make(chan error, 1)
		go func() { cdone <- cat.Wait() }()
		select {
		case err := <-cdone:
			if err != nil {
				t.Fatalf("cat: %v", err)
			}
		case <-time.After(30 * time.Second):
			cat.Process.Kill()
			t.Fatal("the stream did not end")
		}
		f.Close()
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		c := countStream(string(b))
		reads, writes := len(read1.FindAllIndex(b, -1)), len(write1.FindAllIndex(b, -1))
		t.Logf("run %d: %d lines, %d reads, %d writes; hang-up seen %d dropped %d", run, c.calls, reads, writes, c.seen, c.dropped)
		t.Logf("the machine during run %d: %s", run, during)
		if !c.hangup {
			t.Fatalf("no hang-up line:\n%s", tail(string(b)))
		}
		if c.dropped != 0 || reads != n || writes != n {
			t.Errorf("a reader that keeps up: dropped %d, read lines %d, write lines %d; want 0, %d, %d\ndaemon log:\n%s\nthe machine during the run: %s",
				c.dropped, reads, writes, n, n, tail(dlog.String()), during)
		}
		if err := c.accounts(); err != nil {
			t.Error(err)
		}
		t.Logf("daemon: %s", lastLine(dlog.String(), "session end"))
		// This process parsed 44 MB of text into a heap of some 150
		// MB: collect it now, not during the next run, beside dd and
		// the daemon.
		b = nil
		runtime.GC()
		debug.FreeOSMemory()
	}
}

// lastLine is the last line of s that holds sub.
func lastLine(s, sub string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], sub) {
			return lines[i]
		}
	}
	return ""
}

// machineUse is what the machine's CPUs did so far: each process's CPU
// time (utime + stime, clock ticks) by pid, with its name, from /proc, and
// the CPUs' time by kind from /proc/stat. busiest tells who ran during a
// run, for a failure's report. (A process is keyed by pid alone: a
// kworker's name changes with the work it does, and keyed by name, the
// first reports took a kworker's whole life for the run's.)
type machineUse struct {
	procs map[int]int64
	names map[int]string
	cpu   []int64 // /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal
}

func cpuTicks() machineUse {
	m := machineUse{procs: map[int]int64{}, names: map[int]string{}}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f, err := taskStatFields("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		m.procs[pid] = u + k
		m.names[pid] = strings.TrimSpace(string(comm))
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		for _, f := range strings.Fields(line)[1:] {
			n, _ := strconv.ParseInt(f, 10, 64)
			m.cpu = append(m.cpu, n)
		}
	}
	return m
}

// busiest names the processes that used the most CPU between two
// cpuTicks, the CPUs' time by kind (steal is time the hypervisor gave
// another guest), and the load average.
func busiest(before, after machineUse) string {
	type use struct {
		who   string
		ticks int64
	}
	var us []use
	for pid, t := range after.procs {
		if d := t - before.procs[pid]; d > 0 {
			us = append(us, use{strconv.Itoa(pid) + " " + after.names[pid], d})
		}
	}
	sort.Slice(us, func(i, j int) bool { return us[i].ticks > us[j].ticks })
	var b strings.Builder
	for i, u := range us {
		if i == 8 {
			break
		}
		fmt.Fprintf(&b, "%s %d ms; ", u.who, u.ticks*10)
	}
	b.WriteString("CPUs:")
	for i, kind := range []string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"} {
		if i < len(after.cpu) && i < len(before.cpu) {
			fmt.Fprintf(&b, " %s %d ms", kind, (after.cpu[i]-before.cpu[i])*10)
		}
	}
	la, _ := os.ReadFile("/proc/loadavg")
	return b.String() + "; load " + strings.TrimSpace(string(la))
}
