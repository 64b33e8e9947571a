package strace

import "github.com/eproc/eproc/loader/wire"

// The signal family: kill, tkill, tgkill, the rt_sig* calls, sigaltstack,
// and signal-set arguments (ppoll's and epoll_pwait's among them). The
// names of signals, their sets and siginfo are in signals.go.

func fmtSigset(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 1)
	if b == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	sigsetOfBytes(p, b)
}

var (
	// kSigsetSized is a sigset_t* whose size is the next argument.
	kSigsetSized = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 16, when: wire.CWIn}, fmt: fmtSigset})
)

var (
	sigprocmaskHows = []flag{{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}}
	// sigactionFlags: strace 6.1's sigact_flags, in its order (SA_INTERRUPT,
	// glibc's historical no-op, included; 6.1 has no SA_UNSUPPORTED nor
	// SA_EXPOSE_TAGBITS: it prints 0x400 and 0x800 as numbers).
	sigactionFlags = []flag{{0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"}, {0x10000000, "SA_RESTART"},
		{0x20000000, "SA_INTERRUPT"}, {0x40000000, "SA_NODEFER"}, {0x80000000, "SA_RESETHAND"}, {4, "SA_SIGINFO"},
		{1, "SA_NOCLDSTOP"}, {2, "SA_NOCLDWAIT"}}
)

// fmtKernelSigset prints a sigset_t* argument.
func fmtKernelSigset(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	if v, ok := capturedU64(c, i); ok && p.verbose() {
		kernelSigset(p, v)
		return
	}
	p.x(c.Args[i])
}

var (
	kSigprocmaskHow = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, sigprocmaskHows, "/SIG_???") }})
	kSigsetIn       = newKind(kindInfo{cap: capIn(8), fmt: fmtKernelSigset})
	kSigsetOut      = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtKernelSigset(p, c, i)
	}})
	kSignal       = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { argSignal(p, int(int32(c.Args[i])), kernelSignalName) }})
	kSigactionIn  = newKind(kindInfo{cap: capIn(32), fmt: fmtSigaction})
	kSigactionOut = newKind(kindInfo{out: true, cap: capOut(32), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtSigaction(p, c, i)
	}})
	// kSigreturnFrame is rt_sigreturn's frame: the mask it restores, captured by
	// the BPF side as argument 0.
	kSigreturnFrame = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.s("{mask=")
		if v, ok := capturedU64(c, 0); ok {
			kernelSigset(p, v)
		} else {
			p.s("[]")
		}
		p.c('}')
	}})
)

// fmtSigaction prints struct sigaction (the kernel's layout: handler,
// flags, restorer, mask).
func fmtSigaction(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 32)
	if cp == nil {
		return
	}
	h, fl, rest, mask := le.Uint64(cp.Data), le.Uint64(cp.Data[8:]), le.Uint64(cp.Data[16:]), le.Uint64(cp.Data[24:])
	p.s("{sa_handler=")
	switch h {
	case 0:
		p.constVal(h, 'x', "SIG_DFL")
	case 1:
		p.constVal(h, 'x', "SIG_IGN")
	default:
		p.x(h)
	}
	p.s(", sa_mask=")
	kernelSigset(p, mask)
	p.s(", sa_flags=")
	p.flags(fl, sigactionFlags, "")
	if fl&0x04000000 != 0 {
		p.s(", sa_restorer=")
		p.ptr(rest)
	}
	p.c('}')
}

// signalRet: a signal number, named (rt_sigtimedwait).
func signalRet(p *printer, c *Call) {
	p.d(c.Ret)
	p.s(" (")
	signalName(p, int(c.Ret))
	p.c(')')
}

// kSiginfoOut: a siginfo_t the call filled (its first 48 bytes are the
// kernel_siginfo that strace prints).
var kSiginfoOut = newKind(kindInfo{out: true, cap: capOut(48), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 || c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 48 || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	siginfo(p, c, cp.Data)
}})

var (
	sigaltstackFlags = []flag{{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {1 << 31, "SS_AUTODISARM"}}
)

func fmtSigaltstack(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 24)
	if cp == nil {
		return
	}
	p.s("{ss_sp=")
	p.ptr(le.Uint64(cp.Data))
	p.s(", ss_flags=")
	p.flags(uint64(le.Uint32(cp.Data[8:])), sigaltstackFlags, "0")
	p.s(", ss_size=")
	p.u(le.Uint64(cp.Data[16:]))
	p.c('}')
}

var (
	kSigaltstackIn  = newKind(kindInfo{cap: capIn(24), fmt: fmtSigaltstack})
	kSigaltstackOut = newKind(kindInfo{out: true, cap: capOut(24), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtSigaltstack(p, c, i)
	}})
)

func init() {
	registerSigs(map[string]sig{
		"kill":         {args: []kind{kPidTgidPgid, kSignal}, class: ClassProcess | ClassSignal},
		"tkill":        {args: []kind{kPidTid, kSignal}, class: ClassProcess | ClassSignal},
		"tgkill":       {args: []kind{kPidTgid, kPidTid, kSignal}, class: ClassProcess | ClassSignal},
		"rt_sigaction": {args: []kind{kSignal, kSigactionIn, kSigactionOut, kUlong}, class: ClassSignal},
		"rt_sigreturn": {args: []kind{kSigreturnFrame}, class: ClassSignal},
		"sigaltstack":  {args: []kind{kSigaltstackIn, kSigaltstackOut}, class: ClassSignal},
	})
}
