package strace

import (
	"math/bits"
	"runtime"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// The memory, process and signal calls every program makes at start-up
// (mmap, brk, mprotect, rt_sigaction, prlimit64, clone ...), with strace's
// notation, checked against strace 6.1's output.

var (
	protFlags = []flag{{unix.PROT_READ, "PROT_READ"}, {unix.PROT_WRITE, "PROT_WRITE"}, {unix.PROT_EXEC, "PROT_EXEC"},
		{0x8, "PROT_SEM"}, {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"}}
	mmapTypes   = []flag{{1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"}}
	mmapFlagTab = []flag{{0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"}, {0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"},
		{0x80000, "MAP_SYNC"}, {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"}}
	madvices = []flag{{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
		{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"}, {11, "MADV_DOFORK"},
		{12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"},
		{16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"}, {18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"},
		{20, "MADV_COLD"}, {21, "MADV_PAGEOUT"}, {22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"},
		{24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"}}
	msyncFlags     = []flag{{1, "MS_ASYNC"}, {2, "MS_INVALIDATE"}, {4, "MS_SYNC"}}
	mremapFlags    = []flag{{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}}
	archPrctlCodes = []flag{{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
		{0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
		{0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x3001, "ARCH_CET_STATUS"},
		{0x4001, "ARCH_GET_UNTAG_MASK"}, {0x4002, "ARCH_ENABLE_TAGGED_ADDR"}, {0x5001, "ARCH_SHSTK_ENABLE"},
		{0x5002, "ARCH_SHSTK_DISABLE"}, {0x5003, "ARCH_SHSTK_LOCK"}, {0x5005, "ARCH_SHSTK_STATUS"}}
	rlimitResources = []flag{{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"},
		{4, "RLIMIT_CORE"}, {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"},
		{9, "RLIMIT_AS"}, {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"}, {12, "RLIMIT_MSGQUEUE"},
		{13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"}}
	getrandomFlags  = []flag{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}
	sigprocmaskHows = []flag{{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}}
	sigactionFlags  = []flag{{0x04000000, "SA_RESTORER"}, {0x08000000, "SA_ONSTACK"}, {0x10000000, "SA_RESTART"},
		{0x40000000, "SA_NODEFER"}, {0x80000000, "SA_RESETHAND"}, {4, "SA_SIGINFO"}, {1, "SA_NOCLDSTOP"},
		{2, "SA_NOCLDWAIT"}, {0x400, "SA_UNSUPPORTED"}, {0x800, "SA_EXPOSE_TAGBITS"}}
	waitOptions = []flag{{1, "WNOHANG"}, {2, "WSTOPPED"}, {4, "WEXITED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
		{0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"}}
	cloneFlagTab = []flag{{0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
		{0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"}, {0x8000, "CLONE_PARENT"},
		{0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"}, {0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"},
		{0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
		{0x800000, "CLONE_UNTRACED"}, {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
		{0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
		{0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}, {0x80000000, "CLONE_IO"},
		{0x100000000, "CLONE_CLEAR_SIGHAND"}, {0x200000000, "CLONE_INTO_CGROUP"}}
	futexCmds = []flag{{0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
		{4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"}, {7, "FUTEX_UNLOCK_PI"},
		{8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"}, {10, "FUTEX_WAKE_BITSET"},
		{11, "FUTEX_WAIT_REQUEUE_PI"}, {12, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"}}
)

// kernelSigsetName is a signal's name in a set: without SIG, 32 as RTMIN and
// 33.. as RT_1.., as strace prints sets.
func kernelSigsetName(p *printer, n int) {
	switch {
	case n == 32:
		p.s("RTMIN")
	case n > 32:
		p.s("RT_")
		p.d(int64(n - 32))
	default:
		if name := unix.SignalName(unix.Signal(n)); name != "" {
			p.s(name[3:])
		} else {
			p.d(int64(n))
		}
	}
}

// kernelSignalName is a signal as an argument: SIGxxx, SIGRTMIN, SIGRT_n,
// real-time signals counted from the kernel's SIGRTMIN (32), as strace
// names them in arguments (signalName counts from glibc's, 34).
func kernelSignalName(p *printer, n int) {
	switch {
	case n == 32:
		p.s("SIGRTMIN")
	case n > 32 && n <= 64:
		p.s("SIGRT_")
		p.d(int64(n - 32))
	default:
		if name := unix.SignalName(unix.Signal(n)); name != "" {
			p.s(name)
		} else {
			p.d(int64(n))
		}
	}
}

// kernelSigset prints a 64-bit signal set as strace does: [INT QUIT], or the
// complement ~[...] when more than half the signals are in it.
func kernelSigset(p *printer, set uint64) {
	if bits.OnesCount64(set) > 32 {
		p.c('~')
		set = ^set
	}
	p.c('[')
	first := true
	for n := 1; n <= 64; n++ {
		if set&(1<<(n-1)) != 0 {
			if !first {
				p.c(' ')
			}
			kernelSigsetName(p, n)
			first = false
		}
	}
	p.c(']')
}

// capturedU64 returns the first 8 bytes of argument i's capture.
func capturedU64(c *Call, i int) (uint64, bool) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 8 {
		return 0, false
	}
	return le.Uint64(cp.Data), true
}

// fmtKernelSigset prints a sigset_t* argument.
func fmtKernelSigset(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	if v, ok := capturedU64(c, i); ok {
		kernelSigset(p, v)
		return
	}
	p.x(c.Args[i])
}

func mmapFlags(p *printer, v uint64) {
	v &= 0xffffffff
	t := v & 3
	rest := v &^ 3
	if t != 0 {
		p.xlat(t, mmapTypes, "")
		if rest != 0 {
			p.c('|')
		}
	}
	if rest != 0 || t == 0 {
		p.flags(rest, mmapFlagTab, "")
	}
}

func rlimValue(p *printer, v uint64) {
	switch {
	case v == ^uint64(0):
		p.s("RLIM64_INFINITY")
	case v > 1024 && v%1024 == 0:
		p.u(v / 1024)
		p.s("*1024")
	default:
		p.u(v)
	}
}

func fmtRlimit(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 16 {
		p.x(c.Args[i])
		return
	}
	p.s("{rlim_cur=")
	rlimValue(p, le.Uint64(cp.Data))
	p.s(", rlim_max=")
	rlimValue(p, le.Uint64(cp.Data[8:]))
	p.c('}')
}

// waitStatus prints a wait status as strace's [{WIFEXITED(s) && ...}].
func waitStatus(p *printer, s uint32) {
	p.s("[{")
	switch {
	case s&0x7f == 0:
		p.s("WIFEXITED(s) && WEXITSTATUS(s) == ")
		p.d(int64(s>>8) & 0xff)
	case s&0xff == 0x7f:
		p.s("WIFSTOPPED(s) && WSTOPSIG(s) == ")
		kernelSignalName(p, int(s>>8)&0xff)
		if s>>16 != 0 {
			p.s(" && s >> 16 == ")
			p.d(int64(s >> 16))
		}
	case s == 0xffff:
		p.s("WIFCONTINUED(s)")
	default:
		p.s("WIFSIGNALED(s) && WTERMSIG(s) == ")
		kernelSignalName(p, int(s&0x7f))
		if s&0x80 != 0 {
			p.s(" && WCOREDUMP(s)")
		}
	}
	p.s("}]")
}

var (
	kProt           = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, protFlags, "PROT_NONE") }})
	kMmapFlags      = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { mmapFlags(p, c.Args[i]) }})
	kMmapOffset     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]) }})
	kMadvice        = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, madvices, "/MADV_???") }})
	kMsyncFlags     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, msyncFlags, "") }})
	kMremapFlags    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, mremapFlags, "") }})
	kArchPrctlCode  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, archPrctlCodes, "/ARCH_???") }})
	kRlimitResource = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.xlat(c.Args[i]&0xffffffff, rlimitResources, "/RLIMIT_???")
	}})
	kRlimitIn  = newKind(kindInfo{cap: capIn(16), fmt: fmtRlimit})
	kRlimitOut = newKind(kindInfo{out: true, cap: capOut(16), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtRlimit(p, c, i)
	}})
	kGetrandomFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, getrandomFlags, "") }})
	kRandomBytes    = newKind(kindInfo{out: true, cap: capBufOut, fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() {
			p.ptr(c.Args[i])
			return
		}
		data := cp.Data
		if len(data) > p.strsize {
			data = data[:p.strsize]
		}
		p.c('"')
		const hx = "0123456789abcdef"
		for _, b := range data {
			p.s(`\x`)
			p.c(hx[b>>4])
			p.c(hx[b&15])
		}
		p.c('"')
		if int64(len(data)) < c.Ret {
			p.s("...")
		}
	}})
	kSigprocmaskHow = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, sigprocmaskHows, "/SIG_???") }})
	kSigsetIn       = newKind(kindInfo{cap: capIn(8), fmt: fmtKernelSigset})
	kSigsetOut      = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtKernelSigset(p, c, i)
	}})
	kSignal       = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { kernelSignalName(p, int(int32(c.Args[i]))) }})
	kSigactionIn  = newKind(kindInfo{cap: capIn(32), fmt: fmtSigaction})
	kSigactionOut = newKind(kindInfo{out: true, cap: capOut(32), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtSigaction(p, c, i)
	}})
	kWaitOptions = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, waitOptions, "") }})
	kWaitStatus  = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Ret <= 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 4 {
			p.ptr(c.Args[i])
			return
		}
		waitStatus(p, le.Uint32(cp.Data))
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
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 32 {
		p.x(c.Args[i])
		return
	}
	h, fl, rest, mask := le.Uint64(cp.Data), le.Uint64(cp.Data[8:]), le.Uint64(cp.Data[16:]), le.Uint64(cp.Data[24:])
	p.s("{sa_handler=")
	switch h {
	case 0:
		p.s("SIG_DFL")
	case 1:
		p.s("SIG_IGN")
	default:
		p.x(h)
	}
	p.s(", sa_mask=")
	kernelSigset(p, mask)
	p.s(", sa_flags=")
	p.flags(fl, sigactionFlags, "")
	if fl&0x04000000 != 0 {
		p.s(", sa_restorer=")
		p.x(rest)
	}
	p.c('}')
}

