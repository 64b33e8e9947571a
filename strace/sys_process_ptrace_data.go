package strace

import (
	"runtime"

	"github.com/eproc/eproc/loader/wire"
)

// ptrace's data by request, as strace 6.1's ptrace.c and regset.c print
// it: the structs the requests read (SETSIGINFO's siginfo, SETSIGMASK's
// set, SETREGS' registers) and write (GETSIGINFO, GETSIGMASK,
// PEEKSIGINFO's siginfos, GETREGS'), captured by request (ptraceCases).
// GETREGSET's and SETREGSET's struct iovec comes with the registers at
// its iov_base (captured as an iovec array: see regset in ptraceCases)
// and the iov_len it was given (ptrace's entry capture, kPtraceDataCap).

// The requests whose data is decoded here.
const (
	ptGetregs    = 0xc // x86 only, as the next three
	ptSetregs    = 0xd
	ptGetfpregs  = 0xe
	ptSetfpregs  = 0xf
	ptGetsiginfo = 0x4202
	ptSetsiginfo = 0x4203
	ptGetregset  = 0x4204
	ptSetregset  = 0x4205
	ptPeeksiginf = 0x4209
	ptGetsigmask = 0x420a
	ptSetsigmask = 0x420b
	ptSeccompMd  = 0x420d
)

// The x86_64 register sets: struct user_regs_struct (NT_PRSTATUS) and
// user_fpregs_struct (NT_FPREGSET).
const (
	ptRegsSize   = 216
	ptFpregsSize = 512
	siginfoSize  = 128
)

var (
	ptRegNames = []string{"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
		"rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"}
	ntTypes = []flag{{1, "NT_PRSTATUS"}, {2, "NT_FPREGSET"}, {3, "NT_PRPSINFO"}, {4, "NT_TASKSTRUCT"}, {6, "NT_AUXV"},
		{0x46e62b7f, "NT_PRXFPREG"}, {0x200, "NT_386_TLS"}, {0x201, "NT_386_IOPERM"}, {0x202, "NT_X86_XSTATE"}}
	peeksiginfoFlags = []flag{{1, "PTRACE_PEEKSIGINFO_SHARED"}}
)

// ptraceArchRegs: the requests GETREGS..SETFPREGS are x86's.
var ptraceArchRegs = runtime.GOARCH == "amd64"

// ptraceCases are the captures by request: addr is argument 2, data 3.
func ptraceCases() map[uint32]map[int]capRule {
	sigsetIn := capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: 8, when: wire.CWIn}
	// The struct iovec and the registers at its iov_base: as an array
	// of iovecs as long as addr's low byte, one for NT_PRSTATUS (1), two
	// for NT_FPREGSET (2) (the first is the call's, the second a read
	// past it that the printer ignores): the capture plans have no
	// constant count.
	regset := capRule{kind: wire.CKIov, sizeRel: -1, max: ptFpregsSize, when: wire.CWIn}
	sigsetOut := sigsetIn
	sigsetOut.when = wire.CWOK
	cases := map[uint32]map[int]capRule{
		ptSetsiginfo: {3: capIn(siginfoSize)},
		ptGetsiginfo: {3: capOut(siginfoSize)},
		ptSetsigmask: {3: sigsetIn},
		ptGetsigmask: {3: sigsetOut},
		// struct seccomp_metadata: filter_off in, flags out (the
		// bytes before an unreadable page will do for filter_off).
		ptSeccompMd: {3: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: 16, when: wire.CWIn}},
		// The arguments' struct, and as many siginfos as returned.
		ptPeeksiginf: {2: capIn(16), 3: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: siginfoSize, max: 32 * siginfoSize, when: wire.CWOK}},
		ptGetregset:  {3: regset},
		ptSetregset:  {3: regset},
		// The word PEEK* and GETEVENTMSG store.
		ptPeektext:    {3: capOut(8)},
		ptPeekdata:    {3: capOut(8)},
		ptPeekuser:    {3: capOut(8)},
		ptGeteventmsg: {3: capOut(8)},
	}
	if ptraceArchRegs {
		cases[ptGetregs] = map[int]capRule{3: capOut(ptRegsSize)}
		cases[ptSetregs] = map[int]capRule{3: capIn(ptRegsSize)}
		cases[ptGetfpregs] = map[int]capRule{3: capOut(ptFpregsSize)}
		cases[ptSetfpregs] = map[int]capRule{3: capIn(ptFpregsSize)}
	}
	return cases
}

// ptraceRegsReq says whether req is one of x86's GETREGS..SETFPREGS,
// which strace prints without addr (ignored).
func ptraceRegsReq(req uint64) bool {
	return ptraceArchRegs && req >= ptGetregs && req <= ptSetfpregs
}

