package procview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"syscall"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestVMStatus: vmstatus and the stream's KVM_EXIT lines, read with cat,
// for exits fed through the kernel's kvm_exit accounting (this machine
// has no VMX or SVM; `make test-kvm` does the same with a real guest).
func TestVMStatus(t *testing.T) {
	v, m := mount(t)
	e := v.eng
	tr := startTracee(t, `exit 0`)
	pdir := filepath.Join(m, strconv.Itoa(tr.pid))

	catFile := func(name string) (string, error) {
		out, err := exec.Command("cat", filepath.Join(pdir, name)).CombinedOutput()
		return string(out), err
	}
	if s, err := catFile("vmstatus"); err != nil || s != "{}\n" {
		t.Fatalf("vmstatus of a process that never ran a guest: %q, %v", s, err)
	}

	if err := writeFile(filepath.Join(pdir, "ctl"), "straceall\n"); err != nil {
		t.Fatal(err)
	}
	cat := exec.Command("cat", filepath.Join(pdir, "strace"))
	var out bytes.Buffer
	cat.Stdout = &out
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}

	const nio = 1000
	vcpuTid := tr.pid + 7 // a vCPU thread's id; lines carry it
	inject := func(tid int, x wire.KVMExit) {
		t.Helper()
		if err := e.InjectKVMExit(tr.pid, tid, x); err != nil {
			t.Fatal(err)
		}
	}
	// One OS thread makes the exits, as a vCPU thread would: the per-CPU
	// batches keep each kernel task's records in order (a task that moves
	// takes its records along), not a goroutine's. Unlocked, the goroutine
	// may go on on another thread and CPU while its last records wait in
	// the first CPU's batch; on an AMD EPYC family 23 machine the stream
	// then had records 504.. before 449..503.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := 0; i < nio; i++ {
		inject(vcpuTid, wire.KVMExit{Reason: 0x7b, ISA: wire.KVMISASVM, RIP: 0x1004, Info1: uint64(i)<<16 | 0x10, Info2: 0x1006})
	}
	inject(tr.pid, wire.KVMExit{Reason: 0x78, ISA: wire.KVMISASVM, VCPU: 1, RIP: 0x100a})          // hlt
	inject(tr.pid, wire.KVMExit{Reason: 0x40 + 14, ISA: wire.KVMISASVM, Info1: 4, Info2: 0xb8000}) // PF excp
	inject(tr.pid, wire.KVMExit{Reason: 0x1234, ISA: wire.KVMISASVM})                              // no name

	s, err := catFile("vmstatus")
	if err != nil {
		t.Fatal(err)
	}
	checkVMStatus(t, s, nio)

	tr.release(t)
	if err := cat.Wait(); err != nil {
		t.Fatalf("cat strace: %v", err)
	}
	checkKVMStream(t, out.String(), tr.pid, vcpuTid, nio)

	// The counts go with the process; its files answer ESRCH.
	tr.cmd.Wait()
	if got, _ := e.KVMCounts(tr.pid); len(got) != 0 {
		t.Errorf("counts of an exited VMM: %v", got)
	}
	if _, err := os.ReadFile(filepath.Join(pdir, "vmstatus")); !errors.Is(err, syscall.ESRCH) && !errors.Is(err, os.ErrNotExist) {
		t.Errorf("vmstatus of an exited process: %v", err)
	}
}

// checkVMStatus checks vmstatus s after the exits TestVMStatus injects:
// JSON, numbers, keys sorted.
func checkVMStatus(t *testing.T, s string, nio int) {
	var counts map[string]json.Number
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&counts); err != nil {
		t.Fatalf("vmstatus is not JSON: %v\n%s", err, s)
	}
	want := map[string]string{"io": strconv.Itoa(nio), "hlt": "1", "PF excp": "1", "0x1234": "1"}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("vmstatus %s, want %v", s, want)
	}
	if s != `{"0x1234":1,"PF excp":1,"hlt":1,"io":1000}`+"\n" {
		t.Errorf("vmstatus %q: want numbers, keys sorted", s)
	}
}

// checkKVMStream checks the stream str of TestVMStatus's tracee pid: the
// nio io exits of thread vcpuTid in order, the other three, the hang-up
// line.
func checkKVMStream(t *testing.T, str string, pid, vcpuTid, nio int) {
	ioLine := regexp.MustCompile(fmt.Sprintf(`(?m)^%d +--- KVM_EXIT \{vcpu=0, isa=svm, reason=io, rip=0x1004, info1=0x([0-9a-f]+), info2=0x1006\} ---$`, vcpuTid))
	ios := ioLine.FindAllStringSubmatch(str, -1)
	if len(ios) != nio {
		t.Errorf("%d io lines in the stream, want %d:\n%s", len(ios), nio, tail(str))
	}
	for i, m := range ios {
		if m[1] != strconv.FormatUint(uint64(i)<<16|0x10, 16) {
			t.Errorf("io line %d out of order: info1=0x%s", i, m[1])
			break
		}
	}
	for _, re := range []string{
		fmt.Sprintf(`(?m)^%d +--- KVM_EXIT \{vcpu=1, isa=svm, reason=hlt, rip=0x100a, info1=0x0, info2=0x0\} ---$`, pid),
		fmt.Sprintf(`(?m)^%d +--- KVM_EXIT \{vcpu=0, isa=svm, reason="PF excp", rip=0x0, info1=0x4, info2=0xb8000\} ---$`, pid),
		fmt.Sprintf(`(?m)^%d +--- KVM_EXIT \{vcpu=0, isa=svm, reason=0x1234, rip=0x0, info1=0x0, info2=0x0\} ---$`, pid),
		`(?m)^Traced ~\d+ syscs, Dropped 0\n\z`,
	} {
		if !regexp.MustCompile(re).MatchString(str) {
			t.Errorf("stream lacks %s\n%s", re, tail(str))
		}
	}
}
