package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's prctl-* tests.
func TestFamPrctl(t *testing.T) {
	str := func(s string) wire.Cap { return wire.Cap{Arg: 1, Data: []byte(s)} }
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{13, 0xfacefeeddeadbeef}), `prctl(PR_GET_TIMING) = 0`)
	checkLine(t, decodeLine(t, "prctl", 50000, [6]uint64{30}), `prctl(PR_GET_TIMERSLACK) = 50000`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{4, 0xdeadc0de00000001}), `prctl(PR_SET_DUMPABLE, 0xdeadc0de00000001 /* SUID_DUMP_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{4, 1}), `prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = 0`)
	checkLine(t, decodeLine(t, "prctl", 1, [6]uint64{3}), `prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{28, 0xdeadc0defacebeef}),
		`prctl(PR_SET_SECUREBITS, SECBIT_NOROOT|SECBIT_NOROOT_LOCKED|SECBIT_NO_SETUID_FIXUP|SECBIT_NO_SETUID_FIXUP_LOCKED|SECBIT_KEEP_CAPS_LOCKED|SECBIT_NO_CAP_AMBIENT_RAISE|SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED|0xdeadc0defacebe00) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0xff, [6]uint64{27}),
		`prctl(PR_GET_SECUREBITS) = 0xff (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED|SECBIT_NO_SETUID_FIXUP|SECBIT_NO_SETUID_FIXUP_LOCKED|SECBIT_KEEP_CAPS|SECBIT_KEEP_CAPS_LOCKED|SECBIT_NO_CAP_AMBIENT_RAISE|SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)`)
	checkLine(t, decodeLine(t, "prctl", 1, [6]uint64{23, 30}), `prctl(PR_CAPBSET_READ, CAP_AUDIT_CONTROL) = 1`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{24, 0xff}), `prctl(PR_CAPBSET_DROP, 0xff /* CAP_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -1, [6]uint64{47, 2, 13}), `prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) = -1 EPERM (Operation not permitted)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{33, 1, 0xff}), `prctl(PR_MCE_KILL, PR_MCE_KILL_SET, 0xff /* PR_MCE_KILL_??? */, 0, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", 2, [6]uint64{34}), `prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 2 (PR_MCE_KILL_DEFAULT)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{15, 0x1000}, str("0123456789abcdef")), `prctl(PR_SET_NAME, "0123456789abcde"...) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{16, 0x1000}, str("0123456789abcde\x00")), `prctl(PR_GET_NAME, "0123456789abcde") = 0`)
	checkLine(t, decodeLine(t, "prctl", -14, [6]uint64{16, 0x7fa13933dfff}), `prctl(PR_GET_NAME, 0x7fa13933dfff) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{1, 0xdeadbeefdeadbeed}), `prctl(PR_SET_PDEATHSIG, 16045690984833335021) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{2, 0x1000}, str("\x02\x00\x00\x00")), `prctl(PR_GET_PDEATHSIG, [SIGINT]) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{25, 0x1000}, str("\x02\x00\x00\x00")), `prctl(PR_GET_TSC, [PR_TSC_SIGSEGV]) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{37, 0x1000}, str("\x00\x00\x00\x00")), `prctl(PR_GET_CHILD_SUBREAPER, [0]) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{40, 0x1000}, str("\x10\x6a\x4e\x3b\x2b\x7f\x00\x00")), `prctl(PR_GET_TID_ADDRESS, [0x7f2b3b4e6a10]) = 0`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{6, 0xff00}), `prctl(PR_SET_UNALIGN, 0xff00 /* PR_UNALIGN_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{0x53564d41, 0, 0x7fa0066dffff, 2, 0x1000}, wire.Cap{Arg: 4, Data: []byte("0123456789012345678901234567890123"), Flags: wire.CapTrunc}),
		`prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7fa0066dffff, 2, "01234567890123456789012345678901"...) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{59, 0xffffffff00000000, 1, 1, 1}),
		`prctl(PR_SET_SYSCALL_USER_DISPATCH, 0xffffffff00000000 /* PR_SYS_DISPATCH_??? */, 0x1, 0x1, 0x1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{50, 0x600ff}), `prctl(PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0xff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{63, 0xbadc0ded0000face}), `prctl(PR_SME_SET_VL, 0xbadc0ded00000000|0xface) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{54, 0xcafe, 1, 2, 3}),
		`prctl(PR_PAC_RESET_KEYS, PR_PAC_APIBKEY|PR_PAC_APDAKEY|PR_PAC_APDBKEY|PR_PAC_APGAKEY|0xcae0, 0x1, 0x2, 0x3) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{55, 0x57a80000 | 0xcafe<<3 | 4, 1, 2, 3}),
		`prctl(PR_SET_TAGGED_ADDR_CTRL, !PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC|0xcafe<<PR_MTE_TAG_SHIFT|0x57a80000, 0x1, 0x2, 0x3) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "prctl", -22, [6]uint64{62, 0, 29841, 1, 0}), `prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 29841, 0x1 /* PIDTYPE_TGID */, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "prctl", -22, [6]uint64{0x38}), `prctl(0x38, 0, 0, 0, 0) = -1 EINVAL (Invalid argument)`)
	// strace 6.1's prctl-name: a name of 15 bytes before an unreadable
	// page (the capture: the bytes before it), one that ends there.
	part := func(s string) wire.Cap { return wire.Cap{Arg: 1, Data: []byte(s), Flags: wire.CapFault | wire.CapPart} }
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{15, 0x7f7f1aa51ff1}, part("123456789abcdef")), `prctl(PR_SET_NAME, "123456789abcdef"...) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{15, 0x7f7f1aa51ffc}, part("abc\x00")), `prctl(PR_SET_NAME, "abc") = 0`)
	checkLine(t, decodeLine(t, "prctl", -14, [6]uint64{15, 0x7f7f1aa51ffd}, part("abc")), `prctl(PR_SET_NAME, 0x7f7f1aa51ffd) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 4}, "prctl", 0, [6]uint64{16, 0x1000}, str("0123\x00")), `prctl(PR_GET_NAME, "0123"...) = 0`)
	// prctl-tid_address, prctl-sched-core-success: a pointer before an
	// unreadable page.
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{40, 0x7fcac1c28ff8}, str("\xfd\xff\xff\xff\xff\xff\xff\xff")), `prctl(PR_GET_TID_ADDRESS, [0xfffffffffffffffd]) = 0`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{62, 0, 31746, 0, 0x7fe18a40eff8}, wire.Cap{Arg: 4, Data: []byte("\xed\x0d\xdc\xba\xde\xc0\xad\xde")}),
		`prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 31746, 0 /* PIDTYPE_PID */, [0xdeadc0debadc0ded]) = 0`)
	// Results in hex with flags (sprintflags_ex's SPFF_AUXSTR_MODE): none
	// known, none shown.
	checkLine(t, decodeLine(t, "prctl", 0x20, [6]uint64{46}), `prctl(PR_GET_FP_MODE) = 0x20`)
	checkLine(t, decodeLine(t, "prctl", 0x103, [6]uint64{27}), `prctl(PR_GET_SECUREBITS) = 0x103 (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED|0x100)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{52, 1}), `prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH) = 0 (PR_SPEC_NOT_AFFECTED)`)
	checkLine(t, decodeLine(t, "prctl", 0, [6]uint64{27}), `prctl(PR_GET_SECUREBITS) = 0`)
}
