package strace

import (
	"runtime"

	"github.com/eproc/eproc/loader/wire"
)

// ptrace, as strace 6.1's ptrace.c prints it: the request, the pid, and
// addr and data as the request has them. PTRACE_GET_SYSCALL_INFO's
// struct ptrace_syscall_info is printed at exit; the structs other
// requests take or fill are in sys_process_ptrace_data.go; PEEK*'s and
// GETEVENTMSG's outputs, and the offsets in struct user, in
// sys_process_ptrace_peek.go.

var ptraceCmds = []flag{{0, "PTRACE_TRACEME"}, {1, "PTRACE_PEEKTEXT"}, {2, "PTRACE_PEEKDATA"}, {3, "PTRACE_PEEKUSER"},
	{4, "PTRACE_POKETEXT"}, {5, "PTRACE_POKEDATA"}, {6, "PTRACE_POKEUSER"}, {7, "PTRACE_CONT"}, {8, "PTRACE_KILL"},
	{9, "PTRACE_SINGLESTEP"}, {0x10, "PTRACE_ATTACH"}, {0x11, "PTRACE_DETACH"}, {0x18, "PTRACE_SYSCALL"},
	{0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"}, {0x4202, "PTRACE_GETSIGINFO"},
	{0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"}, {0x4205, "PTRACE_SETREGSET"},
	{0x4206, "PTRACE_SEIZE"}, {0x4207, "PTRACE_INTERRUPT"}, {0x4208, "PTRACE_LISTEN"},
	{0x4209, "PTRACE_PEEKSIGINFO"}, {0x420a, "PTRACE_GETSIGMASK"}, {0x420b, "PTRACE_SETSIGMASK"},
	{0x420c, "PTRACE_SECCOMP_GET_FILTER"}, {0x420d, "PTRACE_SECCOMP_GET_METADATA"},
	{0x420e, "PTRACE_GET_SYSCALL_INFO"}, {0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"}}

// ptraceArchCmds are the x86 requests (amd64) or the arm64 ones.
var ptraceArchCmds = func() []flag {
	if runtime.GOARCH == "arm64" {
		return []flag{{0x21, "PTRACE_PEEKMTETAGS"}, {0x22, "PTRACE_POKEMTETAGS"}}
	}
	return []flag{{0xc, "PTRACE_GETREGS"}, {0xd, "PTRACE_SETREGS"}, {0xe, "PTRACE_GETFPREGS"}, {0xf, "PTRACE_SETFPREGS"},
		{0x12, "PTRACE_GETFPXREGS"}, {0x13, "PTRACE_SETFPXREGS"}, {0x15, "PTRACE_OLDSETOPTIONS"},
		{0x19, "PTRACE_GET_THREAD_AREA"}, {0x1a, "PTRACE_SET_THREAD_AREA"}, {0x1e, "PTRACE_ARCH_PRCTL"},
		{0x1f, "PTRACE_SYSEMU"}, {0x20, "PTRACE_SYSEMU_SINGLESTEP"}, {0x21, "PTRACE_SINGLEBLOCK"}}
}()

var (
	ptraceOptions = []flag{{1, "PTRACE_O_TRACESYSGOOD"}, {2, "PTRACE_O_TRACEFORK"}, {4, "PTRACE_O_TRACEVFORK"},
		{8, "PTRACE_O_TRACECLONE"}, {0x10, "PTRACE_O_TRACEEXEC"}, {0x20, "PTRACE_O_TRACEVFORKDONE"},
		{0x40, "PTRACE_O_TRACEEXIT"}, {0x80, "PTRACE_O_TRACESECCOMP"}, {0x100000, "PTRACE_O_EXITKILL"},
		{0x200000, "PTRACE_O_SUSPEND_SECCOMP"}}
	ptraceInfoOps = []flag{{0, "PTRACE_SYSCALL_INFO_NONE"}, {1, "PTRACE_SYSCALL_INFO_ENTRY"},
		{2, "PTRACE_SYSCALL_INFO_EXIT"}, {3, "PTRACE_SYSCALL_INFO_SECCOMP"}}
	auditArches = []flag{{0xc000003e, "AUDIT_ARCH_X86_64"}, {0x40000003, "AUDIT_ARCH_I386"},
		{0xc00000b7, "AUDIT_ARCH_AARCH64"}, {0x40000028, "AUDIT_ARCH_ARM"}}
)

// ptraceRequest prints the request: its name, or the number and
// /* PTRACE_??? */.
func ptraceRequest(p *printer, req uint64) {
	if lookupName(req, ptraceCmds) != "" {
		p.xlat(req, ptraceCmds, "")
		return
	}
	p.xlat(req, ptraceArchCmds, "/PTRACE_???")
}

// ptraceDataAtExit: the requests whose data is printed at exit.
func ptraceDataAtExit(req uint64) bool {
	switch req {
	case 0x420e, // PTRACE_GET_SYSCALL_INFO
		ptGetsiginfo, ptGetsigmask, ptPeeksiginf, ptGetregset, ptSeccompMd,
		ptPeektext, ptPeekdata, ptPeekuser, ptGeteventmsg:
		return true
	case ptGetregs, ptGetfpregs:
		return ptraceArchRegs
	}
	return false
}

// kPtrace prints the request and what strace prints at entry.
var kPtrace = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	req, addr, data := c.Args[0], c.Args[2], c.Args[3]
	ptraceRequest(p, req)
	if req == 0 { // PTRACE_TRACEME
		return
	}
	p.s(", ")
	p.d(int64(int32(c.Args[1])))
	switch req {
	case 0x10, 0x4207, 8, 0x4208: // ATTACH, INTERRUPT, KILL, LISTEN
		return
	}
	if ptraceRegsReq(req) { // addr is ignored
		if !ptraceDataAtExit(req) {
			p.s(", ")
			ptraceDataIn(p, c, req)
		}
		return
	}
	p.s(", ")
	switch req {
	case 0x420a, 0x420b, 0x420c, 0x420d, 0x420e: // the sizes
		p.u(addr)
	case ptGetregset, ptSetregset:
		xlatOrUnknown(p, addr, ntTypes, "NT_???")
	case ptPeeksiginf:
		ptracePeeksiginfoArgs(p, c)
	case ptPeekuser, ptPokeuser:
		ptraceUserOffset(p, addr)
	default:
		p.ptr(addr)
	}
	if ptraceDataAtExit(req) {
		return
	}
	p.s(", ")
	if ptraceDataIn(p, c, req) {
		return
	}
	switch req {
	case 7, 0x11, 0x18, 9, 0x1f, 0x20, 0x21: // CONT, DETACH, SYSCALL, SINGLESTEP, SYSEMU*, SINGLEBLOCK
		argSignal(p, int(int32(data)), kernelSignalName)
	case 0x4206, 0x4200, 0x15: // SEIZE, SETOPTIONS, OLDSETOPTIONS
		flagsOrUnknown(p, data, ptraceOptions, "", "PTRACE_O_???")
	default:
		p.ptr(data)
	}
}})

func ptraceNargs(c *Call) int {
	if ptraceDataAtExit(c.Args[0]) {
		return 2
	}
	return 1
}

// The sizes of struct ptrace_syscall_info's parts.
const (
	psiEntryArgs   = 32 // offsetof(entry.args)
	psiExitSize    = 33 // offsetofend(exit.is_error)
	psiSeccompSize = 84 // offsetofend(seccomp.ret_data)
)

// kPtraceData is data, printed at exit (the second argument printed
// then): PTRACE_GET_SYSCALL_INFO's struct, of min(addr, the result, 84)
// bytes. kPtraceDataCap captures it (argument 4), at every exit, as
// strace reads it whatever the result.
var (
	kPtraceData = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, _ int) {
		if req := c.Args[0]; req != 0x420e {
			ptraceDataOut(p, c, req)
			return
		}
		kernelLen := uint64(c.Ret)
		size := min(c.Args[2], kernelLen, psiSeccompSize)
		cp := c.Cap(3, 0)
		if size == 0 || cp == nil || cp.Fault() || uint64(len(cp.Data)) < size {
			p.ptr(c.Args[3])
			return
		}
		syscallInfo(p, cp.Data[:size])
	}})
	// Its entry capture is the word after data's first (GETREGSET's and
	// SETREGSET's iov_len, as the call was given it: the call changes
	// it), for every request, as a selector case cannot take one.
	kPtraceDataCap = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: psiSeccompSize,
		entry: 8, entryOff: 8},
		fmt: func(p *printer, c *Call, i int) {}})
)

