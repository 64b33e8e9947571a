package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
)

// machine is what a run waits for before it starts: the view daemon's
// programs detached (settle) and no other process's BPF links (waitClean).
type machine struct {
	viewPids    []int         // the view daemons' (0: none)
	cleanWait   time.Duration // -clean-wait
	cleanBudget time.Duration // what is left of -clean-budget
}

// settle waits until the view daemons have detached their programs (the
// sessions of the previous run have ended), so that no run pays for
// another's.
func (m *machine) settle() {
	t0 := time.Now()
	for _, pid := range m.viewPids {
		for pid > 0 && bpfLinks(pid) > 0 {
			if time.Since(t0) > 10*time.Second {
				fmt.Fprintf(os.Stderr, "bench: view daemon %d still has programs attached after 10 s\n", pid)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// foreignLinks counts the BPF links held by processes other than the bench
// and its view daemons: on a shared machine, another eproc (a test run)
// attached to sys_exit makes every syscall of every process, the untraced
// baseline's too, pay for its filter. Without released, it leaves out the
// `eproc __release` children, which hold the tracepoints of an eproc trace
// that has ended (the run's own, right after it) until they are closed.
func (m *machine) foreignLinks(released bool) int {
	ents, _ := os.ReadDir("/proc")
	n := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() || slices.Contains(m.viewPids, pid) {
			continue
		}
		if !released && isRelease(pid) {
			continue
		}
		n += bpfLinks(pid)
	}
	return n
}

// isRelease reports whether pid is an `eproc __release` child.
func isRelease(pid int) bool {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	args := strings.Split(string(b), "\x00")
	return len(args) > 1 && args[1] == "__release"
}

// waitClean waits, up to -clean-wait (and within -clean-budget), until no
// other process holds BPF links; it reports whether some still do.
func (m *machine) waitClean() bool {
	t0 := time.Now()
	defer func() { m.cleanBudget -= time.Since(t0) }()
	for m.foreignLinks(true) > 0 {
		if time.Since(t0) > min(m.cleanWait, m.cleanBudget) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// bpfLinks counts the BPF link file descriptors process pid holds, but
// for KVM exit counting's (programs kvm_*), which eproc keeps attached for
// as long as it runs: they cost one lookup per process exit, nothing per
// syscall.
func bpfLinks(pid int) int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	n := 0
	for _, e := range ents {
		if t, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err == nil && t == "anon_inode:bpf_link" {
			if !kvmLink(pid, e.Name()) {
				n++
			}
		}
	}
	return n
}

// kvmLink reports whether link fd of process pid runs one of eproc's KVM
// programs.
func kvmLink(pid int, fd string) bool {
	id, ok := fdinfo(pid, fd)["prog_id"]
	if !ok {
		return false
	}
	p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
	if err != nil {
		return false
	}
	defer p.Close()
	info, err := p.Info()
	return err == nil && strings.HasPrefix(info.Name, "kvm_")
}

// fdinfo reads the numeric fields of /proc/PID/fdinfo/FD.
func fdinfo(pid int, fd string) map[string]uint64 {
	out := map[string]uint64{}
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, fd))
	for _, l := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(l, ":")
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}

// procCPU is a process's user + system time, all threads, from
// /proc/PID/stat (clock ticks, 10 ms here).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * time.Second / 100
}

// memStatus reads the memory lines of a process's status and smaps_rollup,
// in KiB.
func memStatus(pid int) map[string]int64 {
	m := map[string]int64{}
	for _, f := range []string{"status", "smaps_rollup"} {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, f))
		for _, l := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			fs := strings.Fields(v)
			if len(fs) == 2 && fs[1] == "kB" {
				n, _ := strconv.ParseInt(fs[0], 10, 64)
				m[f+"."+k] = n
			}
		}
	}
	return m
}

// ringMaps counts the BPF ring buffers process pid holds and their bytes.
func ringMaps(pid int) (n int, bytes int64) {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, e := range ents {
		if t, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err != nil || t != "anon_inode:bpf-map" {
			continue
		}
		if info := fdinfo(pid, e.Name()); info["map_type"] == 27 { // BPF_MAP_TYPE_RINGBUF
			n++
			bytes += int64(info["max_entries"])
		}
	}
	return n, bytes
}
