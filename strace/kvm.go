package strace

import (
	"regexp"
	"strconv"
	"sync/atomic"

	"github.com/eproc/eproc/loader/wire"
)

// KVM exits. A traced VMM's vCPU threads put a line in the stream for each
// time their guest leaves the CPU (kvm:kvm_exit), between its syscalls:
//
//	PID  --- KVM_EXIT {vcpu=0, isa=svm, reason=io, rip=0x1004, info1=0x100210, info2=0x1006} ---
//
// reason is the kernel's name for the exit (the VMX_EXIT_REASONS or
// SVM_EXIT_REASONS table, by isa), quoted when it is not a plain word
// ("DE excp"), or the exit code in hex when the kernel has no name for it.
// rip is the guest's instruction pointer; info1 and info2 are the exit's
// qualification as the kernel's tracepoint gives them (SVM: EXITINFO1/2;
// VMX: exit qualification and, where it has one, the interruption info).

// vmxFailedVMEntry is the flag VMX sets in the exit reason of a VM entry
// that failed; the low 16 bits are the basic reason.
const vmxFailedVMEntry = 0x80000000

// KVMExitName names an exit reason as the kernel's tracepoint does: by the
// ISA's table (the uapi headers', then the running kernel's), or the code
// in hex when neither has a name.
func KVMExitName(isa, reason uint32) string {
	if n, flagged, ok := kvmExitName(isa, reason); ok {
		if flagged {
			return n + " FAILED_VMENTRY"
		}
		return n
	}
	return "0x" + strconv.FormatUint(uint64(reason), 16)
}

// kvmExitName looks the reason up without building a string: its name, and
// whether VMX's failed-entry flag goes after it; ok false: no name.
func kvmExitName(isa, reason uint32) (name string, failedEntry, ok bool) {
	switch isa {
	case wire.KVMISAVMX:
		if reason&^(0xffff|vmxFailedVMEntry) != 0 {
			return "", false, false
		}
		n, ok := vmxExitNames[reason&0xffff]
		if !ok {
			n, ok = kernelExitName(isa, reason&0xffff)
		}
		return n, reason&vmxFailedVMEntry != 0, ok
	case wire.KVMISASVM:
		n, ok := svmExitNames[reason]
		if !ok {
			n, ok = kernelExitName(isa, reason)
		}
		return n, false, ok
	}
	return "", false, false
}

// KVMISAName is the ISA's name in lines and tables: vmx, svm, or its number.
func KVMISAName(isa uint32) string {
	switch isa {
	case wire.KVMISAVMX:
		return "vmx"
	case wire.KVMISASVM:
		return "svm"
	}
	return strconv.FormatUint(uint64(isa), 10)
}

func (t *Text) kvmExit(k *wire.KVMExit) {
	if t.opt.Summary {
		return
	}
	t.closeOpen()
	t.leader(k.Tid, k.TS, 0)
	p := &t.p
	p.s("--- KVM_EXIT {vcpu=")
	p.u(uint64(k.VCPU))
	p.s(", isa=")
	p.s(KVMISAName(k.ISA))
	p.s(", reason=")
	switch n, flagged, ok := kvmExitName(k.ISA, k.Reason); {
	case !ok:
		p.x(uint64(k.Reason))
	case flagged || !plainWord(n):
		p.c('"')
		p.s(n)
		if flagged {
			p.s(" FAILED_VMENTRY")
		}
		p.c('"')
	default:
		p.s(n)
	}
	p.s(", rip=")
	p.x(k.RIP)
	p.s(", info1=")
	p.x(k.Info1)
	p.s(", info2=")
	p.x(k.Info2)
	p.s("} ---")
	p.newline()
}

// plainWord: letters, digits and underscores only.
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// The running kernel's names: kvm:kvm_exit's print format holds its
// VMX_EXIT_REASONS and SVM_EXIT_REASONS tables, which may be newer than
// the uapi headers zkvmexits.go was made from. They are read the first
// time a code is missing from the generated tables (and again at later
// misses while kvm is not loaded).
var kernelExitNames atomic.Pointer[[2]map[uint32]string]

var (
	symbolicRe = regexp.MustCompile(`__print_symbolic\(REC->exit_reason[^,]*,((?:\s*\{[^{}]*\}\s*,?)*)\)`)
	symEntryRe = regexp.MustCompile(`\{\s*(-?(?:0x[0-9a-fA-F]+|\d+))(?:\s*\+\s*(\d+))?\s*,\s*"([^"]*)"\s*\}`)
)

// parseExitPrintFmt reads the two tables out of kvm_exit's format file:
// the first __print_symbolic is VMX's (isa == 1), the second SVM's.
func parseExitPrintFmt(format string) (tabs [2]map[uint32]string, ok bool) {
	ms := symbolicRe.FindAllStringSubmatch(format, -1)
	if len(ms) != 2 {
		return tabs, false
	}
	for i, m := range ms {
		tabs[i] = map[uint32]string{}
		for _, e := range symEntryRe.FindAllStringSubmatch(m[1], -1) {
			v, err := strconv.ParseInt(e[1], 0, 64)
			if err != nil {
				continue
			}
			if e[2] != "" {
				add, _ := strconv.ParseInt(e[2], 10, 64)
				v += add
			}
			tabs[i][uint32(v)] = e[3]
		}
	}
	return tabs, len(tabs[0]) > 0 && len(tabs[1]) > 0
}

func kernelExitName(isa, code uint32) (string, bool) {
	tabs := kernelExitNames.Load()
	if tabs == nil {
		b, err := wire.KVMExitFormat()
		if err != nil {
			return "", false
		}
		t, ok := parseExitPrintFmt(string(b))
		if !ok {
			t = [2]map[uint32]string{{}, {}} // unreadable: do not try again
		}
		kernelExitNames.CompareAndSwap(nil, &t)
		tabs = kernelExitNames.Load()
	}
	if isa != wire.KVMISAVMX && isa != wire.KVMISASVM {
		return "", false
	}
	n, ok := tabs[isa-1][code]
	return n, ok
}