// ptRegs prints the first n bytes of a struct user_regs_struct, as
// strace's arch_decode_prstatus_regset: the registers that begin in them.
func ptRegs(p *printer, b []byte, n int) {
	p.c('{')
	for k, name := range ptRegNames {
		if k > 0 {
			if 8*k >= n {
				break
			}
			p.s(", ")
		}
		p.s(name)
		p.c('=')
		hexOrZero(p, le.Uint64(b[8*k:]))
	}
	p.c('}')
}

// ptFpregs prints the first n bytes of a struct user_fpregs_struct, as
// strace's arch_decode_fpregset: the fields that begin in them, the arrays
// as far as they go.
func ptFpregs(p *printer, b []byte, n int) {
	p.s("{cwd=")
	hexOrZero(p, uint64(le.Uint16(b)))
	for _, f := range []struct {
		name      string
		off, size int
	}{{"swd", 2, 2}, {"ftw", 4, 2}, {"fop", 6, 2}, {"rip", 8, 8}, {"rdp", 16, 8}, {"mxcsr", 24, 4}, {"mxcr_mask", 28, 4}} {
		if n <= f.off {
			p.c('}')
			return
		}
		p.s(", ")
		p.s(f.name)
		p.c('=')
		switch f.size {
		case 2:
			hexOrZero(p, uint64(le.Uint16(b[f.off:])))
		case 4:
			hexOrZero(p, uint64(le.Uint32(b[f.off:])))
		default:
			hexOrZero(p, le.Uint64(b[f.off:]))
		}
	}
	for _, a := range []struct {
		name     string
		off, end int
	}{{"st_space", 32, 160}, {"xmm_space", 160, 416}, {"padding", 416, 512}} {
		if n <= a.off {
			break
		}
		p.s(", ")
		p.s(a.name)
		p.s("=[")
		for o := a.off; o+4 <= min(n, a.end); o += 4 {
			if o > a.off {
				p.s(", ")
			}
			hexOrZero(p, uint64(le.Uint32(b[o:])))
		}
		p.c(']')
	}
	p.c('}')
}

// ptraceIovec prints GETREGSET's or SETREGSET's struct iovec (data) as
// strace's decode_getregset and decode_setregset: the registers at
// iov_base, and iov_len, "old => new" when the call changed it (the old
// from the entry capture). SETREGSET's registers are those of the length
// it was given, GETREGSET's those of the length it returned.
func ptraceIovec(p *printer, c *Call) {
	cp := c.Cap(3, 0)
	if c.Args[3] == 0 || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 16 {
		p.ptr(c.Args[3])
		return
	}
	base, now := le.Uint64(cp.Data), le.Uint64(cp.Data[8:])
	was := now
	if ep := c.Cap(3, wire.EntryIdx); ep != nil && !ep.Fault() && len(ep.Data) == 8 {
		was = le.Uint64(ep.Data)
	}
	get := c.Args[0] == ptGetregset
	size := was
	if get {
		size = now
	}
	p.s("{iov_base=")
	if get && (c.Ret < 0 || !c.Complete()) {
		p.ptr(base)
	} else {
		ptraceRegset(p, c, c.Args[2], base, size)
	}
	p.s(", iov_len=")
	p.u(was)
	if was != now && c.Complete() && (!get || c.Ret >= 0) {
		p.s(" => ")
		p.u(now)
	}
	p.c('}')
}

// ptraceRegset prints the register set of type nt, size bytes at addr, as
// strace's decode_regset: NT_PRSTATUS's and NT_FPREGSET's registers (the
// fields that begin in size, then "..." when size is larger), else the
// address.
func ptraceRegset(p *printer, c *Call, nt, addr, size uint64) {
	var whole int
	var pr func(p *printer, b []byte, n int)
	switch {
	case nt == 1 && ptraceArchRegs:
		whole, pr = ptRegsSize, ptRegs
	case nt == 2 && ptraceArchRegs:
		whole, pr = ptFpregsSize, ptFpregs
	}
	fetch := int(min(size, uint64(whole)))
	cp := c.Cap(3, 1)
	if pr == nil || size == 0 || size&7 != 0 || !p.verbose() || cp == nil || cp.Fault() || len(cp.Data) < fetch {
		p.ptr(addr)
		return
	}
	var b [ptFpregsSize]byte
	copy(b[:], cp.Data[:fetch])
	pr(p, b[:], fetch)
	if size > uint64(whole) {
		p.b = append(p.b[:len(p.b)-1], ", ...}"...)
	}
}

// ptracePeeksiginfoArgs prints PEEKSIGINFO's struct
// ptrace_peeksiginfo_args (addr).
func ptracePeeksiginfoArgs(p *printer, c *Call) {
	b := capturedIn(c, 2, 16)
	if b == nil || !p.verbose() {
		p.ptr(c.Args[2])
		return
	}
	p.s("{off=")
	p.u(le.Uint64(b))
	p.s(", flags=")
	flagsOrUnknown(p, uint64(le.Uint32(b[8:])), peeksiginfoFlags, "", "PTRACE_PEEKSIGINFO_???")
	p.s(", nr=")
	p.u(uint64(le.Uint32(b[12:])))
	p.c('}')
}