func addrRet(p *printer, c *Call) { p.x(uint64(c.Ret)) }

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
	if c.Args[i] == 0 || c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 48 {
		p.ptr(c.Args[i])
		return
	}
	siginfo(p, int(c.Ret), cp.Data)
}})

// cloneFlags prints clone's flags with the exit signal in the low byte.
func cloneFlags(p *printer, v uint64) {
	sig := v & 0xff
	v &^= 0xff
	if v != 0 {
		p.flags(v, cloneFlagTab, "")
		if sig != 0 {
			p.c('|')
		}
	}
	if sig != 0 {
		kernelSignalName(p, int(sig))
	} else if v == 0 {
		p.c('0')
	}
}

// clone: flags, stack, parent_tid, then child_tid, tls on x86_64 and tls,
// child_tid on arm64; printed as strace does, with only the pointers the
// flags use.
var kCloneArgs = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	fl := c.Args[0]
	ctid, tls := c.Args[3], c.Args[4]
	if runtime.GOARCH == "arm64" {
		ctid, tls = tls, ctid
	}
	p.s("child_stack=")
	p.ptr(c.Args[1])
	p.s(", flags=")
	cloneFlags(p, fl)
	if fl&(0x100000|0x1000) != 0 {
		p.s(", parent_tid=")
		p.ptr(c.Args[2])
	}
	if fl&(0x1000000|0x200000) != 0 {
		p.s(", child_tidptr=")
		p.ptr(ctid)
	}
	if fl&0x80000 != 0 {
		p.s(", tls=")
		p.ptr(tls)
	}
}})

