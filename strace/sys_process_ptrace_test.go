package strace

import (
	"runtime"
	"strings"
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

// ptrace's data by request (sys_process_ptrace_data.go), as strace 6.1's
// test ptrace prints it.
func TestFamPtraceData(t *testing.T) {
	esrch := -int64(3)
	part := func(arg uint8, b []byte) wire.Cap {
		return wire.Cap{Arg: arg, Flags: wire.CapFault | wire.CapPart, Data: b}
	}
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x420b, 14352, 8, 0x1ff8}, wire.Cap{Arg: 3, Data: []byte{0, 2, 0, 0, 0, 0, 0, 0}}),
		`ptrace(PTRACE_SETSIGMASK, 14352, 8, [USR1]) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x420b, 14352, 4, 0x1ff8}, wire.Cap{Arg: 3, Data: []byte{0, 2, 0, 0}}),
		`ptrace(PTRACE_SETSIGMASK, 14352, 4, 0x1ff8) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x420d, 14352, 16045704243956412429, 0x1ff8}, part(3, u64s(18072662652281012446))),
		`ptrace(PTRACE_SECCOMP_GET_METADATA, 14352, 16045704243956412429, {filter_off=18072662652281012446}) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", 16, [6]uint64{0x420d, 14352, 16, 0x1ff0}, wire.Cap{Arg: 3, Data: u64s(0, 1)}),
		`ptrace(PTRACE_SECCOMP_GET_METADATA, 14352, 16, {filter_off=0, flags=SECCOMP_FILTER_FLAG_TSYNC}) = 16`)
	si := make([]byte, siginfoSize)
	le.PutUint32(si, 29)              // SIGIO
	le.PutUint32(si[4:], 2)           // ENOENT
	le.PutUint32(si[8:], 1)           // POLL_IN
	le.PutUint64(si[16:], ^uint64(1)) // si_band -2
	le.PutUint32(si[24:], 23)         // si_fd
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x4203, 14352, 0xdeadbeeffffffeed, 0x1f80}, wire.Cap{Arg: 3, Data: si}),
		`ptrace(PTRACE_SETSIGINFO, 14352, 0xdeadbeeffffffeed, {si_signo=SIGIO, si_code=POLL_IN, si_errno=ENOENT, si_band=-2, si_fd=23}) = -1 ESRCH (No such process)`)
	peek := make([]byte, 2*siginfoSize)
	for k, sig := range []uint32{10, 12} {
		b := peek[k*siginfoSize:]
		le.PutUint32(b, sig)
		le.PutUint32(b[8:], 0xfffffffa) // SI_TKILL
		le.PutUint32(b[16:], 14353)
	}
	checkLine(t, decodeLine(t, "ptrace", 2, [6]uint64{0x4209, 14353, 0x1ff0, 0x3000}, wire.Cap{Arg: 2, Data: append(u64s(0), 0, 0, 0, 0, 4, 0, 0, 0)}, wire.Cap{Arg: 3, Data: peek}),
		`ptrace(PTRACE_PEEKSIGINFO, 14353, {off=0, flags=0, nr=4}, [{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=14353, si_uid=0}, {si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=14353, si_uid=0}]) = 2`)
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x4209, 14352, 0x1ff0, 0xdeadbeeffffffeed}, wire.Cap{Arg: 2, Data: append(u64s(16045690985305276141), 1, 0, 0, 0, 42, 0, 0, 0)}),
		`ptrace(PTRACE_PEEKSIGINFO, 14352, {off=16045690985305276141, flags=PTRACE_PEEKSIGINFO_SHARED, nr=42}, 0xdeadbeeffffffeed) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", -22, [6]uint64{0x4204, 14352, 2, 0x1ff0}, wire.Cap{Arg: 3, Data: u64s(0x7f86c5e08000, 8)}),
		`ptrace(PTRACE_GETREGSET, 14352, NT_FPREGSET, {iov_base=0x7f86c5e08000, iov_len=8}) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "ptrace", esrch, [6]uint64{0x4205, 14352, 1, 0x7f86c5e07fff}),
		`ptrace(PTRACE_SETREGSET, 14352, NT_PRSTATUS, 0x7f86c5e07fff) = -1 ESRCH (No such process)`)
	if !ptraceArchRegs {
		return
	}
	regs := u64s(0x55b7fdc35139, 0x55b7fdc350cf, 0xdefaced000038f7, 0x13, 0x7fd65b91fff0, 0x38fb, 0x246, 0x7fd65b953410,
		0xbadc0dedbadc0ded, 0xbadc0dedbadc0ded, 0, 0x7fd65b9c8eec, 0x13, 0x38fb, 0x38fb, 0xea, 0x7fd65b9c8eec, 0x33, 0x246,
		0x7ffcfd6ddcb0, 0x2b, 0x7f86c5e23740, 0, 0, 0, 0, 0)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0xc, 14587, 0xdeadbeefdeadbeef, 0x1f28}, wire.Cap{Arg: 3, Data: regs}),
		`ptrace(PTRACE_GETREGS, 14587, {r15=0x55b7fdc35139, r14=0x55b7fdc350cf, r13=0xdefaced000038f7, r12=0x13, rbp=0x7fd65b91fff0, rbx=0x38fb, r11=0x246, r10=0x7fd65b953410, r9=0xbadc0dedbadc0ded, r8=0xbadc0dedbadc0ded, rax=0, rcx=0x7fd65b9c8eec, rdx=0x13, rsi=0x38fb, rdi=0x38fb, orig_rax=0xea, rip=0x7fd65b9c8eec, cs=0x33, eflags=0x246, rsp=0x7ffcfd6ddcb0, ss=0x2b, fs_base=0x7f86c5e23740, gs_base=0, ds=0, es=0, fs=0, gs=0}) = 0`)
	checkLine(t, decodeLine(t, "ptrace", -14, [6]uint64{0xe, 14352, 0, 0x7f86c5e08000}),
		`ptrace(PTRACE_GETFPREGS, 14352, 0x7f86c5e08000) = -1 EFAULT (Bad address)`)
	fp := make([]byte, ptFpregsSize)
	le.PutUint16(fp, 0x37f)
	le.PutUint32(fp[24:], 0x1f80)
	le.PutUint32(fp[28:], 0xffff)
	le.PutUint32(fp[160:], 0xc60500c8)
	zeros := func(n int) string { return strings.TrimSuffix(strings.Repeat("0, ", n), ", ") }
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0xf, 14354, 0, 0x1e00}, wire.Cap{Arg: 3, Data: fp}),
		`ptrace(PTRACE_SETFPREGS, 14354, {cwd=0x37f, swd=0, ftw=0, fop=0, rip=0, rdp=0, mxcsr=0x1f80, mxcr_mask=0xffff, st_space=[`+zeros(32)+`], xmm_space=[0xc60500c8, `+zeros(63)+`], padding=[`+zeros(24)+`]}) = 0`)
	var out strings.Builder
	p := &printer{}
	ptRegs(p, regs, 16)
	ptFpregs(p, fp, 40)
	out.Write(p.b)
	if got, want := out.String(), `{r15=0x55b7fdc35139, r14=0x55b7fdc350cf}{cwd=0x37f, swd=0, ftw=0, fop=0, rip=0, rdp=0, mxcsr=0x1f80, mxcr_mask=0xffff, st_space=[0, 0]}`; got != want {
		t.Errorf("partial register sets:\n got: %s\nwant: %s", got, want)
	}
}

// GETREGSET's and SETREGSET's registers (the iovec's buffer, element 1 of
// data's captures) and iov_len before (the entry capture) and after the
// call, as strace 6.1's test ptrace prints them.
func TestFamPtraceRegset(t *testing.T) {
	if !ptraceArchRegs {
		t.Skip("x86_64's register sets")
	}
	regs := make([]byte, ptRegsSize)
	for k := range ptRegsSize / 8 {
		le.PutUint64(regs[8*k:], uint64(k))
	}
	iov := func(n uint64) wire.Cap { return wire.Cap{Arg: 3, Data: u64s(0x7f0000001000, n)} }
	was := func(n uint64) wire.Cap { return wire.Cap{Arg: 3, Idx: wire.EntryIdx, Data: u64s(n)} }
	all := `r15=0, r14=0x1, r13=0x2, r12=0x3, rbp=0x4, rbx=0x5, r11=0x6, r10=0x7, r9=0x8, r8=0x9, rax=0xa, rcx=0xb, rdx=0xc, rsi=0xd, rdi=0xe, orig_rax=0xf, rip=0x10, cs=0x11, eflags=0x12, rsp=0x13, ss=0x14, fs_base=0x15, gs_base=0x16, ds=0x17, es=0x18, fs=0x19, gs=0x1a`
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4204, 22402, 1, 0x2000}, iov(216), wire.Cap{Arg: 3, Idx: 1, Data: regs}, was(224)),
		`ptrace(PTRACE_GETREGSET, 22402, NT_PRSTATUS, {iov_base={`+all+`}, iov_len=224 => 216}) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4205, 22402, 1, 0x2000}, iov(216), wire.Cap{Arg: 3, Idx: 1, Data: append(regs, 0, 0, 0, 0, 0, 0, 0, 0)}, was(224)),
		`ptrace(PTRACE_SETREGSET, 22402, NT_PRSTATUS, {iov_base={`+all+`, ...}, iov_len=224 => 216}) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4205, 22402, 1, 0x2000}, iov(16), wire.Cap{Arg: 3, Idx: 1, Data: regs[:16]}, was(16)),
		`ptrace(PTRACE_SETREGSET, 22402, NT_PRSTATUS, {iov_base={r15=0, r14=0x1}, iov_len=16}) = 0`)
	// A length not of whole words, a failed GETREGSET: the address.
	checkLine(t, decodeLine(t, "ptrace", -22, [6]uint64{0x4205, 22402, 1, 0x2000}, iov(217), wire.Cap{Arg: 3, Idx: 1, Data: append(regs, 0)}, was(217)),
		`ptrace(PTRACE_SETREGSET, 22402, NT_PRSTATUS, {iov_base=0x7f0000001000, iov_len=217}) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "ptrace", -22, [6]uint64{0x4204, 22402, 1, 0x2000}, iov(216), wire.Cap{Arg: 3, Idx: 1, Data: regs}, was(216)),
		`ptrace(PTRACE_GETREGSET, 22402, NT_PRSTATUS, {iov_base=0x7f0000001000, iov_len=216}) = -1 EINVAL (Invalid argument)`)
	// Registers that could not be read, a type strace does not decode.
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4204, 22402, 2, 0x2000}, iov(512), wire.Cap{Arg: 3, Idx: 1, Flags: wire.CapFault}, was(512)),
		`ptrace(PTRACE_GETREGSET, 22402, NT_FPREGSET, {iov_base=0x7f0000001000, iov_len=512}) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4204, 22402, 0x202, 0x2000}, iov(512), wire.Cap{Arg: 3, Idx: 1, Data: regs}),
		`ptrace(PTRACE_GETREGSET, 22402, NT_X86_XSTATE, {iov_base=0x7f0000001000, iov_len=512}) = 0`)
}
