package strace

import "runtime"

// The process family: clone, clone3, fork, wait4, futex, arch_prctl,
// prctl, resource limits, priorities and usage, uname, getrandom, with
// strace's notation, checked against strace 6.1's output. (execve and exit
// are in sys_core.go.)

var (
	rlimitResources = []flag{{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"},
		{4, "RLIMIT_CORE"}, {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"},
		{9, "RLIMIT_AS"}, {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"}, {12, "RLIMIT_MSGQUEUE"},
		{13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"}}
	getrandomFlags = []flag{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}
	// waitOptions in strace's order.
	waitOptions = []flag{{1, "WNOHANG"}, {4, "WEXITED"}, {2, "WSTOPPED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
		{0x80000000, "__WCLONE"}, {0x40000000, "__WALL"}, {0x20000000, "__WNOTHREAD"}}
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

func rlimValue(p *printer, v uint64) {
	switch {
	case v == ^uint64(0):
		p.constVal(v, 'u', "RLIM64_INFINITY")
	case v > 1024 && v%1024 == 0 && p.style == ConstAbbrev:
		p.u(v / 1024)
		p.s("*1024")
	case v > 1024 && v%1024 == 0:
		p.u(v)
		if p.style == ConstVerbose {
			p.s(" /* ")
			p.u(v / 1024)
			p.s("*1024 */")
		}
	default:
		p.u(v)
	}
}

func fmtRlimit(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 16)
	if cp == nil {
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
		p.quoteHex(data, int64(len(data)) < c.Ret)
	}})
	kWaitOptions = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, waitOptions, "") }})
	kWaitStatus  = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Ret <= 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 4 || !p.verbose() {
			p.ptr(c.Args[i]) // -e verbose=: umove_or_printaddr
			return
		}
		waitStatus(p, le.Uint32(cp.Data))
	}})
)

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
		argSignal(p, int(sig), kernelSignalName)
	} else if v == 0 {
		p.c('0')
	}
}

// clone: flags, stack, parent_tid, then child_tid and tls (cloneTidTLS);
// printed as strace does, with only the pointers the flags use, in
// strace's order whatever the architecture's: parent_tid, tls,
// child_tidptr. parent_tid, where the kernel stored the child's id, is
// printed as strace reads it back, [id]: the result.
// clone, as strace's: child_stack and flags as it enters; parent_tid, tls
// and child_tidptr, those of them its flags use, once it returned (a
// clone shown unfinished prints them after "<... clone resumed>").
var (
	kCloneIn = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
		p.s("child_stack=")
		p.ptr(c.Args[1])
		p.s(", flags=")
		cloneFlags(p, c.Args[0])
	}})
	kCloneOut = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, _ int) {
		fl := c.Args[0]
		ctid, tls := cloneTidTLS(runtime.GOARCH, c.Args)
		sep := ""
		if fl&(cloneParent|clonePidfd) != 0 {
			p.s("parent_tid=")
			if fl&cloneParent != 0 && c.Complete() && c.Ret > 0 && c.Args[2] != 0 {
				p.c('[')
				p.d(c.Ret)
				p.c(']')
			} else {
				p.ptr(c.Args[2])
			}
			sep = ", "
		}
		if fl&cloneSettls != 0 {
			p.s(sep + "tls=")
			p.ptr(tls)
			sep = ", "
		}
		if fl&cloneChildTID != 0 {
			p.s(sep + "child_tidptr=")
			p.ptr(ctid)
		}
	}})
)

// cloneOutFlags are the flags whose arguments clone prints once it
// returned: without them it prints child_stack and flags alone.
const cloneOutFlags = cloneParent | clonePidfd | cloneSettls | cloneChildTID

func cloneNargs(c *Call) int {
	if c.Args[0]&cloneOutFlags == 0 {
		return 1
	}
	return 2
}

// cloneTidTLS returns clone's child_tid and tls arguments: x86-64 passes
// child_tid fourth and tls fifth, arm64 the other way round (its kernel's
// CLONE_BACKWARDS, seen in an arm64 guest: cmd/eproc's TestArm64Guest).
func cloneTidTLS(goarch string, args [6]uint64) (ctid, tls uint64) {
	if goarch == "arm64" {
		return args[4], args[3]
	}
	return args[3], args[4]
}

// futex: what follows the operation depends on it, so one kind prints
// the operation and the rest; the timeout (argument 3) is captured by a
// kind that prints nothing itself.
var kFutexOpAndRest = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	op := c.Args[1] & 0xffffffff
	cmd := op & 0x7f
	p.whole(func() { hexOrZero(p, op) }, func() {
		p.xlat(cmd, futexCmds, "")
		if op&128 != 0 {
			p.s("_PRIVATE")
		}
		if op&256 != 0 {
			p.s("|FUTEX_CLOCK_REALTIME")
		}
	})
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