// clone3's struct clone_args, captured at entry. Its parent_tid output is
// behind a pointer in the struct: it is the child's id, the result.
var kClone3Args = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 88, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() || len(cp.Data) < 64 {
			p.ptr(c.Args[i])
			return
		}
		d := cp.Data
		u := func(off int) uint64 { return le.Uint64(d[off:]) }
		fl := u(0)
		p.s("{flags=")
		p.flags(fl, cloneFlagTab, "0")
		if fl&0x1000 != 0 {
			p.s(", pidfd=")
			p.x(u(8))
		}
		if fl&(0x1000000|0x200000) != 0 {
			p.s(", child_tid=")
			p.x(u(16))
		}
		if fl&0x100000 != 0 {
			p.s(", parent_tid=")
			p.x(u(24))
		}
		p.s(", exit_signal=")
		if u(32) == 0 {
			p.c('0')
		} else {
			kernelSignalName(p, int(u(32)))
		}
		p.s(", stack=")
		p.x(u(40))
		p.s(", stack_size=")
		p.x(u(48))
		if fl&0x80000 != 0 {
			p.s(", tls=")
			p.x(u(56))
		}
		p.c('}')
		if c.Complete() && c.Ret > 0 && fl&0x100000 != 0 {
			p.s(" => {parent_tid=[")
			p.d(c.Ret)
			p.s("]}")
		}
	}})

