package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// psi is a struct ptrace_syscall_info of op on x86_64.
func psi(op byte, words ...uint64) []byte {
	b := append([]byte{op, 0, 0, 0, 0x3e, 0, 0, 0xc0}, u64s(0x7feaeb2a7829, 0x7ffed9de8818)...)
	return append(b, u64s(words...)...)
}

// Lines from strace 6.1's tests ptrace_syscall_info(-X*).
func TestFamPtrace(t *testing.T) {
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4200, 9403, 0, 1}), `ptrace(PTRACE_SETOPTIONS, 9403, NULL, PTRACE_O_TRACESYSGOOD) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x18, 9403, 0, 0}), `ptrace(PTRACE_SYSCALL, 9403, NULL, 0) = 0`)
	checkLine(t, decodeLine(t, "ptrace", -3, [6]uint64{0x420e, 9402, 0, 0}), `ptrace(PTRACE_GET_SYSCALL_INFO, 9402, 0, NULL) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", 24, [6]uint64{0x420e, 9403, 0, 0x7feaeb38f000}), `ptrace(PTRACE_GET_SYSCALL_INFO, 9403, 0, 0x7feaeb38f000) = 24`)
	checkLine(t, decodeLine(t, "ptrace", 24, [6]uint64{0x420e, 9403, 1, 0x1000}, wire.Cap{Arg: 3, Data: []byte{0}}),
		`ptrace(PTRACE_GET_SYSCALL_INFO, 9403, 1, {op=PTRACE_SYSCALL_INFO_NONE}) = 24`)
	if runtime.GOARCH != "amd64" {
		return
	}
	entry := psi(1, 80, 0x5629a2d13248, 0xbad1fed1, 0xbad2fed2, 0xbad3fed3, 0xbad4fed4, 0xbad5fed5)
	checkLine(t, decodeLine(t, "ptrace", 80, [6]uint64{0x420e, 9403, 60, 0x1000}, wire.Cap{Arg: 3, Data: entry[:60]}),
		`ptrace(PTRACE_GET_SYSCALL_INFO, 9403, 60, {op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x7feaeb2a7829, stack_pointer=0x7ffed9de8818, entry={nr=__NR_chdir, args=[0x5629a2d13248, 0xbad1fed1, 0xbad2fed2]}}) = 80`)
	exit := append(psi(2, uint64(^uint64(1))), 1)
	checkLine(t, decodeLine(t, "ptrace", 33, [6]uint64{0x420e, 9403, 62, 0x1000}, wire.Cap{Arg: 3, Data: exit}),
		`ptrace(PTRACE_GET_SYSCALL_INFO, 9403, 62, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x7feaeb2a7829, stack_pointer=0x7ffed9de8818, exit={rval=-ENOENT, is_error=1}}) = 33`)
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 33, [6]uint64{0x420e, 9403, 62, 0x1000}, wire.Cap{Arg: 3, Data: exit}),
		`ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, 9403, 62, {op=0x2 /* PTRACE_SYSCALL_INFO_EXIT */, arch=0xc000003e /* AUDIT_ARCH_X86_64 */, instruction_pointer=0x7feaeb2a7829, stack_pointer=0x7ffed9de8818, exit={rval=-2 /* -ENOENT */, is_error=1}}) = 33`)
	gettid := psi(1, 186, 0xcaf0bea0)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 80, [6]uint64{0x420e, 9403, 40, 0x1000}, wire.Cap{Arg: 3, Data: gettid}),
		`ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, 9403, 40, {op=0x1 /* PTRACE_SYSCALL_INFO_ENTRY */, arch=0xc000003e /* AUDIT_ARCH_X86_64 */, instruction_pointer=0x7feaeb2a7829, stack_pointer=0x7ffed9de8818, entry={nr=186 /* __NR_gettid */, args=[0xcaf0bea0]}}) = 80`)
}
