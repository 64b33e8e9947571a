package strace

import (
	"testing"

	"github.com/eproc/eproc/loader"
)

func TestKVMExitName(t *testing.T) {
	for _, c := range []struct {
		isa, reason uint32
		want        string
	}{
		{loader.KVMISASVM, 0x7b, "io"},
		{loader.KVMISASVM, 0x400, "npf"},
		{loader.KVMISASVM, 0x40 + 14, "PF excp"},
		{loader.KVMISASVM, 0xffffffff, "invalid_guest_state"},
		{loader.KVMISASVM, 0x3ff, "0x3ff"},
		{loader.KVMISAVMX, 30, "IO_INSTRUCTION"},
		{loader.KVMISAVMX, 48, "EPT_VIOLATION"},
		{loader.KVMISAVMX, 0x80000021, "INVALID_STATE FAILED_VMENTRY"},
		{loader.KVMISAVMX, 0x08000000 | 30, "0x800001e"}, // a flag the table has no word for
		{loader.KVMISAVMX, 0xfff, "0xfff"},
		{7, 30, "0x1e"},
	} {
		if got := KVMExitName(c.isa, c.reason); got != c.want {
			t.Errorf("KVMExitName(%d, %#x) = %q, want %q", c.isa, c.reason, got, c.want)
		}
	}
}

func TestKVMExitLine(t *testing.T) {
	rec := make([]byte, loader.KVMSize)
	le.PutUint16(rec[0:], loader.EvKVM)
	le.PutUint16(rec[2:], uint16(loader.KVMSize))
	le.PutUint32(rec[4:], 4242) // tid
	le.PutUint32(rec[8:], 4240) // tgid
	le.PutUint32(rec[24:], 30)  // reason
	le.PutUint32(rec[28:], loader.KVMISAVMX)
	le.PutUint32(rec[32:], 3) // vcpu
	le.PutUint64(rec[40:], 0xfff0)
	le.PutUint64(rec[48:], 0x3f80008)
	le.PutUint64(rec[56:], 0)
	d := NewDecoder(Options{Prefix: PrefixFile})
	if err := d.Feed(rec); err != nil {
		t.Fatal(err)
	}
	got := string(d.TakeInto(nil))
	want := "4242  --- KVM_EXIT {vcpu=3, isa=vmx, reason=IO_INSTRUCTION, rip=0xfff0, info1=0x3f80008, info2=0x0} ---\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if err := d.Feed(rec[:loader.KVMSize-8]); err == nil {
		t.Error("a short record was accepted")
	}
}