// ptraceSigset prints GETSIGMASK's or SETSIGMASK's set, of addr bytes
// (strace's print_sigset_addr_len: 8, or the address).
func ptraceSigset(p *printer, c *Call) {
	size := c.Args[2]
	b := capturedIn(c, 3, int(min(size, 8)))
	if size != 8 || b == nil || !p.verbose() {
		p.ptr(c.Args[3])
		return
	}
	sigsetOfBytes(p, b[:8])
}

// ptraceDataIn prints the data of the requests strace decodes at entry;
// false for the others.
func ptraceDataIn(p *printer, c *Call, req uint64) bool {
	switch {
	case req == ptSetsiginfo:
		if cp := captured(p, c, 3, siginfoSize); cp != nil {
			siginfo(p, c, cp.Data)
		}
	case req == ptSetsigmask:
		ptraceSigset(p, c)
	case req == ptSetregset:
		ptraceIovec(p, c)
	case ptraceArchRegs && req == ptSetregs:
		if cp := captured(p, c, 3, ptRegsSize); cp != nil {
			ptRegs(p, cp.Data, ptRegsSize)
		}
	case ptraceArchRegs && req == ptSetfpregs:
		if cp := captured(p, c, 3, ptFpregsSize); cp != nil {
			ptFpregs(p, cp.Data, ptFpregsSize)
		}
	default:
		return false
	}
	return true
}

// ptraceDataOut prints the data of the requests strace decodes at exit
// but PTRACE_GET_SYSCALL_INFO's (kPtraceData).
func ptraceDataOut(p *printer, c *Call, req uint64) {
	data := c.Args[3]
	out := func(size int) []byte {
		if data == 0 {
			return nil
		}
		b := capturedOut(c, 3, size)
		if b == nil || !p.verbose() {
			p.ptr(data)
			return nil
		}
		return b
	}
	switch req {
	case ptGetregs:
		if data == 0 {
			p.s("NULL")
		} else if b := out(ptRegsSize); b != nil {
			ptRegs(p, b, ptRegsSize)
		}
	case ptGetfpregs:
		if data == 0 {
			p.s("NULL")
		} else if b := out(ptFpregsSize); b != nil {
			ptFpregs(p, b, ptFpregsSize)
		}
	case ptGetsiginfo:
		if data == 0 {
			p.s("NULL")
		} else if b := out(siginfoSize); b != nil {
			siginfo(p, c, b)
		}
	case ptGetsigmask:
		if c.Ret < 0 || !c.Complete() {
			p.ptr(data)
			return
		}
		ptraceSigset(p, c)
	case ptPeeksiginf:
		ptracePeeksiginfo(p, c)
	case ptGetregset:
		ptraceIovec(p, c)
	case ptSeccompMd:
		ptraceSeccompMetadata(p, c)
	case ptPeektext, ptPeekdata, ptPeekuser, ptGeteventmsg:
		ptracePeekOut(p, c, req)
	default:
		p.ptr(data)
	}
}

// ptracePeeksiginfo prints the siginfos PEEKSIGINFO returned, as strace's
// print_siginfo_array.
func ptracePeeksiginfo(p *printer, c *Call) {
	data := c.Args[3]
	if c.Ret <= 0 || !c.Complete() {
		p.ptr(data)
		return
	}
	cp := c.Cap(3, 0)
	if cp == nil || cp.Fault() || !p.verbose() {
		p.ptr(data)
		return
	}
	n := min(int(c.Ret), len(cp.Data)/siginfoSize)
	p.c('[')
	for k := 0; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		siginfo(p, c, cp.Data[siginfoSize*k:])
	}
	p.c(']')
}

// ptraceSeccompMetadata prints SECCOMP_GET_METADATA's struct
// seccomp_metadata (data, addr bytes of it): filter_off as given, and
// flags as the call returned them (the result is how many bytes it
// wrote, as strace's decode_seccomp_metadata takes it at exit).
func ptraceSeccompMetadata(p *printer, c *Call) {
	size, data := c.Args[2], c.Args[3]
	cp := c.Cap(3, 0)
	if size < 8 || data == 0 || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 8 || !p.verbose() {
		p.ptr(data)
		return
	}
	p.s("{filter_off=")
	p.u(le.Uint64(cp.Data))
	if n := c.Ret; c.Complete() && n > 8 {
		p.s(", ")
		if n < 16 || len(cp.Data) < 16 {
			p.s("???")
		} else {
			p.s("flags=")
			flagsOrUnknown(p, le.Uint64(cp.Data[8:]), seccompFilterFlags, "", "SECCOMP_FILTER_FLAG_???")
			if n > 16 {
				p.s(", ...")
			}
		}
	}
	p.c('}')
}
