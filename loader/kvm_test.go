package loader

import (
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// TestKVMCounting: kvm_exit loads and attaches here (the kvm module is
// loaded, though no guest can run), and the accounting it runs counts
// exits per process and reason, summed over CPUs, and forgets a VMM when
// it exits. The exits are fed through kvm_exit_inject, which runs the same
// BPF code on the same maps.
func TestKVMCounting(t *testing.T) {
	e := openEngine(t)
	if _, err := os.Stat(wire.TracefsDir() + "/events/kvm/kvm_exit"); err == nil || os.Getenv("CI") == "true" {
		if !e.KVMAttached() {
			t.Fatal("kvm:kvm_exit exists but kvm_exit is not attached")
		}
	} else {
		t.Log("no kvm:kvm_exit tracepoint here (kvm not loaded): counting through injection only")
	}
	c0, v0 := e.KVMEntries()

	vmm := exec.Command("sleep", "60")
	if err := vmm.Start(); err != nil {
		t.Fatal(err)
	}
	defer vmm.Process.Kill()
	pid := vmm.Process.Pid

	// Exits from every CPU, so that the per-CPU counters are summed.
	const perCPU = 500
	ncpus := injectOnEveryCPU(t, e, pid, perCPU)
	for _, x := range []wire.KVMExit{
		{Reason: 0x78, ISA: wire.KVMISASVM},        // hlt
		{Reason: 0x78, ISA: wire.KVMISASVM},        // hlt
		{Reason: 0x1234, ISA: wire.KVMISASVM},      // no name
		{Reason: 30, ISA: wire.KVMISAVMX, VCPU: 1}, // IO_INSTRUCTION
	} {
		if err := e.InjectKVMExit(pid, pid, x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.KVMCounts(pid)
	if err != nil {
		t.Fatal(err)
	}
	want := map[KVMReason]uint64{
		{wire.KVMISASVM, 0x7b}: uint64(perCPU * ncpus), {wire.KVMISASVM, 0x78}: 2,
		{wire.KVMISASVM, 0x1234}: 1, {wire.KVMISAVMX, 30}: 1,
	}
	if len(got) != len(want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%+v: %d exits, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if other, _ := e.KVMCounts(os.Getpid()); len(other) != 0 {
		t.Errorf("a process that ran no guest has counts %v", other)
	}
	if c, v := e.KVMEntries(); c != c0+4 || v != v0+1 {
		t.Errorf("maps hold %d counters, %d VMMs; want %d, %d", c, v, c0+4, v0+1)
	}
	if n := e.KVMUncounted(); n != 0 {
		t.Errorf("%d exits uncounted", n)
	}

	// The counts go with the process.
	vmm.Process.Kill()
	vmm.Wait()
	if got, _ := e.KVMCounts(pid); len(got) != 0 {
		t.Errorf("counts of an exited VMM: %v", got)
	}
	if c, v := e.KVMEntries(); c != c0 || v != v0 {
		t.Errorf("after the VMM exited the maps hold %d counters, %d VMMs; want %d, %d", c, v, c0, v0)
	}
}

// injectOnEveryCPU injects n io exits of thread pid+1 of process pid on
// each CPU this thread may run on, and returns how many CPUs that was.
func injectOnEveryCPU(t *testing.T, e *Engine, pid, n int) (ncpus int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var orig unix.CPUSet
	unix.SchedGetaffinity(0, &orig)
	defer unix.SchedSetaffinity(0, &orig)
	for cpu := 0; cpu < runtime.NumCPU(); cpu++ {
		var set unix.CPUSet
		set.Set(cpu)
		if unix.SchedSetaffinity(0, &set) != nil {
			continue
		}
		ncpus++
		for i := 0; i < n; i++ {
			if err := e.InjectKVMExit(pid, pid+1, wire.KVMExit{Reason: 0x7b, ISA: wire.KVMISASVM, RIP: uint64(0x1000 + i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ncpus
}
