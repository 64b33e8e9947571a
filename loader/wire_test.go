package loader

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestWireMatchesHeader checks the Go mirror of bpf/eproc.h's constants.
func TestWireMatchesHeader(t *testing.T) {
	src, err := os.ReadFile("../bpf/eproc.h")
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\s*([A-Z][A-Z0-9_]+)\s*=\s*(\d+)\s*,`).FindAllSubmatch(src, -1) {
		v, _ := strconv.Atoi(string(m[2]))
		defs[string(m[1])] = v
	}
	for _, m := range regexp.MustCompile(`(?m)^#define\s+([A-Z][A-Z0-9_]+)\s+(\d+)`).FindAllSubmatch(src, -1) {
		v, _ := strconv.Atoi(string(m[2]))
		defs[string(m[1])] = v
	}
	want := map[string]int{
		"EPROC_ABI": ABI, "EV_SYSCALL": EvSyscall, "EV_ENTER": EvEnter, "EV_SIGNAL": EvSignal,
		"EV_EXIT": EvExit, "EV_FORK": EvFork, "EV_EXEC": EvExec, "EV_MARK": EvMark, "EV_KVM": EvKVM, "EV_DROPS": EvDrops, "KVM_ISA_VMX": KVMISAVMX, "KVM_ISA_SVM": KVMISASVM,
		"SF_TIME": sfTime, "SF_LATENCY": sfLatency, "SF_UNPRIV": sfUnpriv,
		"EXIT_THREAD": ExitThread, "EXIT_GROUP": ExitGroup, "EXIT_DETACHED": ExitDetached, "EXIT_SUPERSEDED": ExitSuperseded, "CAPF_FAULT": CapFault, "CAPF_TRUNC": CapTrunc,
		"CK_NONE": CKNone, "CK_STR": CKStr, "CK_MEM": CKMem, "CK_IOV": CKIov, "CK_STRV": CKStrv, "CK_PCOUNT": CKPCount,
		"SZ_CONST": SzConst, "SZ_ARG": SzArg, "SZ_RET": SzRet, "SZ_ARGPTR": SzArgPtr, "SZ_STRSIZE": SzStrsize,
		"CW_IN": CWIn, "CW_OK": CWOK, "PF_NORETURN": PFNoReturn, "PF_EXEC": PFExec,
		"TF_INHERIT": TFInherit, "TF_SPAWNER": TFSpawner, "TF_WAITEXEC": TFWaitExec, "TF_SIGPEND": TFSigPend,
		"EPROC_MAX_SESSIONS": MaxSessions, "EPROC_MAX_SYSCALLS": MaxSyscalls, "EPROC_NCAPS": NCaps,
		"EPROC_SCRATCH": Scratch, "EPROC_MAX_CAP": MaxCap, "EPROC_STRV_MAX": StrvMax, "EPROC_IOV_MAX": IovMax,
	}
	for name, v := range want {
		got, ok := defs[name]
		if !ok {
			t.Errorf("%s: not found in eproc.h", name)
			continue
		}
		if got != v {
			t.Errorf("%s: eproc.h says %d, Go says %d", name, got, v)
		}
	}
	if HdrSize != 24 || SyscallSize != 96 || CapSize != 8 || KVMSize != 64 {
		t.Errorf("record sizes changed: hdr %d syscall %d cap %d kvm %d", HdrSize, SyscallSize, CapSize, KVMSize)
	}
}