// syscallInfo prints a struct ptrace_syscall_info of len(b) bytes.
func syscallInfo(p *printer, b []byte) {
	n := len(b)
	op := b[0]
	p.s("{op=")
	xlatOrUnknown(p, uint64(op), ptraceInfoOps, "PTRACE_SYSCALL_INFO_???")
	defer p.c('}')
	if n < 8 {
		return
	}
	arch := le.Uint32(b[4:])
	p.s(", arch=")
	xlatOrUnknown(p, uint64(arch), auditArches, "AUDIT_ARCH_???")
	if n < 16 {
		return
	}
	p.s(", instruction_pointer=")
	p.ptr(le.Uint64(b[8:]))
	if n < 24 {
		return
	}
	p.s(", stack_pointer=")
	p.ptr(le.Uint64(b[16:]))
	if n < psiEntryArgs {
		return
	}
	switch op {
	case 1, 3: // ENTRY, SECCOMP
		if op == 1 {
			p.s(", entry={nr=")
		} else {
			p.s(", seccomp={nr=")
		}
		syscallNumber(p, le.Uint64(b[24:]), arch)
		if nargs := min((n-psiEntryArgs)/8, 6); nargs > 0 {
			p.s(", args=[")
			for k := 0; k < nargs; k++ {
				if k > 0 {
					p.s(", ")
				}
				hexOrZero(p, le.Uint64(b[psiEntryArgs+8*k:]))
			}
			p.c(']')
		}
		if op == 3 && n >= psiSeccompSize {
			p.s(", ret_data=")
			p.u(uint64(le.Uint32(b[80:])))
		}
		p.c('}')
	case 2: // EXIT
		rval := int64(le.Uint64(b[24:]))
		p.s(", exit={rval=")
		name := ""
		if n >= psiExitSize && b[32] != 0 && rval < 0 && rval >= -4095 {
			name = errnoName(-rval)
		}
		switch {
		case name == "" || p.style == ConstRaw:
			p.d(rval)
		case p.style == ConstVerbose:
			p.d(rval)
			p.s(" /* -")
			p.s(name)
			p.s(" */")
		default:
			p.c('-')
			p.s(name)
		}
		if n >= psiExitSize {
			p.s(", is_error=")
			p.u(uint64(b[32]))
		}
		p.c('}')
	}
}

// nativeAuditArch is this architecture's AUDIT_ARCH_*.
var nativeAuditArch = map[string]uint32{"amd64": 0xc000003e, "arm64": 0xc00000b7}[runtime.GOARCH]

// syscallNumber prints a syscall number as strace's
// PRINT_FIELD_SYSCALL_NAME: __NR_name, when arch is this one's.
func syscallNumber(p *printer, nr uint64, arch uint32) {
	var e *Sysent
	if arch == nativeAuditArch && nr <= 0xffffffff {
		e = Lookup(uint32(nr))
	}
	switch {
	case e == nil || p.style == ConstRaw:
		p.u(nr)
	case p.style == ConstVerbose:
		p.u(nr)
		p.s(" /* __NR_")
		p.s(e.Name)
		p.s(" */")
	default:
		p.s("__NR_")
		p.s(e.Name)
	}
}

func init() {
	registerSigs(map[string]sig{
		"ptrace": {args: []kind{kPtrace, kPtraceData, kHex, kPtraceDataCap}, nargs: ptraceNargs,
			sel: &selector{arg: 0, mask: 0xffffffff, cases: ptraceCases}},
	})
}