func futexBitset(p *printer, v uint64) {
	if uint32(v) == 0xffffffff {
		p.constVal(0xffffffff, 'x', "FUTEX_BITSET_MATCH_ANY")
		return
	}
	p.x(v & 0xffffffff)
}

func init() {
	registerSigs(map[string]sig{

		"set_tid_address": {args: []kind{kPtr}},
		"set_robust_list": {args: []kind{kPtr, kUlong}},
		"rseq":            {args: []kind{kPtr, kHex, kInt, kHex}},
		"prlimit64":       {args: []kind{kPidTgid, kRlimitResource, kRlimitIn, kRlimitOut}},
		"getrlimit":       {args: []kind{kRlimitResource, kRlimitOut}},
		"setrlimit":       {args: []kind{kRlimitResource, kRlimitIn}},
		"getrandom":       {args: []kind{kRandomBytes, kUlong, kGetrandomFlags}},
		"futex":           {args: []kind{kPtr, kFutexOpAndRest, kHex, kTimespec}, nargs: func(*Call) int { return 2 }},
		"wait4":           {args: []kind{kPidTgidPgid, kWaitStatus, kWaitOptions, kWaitRusage}, class: ClassProcess, ret: retTgid},
		"waitid":          {args: []kind{kWaitidType, kWaitidId, kWaitidInfo, kWaitOptions, kRusage}, class: ClassProcess},
		"clone3":          {args: []kind{kClone3Args, kUlong}, class: ClassProcess, ret: retTid, exitPart: true},
		"fork":            {class: ClassProcess, ret: retTgid},
		"vfork":           {class: ClassProcess, ret: retTgid},
	})
	registerSigs(map[string]sig{"clone": {args: []kind{kCloneIn, kCloneOut}, nargs: cloneNargs, sepAtExit: true, class: ClassProcess, ret: retTid}})
}

// Credentials, process groups, resources, and the time calls.

var (
	prioWhiches = []flag{{0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"}}
	rusageWhos  = []flag{{0, "RUSAGE_SELF"}, {^uint64(0) & 0xffffffff, "RUSAGE_CHILDREN"}, {1, "RUSAGE_THREAD"}}
)

var kPrioWhich = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, prioWhiches, "/PRIO_???") }})

var kUtsname = newKind(kindInfo{out: true, cap: capOut(6 * 65), fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 130 || !p.verbose() {
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
	if p.abbrev() || len(cp.Data) < 6*65 {
		p.s(", ...}")
		return
	}
	for k, name := range [4]string{", release=", ", version=", ", machine=", ", domainname="} {
		p.s(name)
		p.quote(field(65*(k+2)), false)
	}
	p.c('}')
}})

var kRusageWho = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, rusageWhos, "") }})

var kRusage = newKind(kindInfo{out: true, cap: capOut(rusageSize), fmt: printRusage})

// kWaitRusage is wait4's rusage: written only when a child was reaped, so
// an address when WNOHANG found none (0), as strace prints it.
var kWaitRusage = newKind(kindInfo{out: true, cap: capOut(rusageSize), fmt: func(p *printer, c *Call, i int) {
	if c.Ret == 0 {
		p.ptr(c.Args[i])
		return
	}
	printRusage(p, c, i)
}})

// printRusage prints a struct rusage's times, as strace does.
func printRusage(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 32 || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	tv := func(off int) {
		p.s("{tv_sec=")
		p.d(int64(le.Uint64(cp.Data[off:])))
		p.s(", tv_usec=")
		p.u(le.Uint64(cp.Data[off+8:]))
		p.c('}')
	}
	p.s("{ru_utime=")
	tv(0)
	p.s(", ru_stime=")
	tv(16)
	if p.abbrev() || len(cp.Data) < rusageSize {
		p.s(", ...}")
		return
	}
	rusageRest(p, cp.Data)
}

// struct sysinfo (112 bytes on 64-bit): printed whole, as strace does.
const sysinfoSize = 112

var kSysinfo = newKind(kindInfo{out: true, cap: capOut(sysinfoSize), fmt: func(p *printer, c *Call, i int) {
	d := capturedOut(c, i, sysinfoSize)
	if d == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	u := func(name string, off int) {
		p.s(name)
		p.u(le.Uint64(d[off:]))
	}
	p.s("{uptime=")
	p.d(int64(le.Uint64(d)))
	p.s(", loads=[")
	p.u(le.Uint64(d[8:]))
	p.s(", ")
	p.u(le.Uint64(d[16:]))
	p.s(", ")
	p.u(le.Uint64(d[24:]))
	u("], totalram=", 32)
	u(", freeram=", 40)
	u(", sharedram=", 48)
	u(", bufferram=", 56)
	u(", totalswap=", 64)
	u(", freeswap=", 72)
	p.s(", procs=")
	p.u(uint64(le.Uint16(d[80:])))
	u(", totalhigh=", 88)
	u(", freehigh=", 96)
	p.s(", mem_unit=")
	p.u(uint64(le.Uint32(d[104:])))
	p.c('}')
}})