// futex: what follows the operation depends on it, so one kind prints
// the operation and the rest; the timeout (argument 3) is captured by a
// kind that prints nothing itself.
var kFutexOpAndRest = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	op := c.Args[1] & 0xffffffff
	cmd := op & 0x7f
	p.xlat(cmd, futexCmds, "")
	if op&128 != 0 {
		p.s("_PRIVATE")
	}
	if op&256 != 0 {
		p.s("|FUTEX_CLOCK_REALTIME")
	}
	p.s(", ")
	p.d(int64(int32(c.Args[2])))
	switch cmd {
	case 1, 7, 8: // WAKE, UNLOCK_PI, TRYLOCK_PI
		return
	case 0, 9: // WAIT, WAIT_BITSET
		p.s(", ")
		fmtTimespec(p, c, 3)
		if cmd == 9 {
			p.s(", ")
			futexBitset(p, c.Args[5])
		}
	case 10: // WAKE_BITSET
		p.s(", NULL, ")
		futexBitset(p, c.Args[5])
	default:
		p.s(", ")
		p.x(c.Args[3])
		p.s(", ")
		p.ptr(c.Args[4])
		p.s(", ")
		p.x(c.Args[5] & 0xffffffff)
	}
}})

func fmtTimespec(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 16 {
		p.x(c.Args[i])
		return
	}
	p.s("{tv_sec=")
	p.d(int64(le.Uint64(cp.Data)))
	p.s(", tv_nsec=")
	p.d(int64(le.Uint64(cp.Data[8:])))
	p.c('}')
}

func futexBitset(p *printer, v uint64) {
	if uint32(v) == 0xffffffff {
		p.s("FUTEX_BITSET_MATCH_ANY")
		return
	}
	p.x(v & 0xffffffff)
}

