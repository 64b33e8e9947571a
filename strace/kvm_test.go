package strace

import (
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

func TestKVMExitName(t *testing.T) {
	for _, c := range []struct {
		isa, reason uint32
		want        string
	}{
		{wire.KVMISASVM, 0x7b, "io"},
		{wire.KVMISASVM, 0x400, "npf"},
		{wire.KVMISASVM, 0x40 + 14, "PF excp"},
		{wire.KVMISASVM, 0xffffffff, "invalid_guest_state"},
		{wire.KVMISASVM, 0x3ff, "0x3ff"},
		{wire.KVMISAVMX, 30, "IO_INSTRUCTION"},
		{wire.KVMISAVMX, 48, "EPT_VIOLATION"},
		{wire.KVMISAVMX, 0x80000021, "INVALID_STATE FAILED_VMENTRY"},
		{wire.KVMISAVMX, 0x08000000 | 30, "0x800001e"}, // a flag the table has no word for
		{wire.KVMISAVMX, 0xfff, "0xfff"},
		{7, 30, "0x1e"},
	} {
		if got := KVMExitName(c.isa, c.reason); got != c.want {
			t.Errorf("KVMExitName(%d, %#x) = %q, want %q", c.isa, c.reason, got, c.want)
		}
	}
}

func TestKVMExitLine(t *testing.T) {
	rec := make([]byte, wire.KVMSize)
	le.PutUint16(rec[0:], wire.EvKVM)
	le.PutUint16(rec[2:], uint16(wire.KVMSize))
	le.PutUint32(rec[4:], 4242) // tid
	le.PutUint32(rec[8:], 4240) // tgid
	le.PutUint32(rec[24:], 30)  // reason
	le.PutUint32(rec[28:], wire.KVMISAVMX)
	le.PutUint32(rec[32:], 3) // vcpu
	le.PutUint64(rec[40:], 0xfff0)
	le.PutUint64(rec[48:], 0x3f80008)
	le.PutUint64(rec[56:], 0)
	d, txt := newText(Options{Prefix: PrefixFile})
	if err := d.Feed(rec); err != nil {
		t.Fatal(err)
	}
	got := string(txt.TakeInto(nil))
	want := "4242  --- KVM_EXIT {vcpu=3, isa=vmx, reason=IO_INSTRUCTION, rip=0xfff0, info1=0x3f80008, info2=0x0} ---\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if err := d.Feed(rec[:wire.KVMSize-8]); err == nil {
		t.Error("a short record was accepted")
	}
}

func TestParseExitPrintFmt(t *testing.T) {
	const f = `print fmt: "vcpu %u reason %s%s%s rip 0x%lx", REC->vcpu_id, (REC->isa == 1) ? __print_symbolic(REC->exit_reason & 0xffff, { 0, "EXCEPTION_NMI" }, { 84, "MSR_READ_IMM" }) : __print_symbolic(REC->exit_reason, { 0x040 + 14, "PF excp" }, { 0x0a6, "idle-halt" }, { -1, "invalid_guest_state" }), (REC->isa == 1 && REC->exit_reason & ~0xffff) ? " " : "", REC->guest_rip`
	tabs, ok := parseExitPrintFmt(f)
	if !ok {
		t.Fatal("not parsed")
	}
	want := [2]map[uint32]string{{0: "EXCEPTION_NMI", 84: "MSR_READ_IMM"}, {0x4e: "PF excp", 0xa6: "idle-halt", 0xffffffff: "invalid_guest_state"}}
	for i := range want {
		if len(tabs[i]) != len(want[i]) {
			t.Errorf("table %d: %v, want %v", i, tabs[i], want[i])
		}
		for k, v := range want[i] {
			if tabs[i][k] != v {
				t.Errorf("table %d: %#x = %q, want %q", i, k, tabs[i][k], v)
			}
		}
	}
	if _, ok := parseExitPrintFmt(`print fmt: "%d", REC->x`); ok {
		t.Error("a format without the tables parsed")
	}
}

// TestKernelExitNames: where the running kernel has kvm:kvm_exit, its
// tables agree with the generated ones on every code both name, and the
// codes only it names get its names.
func TestKernelExitNames(t *testing.T) {
	b, err := wire.KVMExitFormat()
	if err != nil {
		t.Skipf("no kvm:kvm_exit format here: %v", err)
	}
	if !strings.Contains(string(b), "exit_reason") {
		// arm64's kvm_exit (ret, esr_ec, vcpu_pc) names no VMX or SVM exit.
		t.Skipf("kvm:kvm_exit is not x86's here:\n%s", b)
	}
	tabs, ok := parseExitPrintFmt(string(b))
	if !ok {
		t.Fatalf("the kernel's kvm_exit format did not parse:\n%s", b)
	}
	for i, gen := range []map[uint32]string{vmxExitNames, svmExitNames} {
		isa := uint32(i + 1)
		same := 0
		for code, name := range tabs[i] {
			if g, ok := gen[code]; ok {
				if g != name {
					t.Errorf("isa %d code %#x: kernel says %q, headers %q", isa, code, name, g)
				}
				same++
			} else if got := KVMExitName(isa, code); got != name {
				t.Errorf("isa %d code %#x only the kernel names: KVMExitName = %q, want %q", isa, code, got, name)
			}
		}
		if same < len(gen)*9/10 {
			t.Errorf("isa %d: the kernel names only %d of the headers' %d codes", isa, same, len(gen))
		}
	}
}