// waitid: the id type, and the siginfo_t the call filled (its first 48
// bytes, the kernel_siginfo strace prints; all zero, printed {}, when
// WNOHANG found no child).
var (
	waitidTypes = []flag{{0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}}
	kWaitidType = xlatKind(waitidTypes, "P_???")
	kWaitidInfo = newKind(kindInfo{out: true, cap: capOut(48), fmt: func(p *printer, c *Call, i int) {
		d := capturedOut(c, i, 48)
		if d == nil {
			p.ptr(c.Args[i])
			return
		}
		if p.pids != nil {
			p.pids.waitidReaped(c, d) // si_pid: the child is gone
		}
		if !p.verbose() { // -e verbose=: printsiginfo_at's umove_or_printaddr
			p.x(c.Args[i])
			return
		}
		siginfo(p, c, d)
	}})
)

var kCPUMask = newKind(kindInfo{out: true, cap: capBufOut, fmt: func(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Ret <= 0 || !c.Complete() || cp == nil || cp.Fault() || !p.verbose() {
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

// personaTypes are the PER_* of linux/personality.h whose value is a
// low byte alone (strace 6.1's personality_types): PER_SVR4 and the
// others with flag bits print as 0x1 /* PER_??? */|MMAP_PAGE_ZERO|...
var personaTypes = []flag{
	{0x00, "PER_LINUX"}, {0x06, "PER_BSD"}, {0x08, "PER_LINUX32"}, {0x0c, "PER_RISCOS"},
	{0x0f, "PER_OSF4"}, {0x10, "PER_HPUX"}, {0xff, "PER_MASK"},
}

// personaFlags are linux/personality.h's flags for bug emulation, in
// bit order.
var personaFlags = []flag{
	{0x0020000, "UNAME26"}, {0x0040000, "ADDR_NO_RANDOMIZE"}, {0x0080000, "FDPIC_FUNCPTRS"},
	{0x0100000, "MMAP_PAGE_ZERO"}, {0x0200000, "ADDR_COMPAT_LAYOUT"}, {0x0400000, "READ_IMPLIES_EXEC"},
	{0x0800000, "ADDR_LIMIT_32BIT"}, {0x1000000, "SHORT_INODE"}, {0x2000000, "WHOLE_SECONDS"},
	{0x4000000, "STICKY_TIMEOUTS"}, {0x8000000, "ADDR_LIMIT_3GB"},
}

// persona prints a personality as strace does: the PER_* of the low
// byte (0x7f /* PER_??? */ when unknown), then |FLAG|...|0x... for the
// rest.
func persona(p *printer, v uint32) {
	xlatOrUnknown(p, uint64(v&0xff), personaTypes, "PER_???")
	if rest := uint64(v &^ 0xff); rest != 0 {
		p.c('|')
		p.flags(rest, personaFlags, "")
	}
}

// kPersona is personality's argument: 0xffffffff (the query) in hex,
// any other value as persona prints it.
var kPersona = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	if v := uint32(c.Args[i]); v == 0xffffffff {
		p.x(uint64(v))
	} else {
		persona(p, v)
	}
}})

// personaRet prints the previous personality in hex, then decoded:
// 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE).
func personaRet(p *printer, c *Call) {
	hexOrZero(p, uint64(uint32(c.Ret)))
	p.s(" (")
	persona(p, uint32(c.Ret))
	p.c(')')
}

func init() {
	registerSigs(map[string]sig{
		"setpgid":           {args: []kind{kPidTgid, kPidPgid}},
		"getpgid":           {args: []kind{kPidTgid}, ret: retPgid},
		"getsid":            {args: []kind{kPidTgid}, ret: retSid},
		"getpgrp":           {class: ClassPure, ret: retPgid},
		"setsid":            {},
		"prctl":             {args: []kind{kPrctl, kPrctlOut, kHex, kHex, kPrctlArg5}, nargs: prctlNargs, ret: prctlRet, class: ClassCreds, sel: &selector{arg: 0, mask: 0xffffffff, cases: prctlCases, more: prctlMoreCaps}},
		"personality":       {args: []kind{kPersona}, ret: personaRet},
		"uname":             {args: []kind{kUtsname}},
		"sysinfo":           {args: []kind{kSysinfo}},
		"getrusage":         {args: []kind{kRusageWho, kRusage}},
		"sched_getaffinity": {args: []kind{kPidTgid, kUint, kCPUMask}},
		"getpriority":       {args: []kind{kPrioWhich, kPrioWho}},
		"setpriority":       {args: []kind{kPrioWhich, kPrioWho, kInt}},
	})
}
