package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
)

// perfLinkProgs returns the programs pid holds on perf-event tracepoints
// (its links of link_type perf, from /proc/PID/fdinfo).
func perfLinkProgs(pid int) map[ebpf.ProgramID]bool {
	ids := map[ebpf.ProgramID]bool{}
	infos, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/fdinfo/*")
	for _, f := range infos {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), "link_type:\tperf\n") {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "prog_id:\t"); ok {
				if n, err := strconv.ParseUint(v, 10, 32); err == nil {
					ids[ebpf.ProgramID(n)] = true
				}
			}
		}
	}
	return ids
}

// TestTraceReleasesTracepoints: a one-shot eproc trace hands its
// perf-event tracepoints (the syscalls:sys_enter_* of the entry captures,
// kvm:kvm_exit), whose detaching waits for grace periods, to a child that
// closes them once eproc has exited (release.go). Whatever the timing,
// they must go: the programs on them are unloaded afterwards.
func TestTraceReleasesTracepoints(t *testing.T) {
	eproc, _ := traceTools(t)
	cmd := exec.Command(eproc, "trace", "--no-daemon", "-o", "/dev/null", "--", "sleep", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var ids map[ebpf.ProgramID]bool
	for end := time.Now().Add(20 * time.Second); len(ids) == 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
		ids = perfLinkProgs(cmd.Process.Pid)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("eproc trace: %v", err)
	}
	if len(ids) == 0 {
		t.Fatal("eproc trace held no program on a perf-event tracepoint (the entry captures' syscalls:sys_enter_*)")
	}
	var left []ebpf.ProgramID
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		left = left[:0]
		for id := range ids {
			p, err := ebpf.NewProgramFromID(id)
			if err == nil {
				p.Close()
				left = append(left, id)
			} else if !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("program %d: %v", id, err)
			}
		}
		if len(left) == 0 {
			return
		}
	}
	t.Fatalf("programs %v still loaded 30 s after eproc trace exited: its tracepoints were not released", left)
}
