package loader

import (
	"errors"
	"os"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// kvmExitFormatArm64 is kvm:kvm_exit's format in Debian 12's arm64 kernel
// (6.1.0-57-arm64, read in the arm64 guest of cmd/eproc's TestArm64Guest;
// the print format's list of ESR classes is cut short).
const kvmExitFormatArm64 = `name: kvm_exit
ID: 61
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int ret;	offset:8;	size:4;	signed:1;
	field:unsigned int esr_ec;	offset:12;	size:4;	signed:0;
	field:unsigned long vcpu_pc;	offset:16;	size:8;	signed:0;

print fmt: "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx", __print_symbolic(REC->ret, {0, "IRQ" }, {1, "SERROR" }, {2, "TRAP" }, {0xbadca11, "HYP_GONE" }), REC->esr_ec, __print_symbolic(REC->esr_ec, { (0x00), "UNKNOWN" }, { (0x01), "WFx" }, { (0x15), "SVC64" }, { (0x16), "HVC64" }), REC->vcpu_pc
`

// TestKVMParseOffsets: arm64's kvm_exit is not x86's, which is no reason
// for eproc not to start there (ErrUnsupported, not a load failure); x86's
// (this host's, when kvm is loaded) gives every offset the program reads.
func TestKVMParseOffsets(t *testing.T) {
	if _, err := kvmParseOffsets([]byte(kvmExitFormatArm64)); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("arm64's kvm_exit format: err %v, want errors.ErrUnsupported", err)
	}
	// An x86 format with a field of the wrong size is still an error, and
	// not ErrUnsupported: the program would read it wrong.
	bad := "\tfield:unsigned long exit_reason;\toffset:8;\tsize:8;\tsigned:0;\n"
	if _, err := kvmParseOffsets([]byte(bad)); err == nil || errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("8-byte exit_reason: err %v, want a layout error", err)
	}
	b, err := wire.KVMExitFormat()
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no kvm:kvm_exit here (kvm not loaded)")
	}
	if err != nil {
		t.Fatal(err)
	}
	offs, err := kvmParseOffsets(b)
	if err != nil {
		t.Fatalf("this host's kvm_exit format: %v", err)
	}
	if len(offs) != len(kvmFields) {
		t.Errorf("offsets %v, want one per field of %v", offs, kvmFields)
	}
}