func init() {
	registerSigs(map[string]sig{
		"mmap":     {args: []kind{kPtr, kUlong, kProt, kMmapFlags, kFd, kMmapOffset}, ret: addrRet, class: ClassMemory},
		"munmap":   {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"mprotect": {args: []kind{kPtr, kUlong, kProt}, class: ClassMemory},
		"brk":      {args: []kind{kPtr}, ret: addrRet, class: ClassMemory},
		"madvise":  {args: []kind{kPtr, kUlong, kMadvice}, class: ClassMemory},
		"msync":    {args: []kind{kPtr, kUlong, kMsyncFlags}, class: ClassMemory},
		"mremap":   {args: []kind{kPtr, kUlong, kUlong, kMremapFlags, kPtr}, ret: addrRet, class: ClassMemory},
		"mlock":    {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"munlock":  {args: []kind{kPtr, kUlong}, class: ClassMemory},

		"arch_prctl":      {args: []kind{kArchPrctlCode, kHex}, class: ClassProcess},
		"set_tid_address": {args: []kind{kPtr}, class: ClassPure},
		"set_robust_list": {args: []kind{kPtr, kUlong}},
		"rseq":            {args: []kind{kPtr, kHex, kInt, kHex}},
		"prlimit64":       {args: []kind{kInt, kRlimitResource, kRlimitIn, kRlimitOut}},
		"getrlimit":       {args: []kind{kRlimitResource, kRlimitOut}},
		"setrlimit":       {args: []kind{kRlimitResource, kRlimitIn}},
		"getrandom":       {args: []kind{kRandomBytes, kUlong, kGetrandomFlags}},
		"futex":           {args: []kind{kPtr, kFutexOpAndRest, kHex, kTimespec}, nargs: func(*Call) int { return 2 }},
		"wait4":           {args: []kind{kInt, kWaitStatus, kWaitOptions, kPtr}, class: ClassProcess},
		"kill":            {args: []kind{kInt, kSignal}, class: ClassProcess | ClassSignal},
		"tkill":           {args: []kind{kInt, kSignal}, class: ClassProcess | ClassSignal},
		"tgkill":          {args: []kind{kInt, kInt, kSignal}, class: ClassProcess | ClassSignal},
		"clone3":          {args: []kind{kClone3Args, kUlong}, class: ClassProcess},
		"fork":            {class: ClassProcess},
		"vfork":           {class: ClassProcess},

		"rt_sigaction":    {args: []kind{kSignal, kSigactionIn, kSigactionOut, kUlong}, class: ClassSignal},
		"rt_sigprocmask":  {args: []kind{kSigprocmaskHow, kSigsetIn, kSigsetOut, kUlong}, class: ClassSignal},
		"rt_sigreturn":    {args: []kind{kSigreturnFrame}, class: ClassSignal},
		"rt_sigsuspend":   {args: []kind{kSigsetIn, kUlong}, class: ClassSignal},
		"rt_sigtimedwait": {args: []kind{kSigsetIn, kSiginfoOut, kTimespec, kUlong}, ret: signalRet, class: ClassSignal},
	})
	registerSigs(map[string]sig{"clone": {args: []kind{kCloneArgs}, class: ClassProcess}})
}

// Credentials, process groups, resources, and the time calls.

var (
	prioWhiches      = []flag{{0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}}
	rusageWhos       = []flag{{0, "RUSAGE_SELF"}, {^uint64(0) & 0xffffffff, "RUSAGE_CHILDREN"}, {1, "RUSAGE_THREAD"}}
	sigaltstackFlags = []flag{{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {1 << 31, "SS_AUTODISARM"}}
	clockIDs         = []flag{{0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
		{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
		{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
		{9, "CLOCK_BOOTTIME_ALARM"}, {11, "CLOCK_TAI"}}
	timerFlags   = []flag{{1, "TIMER_ABSTIME"}}
	prctlOptions = []flag{{1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"}, {4, "PR_SET_DUMPABLE"},
		{8, "PR_SET_KEEPCAPS"}, {7, "PR_GET_KEEPCAPS"}, {15, "PR_SET_NAME"}, {16, "PR_GET_NAME"},
		{22, "PR_SET_SECCOMP"}, {21, "PR_GET_SECCOMP"}, {23, "PR_CAPBSET_READ"}, {24, "PR_CAPBSET_DROP"},
		{36, "PR_SET_CHILD_SUBREAPER"}, {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"},
		{39, "PR_GET_NO_NEW_PRIVS"}, {47, "PR_CAP_AMBIENT"}, {0x53564d41, "PR_SET_VMA"}, {35, "PR_SET_MM"},
		{40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"}}
)

// kIDOut is a uid_t* the call fills: [N].
var kIDOut = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 4 {
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	p.u(uint64(le.Uint32(cp.Data)))
	p.c(']')
}})

func idList(p *printer, d []byte, n int) {
	p.c('[')
	for k := 0; k < n && 4*k+4 <= len(d); k++ {
		if k > 0 {
			p.s(", ")
		}
		p.u(uint64(le.Uint32(d[4*k:])))
	}
	p.c(']')
}

var kGroupsOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 4, when: wire.CWOK},
	fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Ret < 0 || !c.Complete() || c.Args[0] == 0 {
			p.ptr(c.Args[i])
			return
		}
		if cp == nil {
			p.s("[]")
			return
		}
		if cp.Fault() {
			p.ptr(c.Args[i])
			return
		}
		idList(p, cp.Data, int(c.Ret))
	}})

var kGroupsIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 4, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() {
			p.ptr(c.Args[i])
			return
		}
		idList(p, cp.Data, int(c.Args[i-1]))
	}})

var kPrioWhich = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, prioWhiches, "/PRIO_???") }})

// prctl: the option decides what follows.
var kPrctl = newKind(kindInfo{cap: capStr, fmt: func(p *printer, c *Call, i int) {
	op := c.Args[0] & 0xffffffff
	p.xlat(op, prctlOptions, "/PR_???")
	switch op {
	case 3, 7, 2, 21, 37, 39, 42: // getters without arguments
	case 15: // PR_SET_NAME
		p.s(", ")
		fmtStr(p, c, 1)
	case 1: // PR_SET_PDEATHSIG
		p.s(", ")
		kernelSignalName(p, int(int32(c.Args[1])))
	case 4, 8, 23, 24, 36: // one integer
		p.s(", ")
		p.u(c.Args[1])
	default:
		for k := 1; k < 5; k++ {
			p.s(", ")
			if op == 38 || op == 41 {
				p.u(c.Args[k])
			} else {
				p.x(c.Args[k])
			}
		}
	}
}})

func prctlRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Args[0]&0xffffffff == 3 {
		switch c.Ret {
		case 0:
			p.s(" (SUID_DUMP_DISABLE)")
		case 1:
			p.s(" (SUID_DUMP_USER)")
		case 2:
			p.s(" (SUID_DUMP_ROOT)")
		}
	}
}

// prctl's first argument kind prints everything; argument 1 is captured
// as a string for PR_SET_NAME.
var kPrctlArg1 = newKind(kindInfo{cap: capStr, fmt: func(p *printer, c *Call, i int) {}})

var kUtsname = newKind(kindInfo{out: true, cap: capOut(6 * 65), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 130 {
		p.ptr(c.Args[i])
		return
	}
	field := func(off int) []byte {
		b := cp.Data[off : off+65]
		for j, ch := range b {
			if ch == 0 {
				return b[:j]
			}
		}
		return b
	}
	p.s("{sysname=")
	p.quote(field(0), false)
	p.s(", nodename=")
	p.quote(field(65), false)
	p.s(", ...}")
}})

var kRusageWho = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, rusageWhos, "") }})

var kRusage = newKind(kindInfo{out: true, cap: capOut(32), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 32 {
		p.ptr(c.Args[i])
		return
	}
	tv := func(off int) {
		p.s("{tv_sec=")
		p.d(int64(le.Uint64(cp.Data[off:])))
		p.s(", tv_usec=")
		p.d(int64(le.Uint64(cp.Data[off+8:])))
		p.c('}')
	}
	p.s("{ru_utime=")
	tv(0)
	p.s(", ru_stime=")
	tv(16)
	p.s(", ...}")
}})

var kCPUMask = newKind(kindInfo{out: true, cap: capBufOut, fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret <= 0 || !c.Complete() || cp == nil || cp.Fault() {
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	first := true
	for cpu := 0; cpu < 8*len(cp.Data); cpu++ {
		if cp.Data[cpu/8]&(1<<(cpu%8)) != 0 {
			if !first {
				p.c(' ')
			}
			p.d(int64(cpu))
			first = false
		}
	}
	p.c(']')
}})

func fmtSigaltstack(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 24 {
		p.x(c.Args[i])
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
	kClockID     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, clockIDs, "") }})
	kTimerFlags  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, timerFlags, "0") }})
	kTimespecOut = newKind(kindInfo{out: true, cap: capOut(16), fmt: func(p *printer, c *Call, i int) {
		if c.Ret < 0 || !c.Complete() {
			p.ptr(c.Args[i])
			return
		}
		fmtTimespec(p, c, i)
	}})
)

func init() {
	registerSigs(map[string]sig{
		"setuid":            {args: []kind{kID}, class: ClassCreds},
		"setgid":            {args: []kind{kID}, class: ClassCreds},
		"setreuid":          {args: []kind{kID, kID}, class: ClassCreds},
		"setregid":          {args: []kind{kID, kID}, class: ClassCreds},
		"setresuid":         {args: []kind{kID, kID, kID}, class: ClassCreds},
		"setresgid":         {args: []kind{kID, kID, kID}, class: ClassCreds},
		"getresuid":         {args: []kind{kIDOut, kIDOut, kIDOut}, class: ClassCreds},
		"getresgid":         {args: []kind{kIDOut, kIDOut, kIDOut}, class: ClassCreds},
		"setfsuid":          {args: []kind{kID}, class: ClassCreds},
		"setfsgid":          {args: []kind{kID}, class: ClassCreds},
		"getgroups":         {args: []kind{kInt, kGroupsOut}, class: ClassCreds},
		"setgroups":         {args: []kind{kInt, kGroupsIn}, class: ClassCreds},
		"setpgid":           {args: []kind{kInt, kInt}},
		"getpgid":           {args: []kind{kInt}},
		"getsid":            {args: []kind{kInt}},
		"getpgrp":           {class: ClassPure},
		"setsid":            {},
		"prctl":             {args: []kind{kPrctl, kPrctlArg1}, nargs: func(*Call) int { return 1 }, ret: prctlRet},
		"uname":             {args: []kind{kUtsname}},
		"getrusage":         {args: []kind{kRusageWho, kRusage}},
		"sched_getaffinity": {args: []kind{kInt, kUint, kCPUMask}},
		"getpriority":       {args: []kind{kPrioWhich, kInt}},
		"setpriority":       {args: []kind{kPrioWhich, kInt, kInt}},
		"sigaltstack":       {args: []kind{kSigaltstackIn, kSigaltstackOut}, class: ClassSignal},
		"alarm":             {args: []kind{kUint}},
		"nanosleep":         {args: []kind{kTimespec, kTimespecOut}},
		"clock_nanosleep":   {args: []kind{kClockID, kTimerFlags, kTimespec, kTimespecOut}},
		"clock_gettime":     {args: []kind{kClockID, kTimespecOut}, class: ClassClock},
		"clock_getres":      {args: []kind{kClockID, kTimespecOut}, class: ClassClock},
		"clock_settime":     {args: []kind{kClockID, kTimespec}, class: ClassClock},
	})
}
