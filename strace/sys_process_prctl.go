package strace

import "bytes"

// prctl, as strace 6.1's prctl.c prints it: the option decides what
// follows, and what is captured (prctlCases: the selector picks the
// captures by option, so the other options capture nothing).

// The prctl options strace names (xlat/prctl_options.in).
var prctlOptions = []flag{{1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"}, {4, "PR_SET_DUMPABLE"},
	{5, "PR_GET_UNALIGN"}, {6, "PR_SET_UNALIGN"}, {7, "PR_GET_KEEPCAPS"}, {8, "PR_SET_KEEPCAPS"}, {9, "PR_GET_FPEMU"},
	{10, "PR_SET_FPEMU"}, {11, "PR_GET_FPEXC"}, {12, "PR_SET_FPEXC"}, {13, "PR_GET_TIMING"}, {14, "PR_SET_TIMING"},
	{15, "PR_SET_NAME"}, {16, "PR_GET_NAME"}, {19, "PR_GET_ENDIAN"}, {20, "PR_SET_ENDIAN"}, {21, "PR_GET_SECCOMP"},
	{22, "PR_SET_SECCOMP"}, {23, "PR_CAPBSET_READ"}, {24, "PR_CAPBSET_DROP"}, {25, "PR_GET_TSC"}, {26, "PR_SET_TSC"},
	{27, "PR_GET_SECUREBITS"}, {28, "PR_SET_SECUREBITS"}, {29, "PR_SET_TIMERSLACK"}, {30, "PR_GET_TIMERSLACK"},
	{31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"}, {33, "PR_MCE_KILL"}, {34, "PR_MCE_KILL_GET"},
	{35, "PR_SET_MM"}, {36, "PR_SET_CHILD_SUBREAPER"}, {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"},
	{39, "PR_GET_NO_NEW_PRIVS"}, {40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"},
	{43, "PR_MPX_ENABLE_MANAGEMENT"}, {44, "PR_MPX_DISABLE_MANAGEMENT"}, {45, "PR_SET_FP_MODE"}, {46, "PR_GET_FP_MODE"},
	{47, "PR_CAP_AMBIENT"}, {50, "PR_SVE_SET_VL"}, {51, "PR_SVE_GET_VL"}, {52, "PR_GET_SPECULATION_CTRL"},
	{53, "PR_SET_SPECULATION_CTRL"}, {54, "PR_PAC_RESET_KEYS"}, {55, "PR_SET_TAGGED_ADDR_CTRL"},
	{56, "PR_GET_TAGGED_ADDR_CTRL"}, {57, "PR_SET_IO_FLUSHER"}, {58, "PR_GET_IO_FLUSHER"},
	{59, "PR_SET_SYSCALL_USER_DISPATCH"}, {60, "PR_PAC_SET_ENABLED_KEYS"}, {61, "PR_PAC_GET_ENABLED_KEYS"},
	{62, "PR_SCHED_CORE"}, {63, "PR_SME_SET_VL"}, {64, "PR_SME_GET_VL"}, {0x53564d41, "PR_SET_VMA"},
	{0x59616d61, "PR_SET_PTRACER"}}

var (
	prDumpable     = []flag{{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"}, {2, "SUID_DUMP_ROOT"}}
	prTsc          = []flag{{1, "PR_TSC_ENABLE"}, {2, "PR_TSC_SIGSEGV"}}
	prUnalign      = []flag{{1, "PR_UNALIGN_NOPRINT"}, {2, "PR_UNALIGN_SIGBUS"}}
	prMceKill      = []flag{{0, "PR_MCE_KILL_CLEAR"}, {1, "PR_MCE_KILL_SET"}}
	prMcePolicy    = []flag{{0, "PR_MCE_KILL_LATE"}, {1, "PR_MCE_KILL_EARLY"}, {2, "PR_MCE_KILL_DEFAULT"}}
	prCapAmbient   = []flag{{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"}, {3, "PR_CAP_AMBIENT_LOWER"}, {4, "PR_CAP_AMBIENT_CLEAR_ALL"}}
	prSetVma       = []flag{{0, "PR_SET_VMA_ANON_NAME"}}
	prSudCmds      = []flag{{0, "PR_SYS_DISPATCH_OFF"}, {1, "PR_SYS_DISPATCH_ON"}}
	prVlFlagsSVE   = []flag{{1 << 18, "PR_SVE_SET_VL_ONEXEC"}, {1 << 17, "PR_SVE_VL_INHERIT"}}
	prVlFlagsSME   = []flag{{1 << 18, "PR_SME_SET_VL_ONEXEC"}, {1 << 17, "PR_SME_VL_INHERIT"}}
	prPacKeys      = []flag{{1, "PR_PAC_APIAKEY"}, {2, "PR_PAC_APIBKEY"}, {4, "PR_PAC_APDAKEY"}, {8, "PR_PAC_APDBKEY"}, {16, "PR_PAC_APGAKEY"}}
	prSchedCore    = []flag{{0, "PR_SCHED_CORE_GET"}, {1, "PR_SCHED_CORE_CREATE"}, {2, "PR_SCHED_CORE_SHARE_TO"}, {3, "PR_SCHED_CORE_SHARE_FROM"}}
	prPidTypes     = []flag{{0, "PIDTYPE_PID"}, {1, "PIDTYPE_TGID"}, {2, "PIDTYPE_PGID"}, {3, "PIDTYPE_SID"}}
	prMteTcf       = []flag{{0, "PR_MTE_TCF_NONE"}, {2, "PR_MTE_TCF_SYNC"}, {4, "PR_MTE_TCF_ASYNC"}, {6, "PR_MTE_TCF_MASK"}}
	prFpMode       = []flag{{1, "PR_FP_MODE_FR"}, {2, "PR_FP_MODE_FRE"}}
	prSpecCmds     = []flag{{0, "PR_SPEC_STORE_BYPASS"}, {1, "PR_SPEC_INDIRECT_BRANCH"}, {2, "PR_SPEC_L1D_FLUSH"}}
	prSpecGetFlags = []flag{{0, "PR_SPEC_NOT_AFFECTED"}, {1, "PR_SPEC_PRCTL"}, {2, "PR_SPEC_ENABLE"}, {4, "PR_SPEC_DISABLE"}, {8, "PR_SPEC_FORCE_DISABLE"}, {16, "PR_SPEC_DISABLE_NOEXEC"}}
	prSpecSetFlags = []flag{{2, "PR_SPEC_ENABLE"}, {4, "PR_SPEC_DISABLE"}, {8, "PR_SPEC_FORCE_DISABLE"}, {16, "PR_SPEC_DISABLE_NOEXEC"}}
	seccompModes   = []flag{{0, "SECCOMP_MODE_DISABLED"}, {1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}}
	secBits        = []flag{{1, "SECBIT_NOROOT"}, {2, "SECBIT_NOROOT_LOCKED"}, {4, "SECBIT_NO_SETUID_FIXUP"},
		{8, "SECBIT_NO_SETUID_FIXUP_LOCKED"}, {16, "SECBIT_KEEP_CAPS"}, {32, "SECBIT_KEEP_CAPS_LOCKED"},
		{64, "SECBIT_NO_CAP_AMBIENT_RAISE"}, {128, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"}}
	prSetMM = []flag{{1, "PR_SET_MM_START_CODE"}, {2, "PR_SET_MM_END_CODE"}, {3, "PR_SET_MM_START_DATA"},
		{4, "PR_SET_MM_END_DATA"}, {5, "PR_SET_MM_START_STACK"}, {6, "PR_SET_MM_START_BRK"}, {7, "PR_SET_MM_BRK"},
		{8, "PR_SET_MM_ARG_START"}, {9, "PR_SET_MM_ARG_END"}, {10, "PR_SET_MM_ENV_START"}, {11, "PR_SET_MM_ENV_END"},
		{12, "PR_SET_MM_AUXV"}, {13, "PR_SET_MM_EXE_FILE"}, {14, "PR_SET_MM_MAP"}, {15, "PR_SET_MM_MAP_SIZE"}}
)

// capNames are the capabilities by number (xlat/cap.in).
var capNames = func() []flag {
	names := []string{"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
		"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK",
		"IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT",
		"SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
		"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON",
		"BPF", "CHECKPOINT_RESTORE"}
	tab := make([]flag, len(names))
	for i, n := range names {
		tab[i] = flag{uint64(i), "CAP_" + n}
	}
	return tab
}()

// prctlArgs prints arguments first.. of 5 in hex (print_prctl_args).
func prctlArgs(p *printer, c *Call, first int) {
	for k := first; k < 5; k++ {
		p.s(", ")
		hexOrZero(p, c.Args[k])
	}
}

// kPrctl prints the option and what strace prints at entry.
var kPrctl = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	op := c.Args[0] & 0xffffffff
	p.xlat(op, prctlOptions, "/PR_???")
	if !prctlSet(p, c, op) {
		prctlMore(p, c, op)
	}
}})

// prctlSet prints the arguments of the options that set a value; false
// for the others.
func prctlSet(p *printer, c *Call, op uint64) bool {
	a2, a3 := c.Args[1], c.Args[2]
	switch op {
	case 14, 36, 20, 10, 12, 8: // PR_SET_TIMING, _CHILD_SUBREAPER, _ENDIAN, _FPEMU, _FPEXC, _KEEPCAPS
		p.s(", ")
		p.u(a2)
	case 4: // PR_SET_DUMPABLE
		p.s(", ")
		xlatOrUnknown(p, a2, prDumpable, "SUID_DUMP_???")
	case 23, 24: // PR_CAPBSET_READ, PR_CAPBSET_DROP
		p.s(", ")
		xlatOrUnknown(p, a2, capNames, "CAP_???")
	case 47: // PR_CAP_AMBIENT
		p.s(", ")
		xlatOrUnknown(p, a2, prCapAmbient, "PR_CAP_AMBIENT_???")
		if a2 >= 1 && a2 <= 3 {
			p.s(", ")
			xlatOrUnknown(p, a3, capNames, "CAP_???")
			prctlArgs(p, c, 3)
		} else {
			prctlArgs(p, c, 2)
		}
	case 33: // PR_MCE_KILL
		p.s(", ")
		xlatOrUnknown(p, a2, prMceKill, "PR_MCE_KILL_???")
		p.s(", ")
		if a2 == 1 {
			xlatOrUnknown(p, a3, prMcePolicy, "PR_MCE_KILL_???")
		} else {
			hexOrZero(p, a3)
		}
		prctlArgs(p, c, 3)
	case 15: // PR_SET_NAME
		p.s(", ")
		prctlName(p, c, 15)
	case 1: // PR_SET_PDEATHSIG
		p.s(", ")
		if a2 > 128 {
			p.u(a2)
		} else {
			argSignal(p, int(a2), kernelSignalName)
		}
	case 28: // PR_SET_SECUREBITS
		p.s(", ")
		flagsOrUnknown(p, a2, secBits, "", "SECBIT_???")
	case 29: // PR_SET_TIMERSLACK
		p.s(", ")
		p.d(int64(a2))
	case 26: // PR_SET_TSC
		p.s(", ")
		xlatOrUnknown(p, a2&0xffffffff, prTsc, "PR_TSC_???")
	case 6: // PR_SET_UNALIGN
		p.s(", ")
		flagsOrUnknown(p, a2&0xffffffff, prUnalign, "", "PR_UNALIGN_???")
	case 38, 41, 57: // PR_SET_NO_NEW_PRIVS, PR_SET_THP_DISABLE, PR_SET_IO_FLUSHER
		p.s(", ")
		p.u(a2)
		prctlArgs(p, c, 2)
	case 45: // PR_SET_FP_MODE
		p.s(", ")
		flagsOrUnknown(p, a2&0xffffffff, prFpMode, "", "PR_FP_MODE_???")
	default:
		return prctlSet2(p, c, op)
	}
	return true
}

// prctlSet2 is prctlSet for the rest of the setters.
func prctlSet2(p *printer, c *Call, op uint64) bool {
	a2, a3 := c.Args[1], c.Args[2]
	switch op {
	case 0x53564d41: // PR_SET_VMA
		p.s(", ")
		xlatOrUnknown(p, a2, prSetVma, "PR_SET_VMA_???")
		if a2 != 0 {
			prctlArgs(p, c, 2)
			break
		}
		p.s(", ")
		p.ptr(a3)
		p.s(", ")
		p.u(c.Args[3])
		p.s(", ")
		fmtStrLimited(p, c, 4)
	case 35: // PR_SET_MM
		p.s(", ")
		xlatOrUnknown(p, a2&0xffffffff, prSetMM, "PR_SET_MM_???")
		prctlArgs(p, c, 2)
	case 0x59616d61: // PR_SET_PTRACER
		p.s(", ")
		if int32(a2) == -1 {
			p.constVal(^uint64(0), 'd', "PR_SET_PTRACER_ANY")
		} else {
			p.pid(int32(a2), ptTgid)
		}
	case 22: // PR_SET_SECCOMP
		p.s(", ")
		xlatOrUnknown(p, a2, seccompModes, "SECCOMP_MODE_???")
		if a2 == 2 { // struct sock_fprog (sys_bpf_filter.go)
			p.s(", ")
			sockFprog(p, c, 2, seccompK)
		} else if a2 != 1 {
			prctlArgs(p, c, 2)
		}
	case 53: // PR_SET_SPECULATION_CTRL
		p.s(", ")
		xlatOrUnknown(p, a2, prSpecCmds, "PR_SPEC_???")
		p.s(", ")
		if a2 <= 2 {
			xlatOrUnknown(p, a3, prSpecSetFlags, "PR_SPEC_???")
		} else {
			hexOrZero(p, a3)
		}
	case 54: // PR_PAC_RESET_KEYS
		p.s(", ")
		flagsOrUnknown(p, a2, prPacKeys, "", "PR_PAC_???")
		prctlArgs(p, c, 2)
	case 60: // PR_PAC_SET_ENABLED_KEYS
		p.s(", ")
		flagsOrUnknown(p, a2, prPacKeys[:4], "", "PR_PAC_???")
		p.s(", ")
		flagsOrUnknown(p, a3, prPacKeys[:4], "", "PR_PAC_???")
		prctlArgs(p, c, 3)
	case 59: // PR_SET_SYSCALL_USER_DISPATCH
		p.s(", ")
		xlatOrUnknown(p, a2, prSudCmds, "PR_SYS_DISPATCH_???")
		p.s(", ")
		hexOrZero(p, a3)
		p.s(", ")
		hexOrZero(p, c.Args[3])
		p.s(", ")
		p.ptr(c.Args[4])
	case 55: // PR_SET_TAGGED_ADDR_CTRL
		p.s(", ")
		taggedAddr(p, a2, false)
		prctlArgs(p, c, 2)
	case 50, 63: // PR_SVE_SET_VL, PR_SME_SET_VL
		p.s(", ")
		vectorLength(p, a2, op == 63, false)
	default:
		return false
	}
	return true
}

// prctlMore prints what the getters and the others print at entry.
func prctlMore(p *printer, c *Call, op uint64) {
	switch op {
	case 7, 21, 30, 13, 31, 32, 3, 27, 46, 51, 64: // no arguments
	case 37, 19, 9, 11, 16, 2, 40, 25, 5: // an output: printed at exit
	case 52: // PR_GET_SPECULATION_CTRL
		p.s(", ")
		xlatOrUnknown(p, c.Args[1], prSpecCmds, "PR_SPEC_???")
	case 62: // PR_SCHED_CORE
		p.s(", ")
		xlatOrUnknown(p, c.Args[1]&0xffffffff, prSchedCore, "PR_SCHED_CORE_???")
		p.s(", ")
		schedCorePid(p, int32(c.Args[2]), uint32(c.Args[3]))
		p.s(", ")
		pt := c.Args[3] & 0xffffffff
		if p.style == ConstRaw {
			p.xlat(pt, prPidTypes, "/PIDTYPE_???")
		} else {
			hexOrZero(p, pt)
			if name := lookupName(pt, prPidTypes); name != "" {
				p.comment(name)
			} else {
				p.comment("PIDTYPE_???")
			}
		}
		if c.Args[1]&0xffffffff != 0 {
			p.s(", ")
			p.ptr(c.Args[4])
		}
	default:
		prctlArgs(p, c, 1)
	}
}

// prctlName prints PR_SET_NAME's (n 15) or PR_GET_NAME's (n 16) name:
// printstr_ex with QUOTE_0_TERMINATED, which reads min(n, strsize+1)
// bytes up to a NUL (umovestr: the pages before a fault do) and prints at
// most strsize of them, then ... when there was no NUL. The capture is n
// bytes, or those before a page that could not be read (wire.CapPart).
func prctlName(p *printer, c *Call, n int) {
	addr := c.Args[1]
	if addr == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(1, 0)
	if cp == nil || cp.Fault() && !cp.Part() {
		p.x(addr)
		return
	}
	look := min(n, p.strsize+1)
	d := cp.Data[:min(len(cp.Data), look)]
	nul := bytes.IndexByte(d, 0)
	if nul < 0 && len(d) < look {
		p.x(addr) // no NUL before the page that could not be read
		return
	}
	shown := min(look, p.strsize)
	if nul >= 0 && nul < shown {
		p.quote(d[:nul], false)
		return
	}
	p.quote(d[:shown], true)
}

// capturedNum is the number of size bytes argument i's capture holds.
func capturedNum(c *Call, i, size int) (uint64, bool) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < size {
		return 0, false
	}
	var b [8]byte
	copy(b[:], cp.Data[:size])
	return le.Uint64(b[:]), true
}

// prctlCases are the captures of the options that pass or fill memory
// (the selector's cases, by option): the name of PR_SET_NAME and
// PR_GET_NAME, the int or pointer the getters fill, PR_SET_VMA's name,
// PR_SCHED_CORE_GET's cookie and PR_SET_SECCOMP's struct sock_fprog (of
// SECCOMP_MODE_FILTER: prctlMore has its filter).
func prctlCases() map[uint32]map[int]capRule {
	cases := map[uint32]map[int]capRule{
		15:         {1: capIn(15)},
		22:         {2: capIn(sockFprogSize)},
		16:         {1: capOut(16)},
		40:         {1: capOut(8)},
		62:         {4: capOut(8)},
		0x53564d41: {4: capStr},
	}
	for _, op := range []uint32{2, 5, 9, 11, 19, 25, 37} {
		cases[op] = map[int]capRule{1: capOut(4)}
	}
	return cases
}

// prctlMoreCaps: PR_SET_SECCOMP's filter, the instructions its struct
// sock_fprog points to.
func prctlMoreCaps() map[uint32]map[int][]capRule {
	return map[uint32]map[int][]capRule{22: {2: {bpfFilterDeref}}}
}

// kPrctlOut prints what the getters fill, at exit.
var kPrctlOut = newKind(kindInfo{out: true,
	fmt: func(p *printer, c *Call, _ int) {
		op := c.Args[0] & 0xffffffff
		if op == 62 { // PR_SCHED_CORE_GET's cookie
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[4])
			} else if c.Args[4] == 0 {
				p.s("NULL")
			} else if v, ok := capturedNum(c, 4, 8); ok && p.verbose() { // printnum_int64
				p.c('[')
				hexOrZero(p, v)
				p.c(']')
			} else {
				p.x(c.Args[4])
			}
			return
		}
		if c.Ret < 0 || !c.Complete() || c.Args[1] == 0 {
			p.ptr(c.Args[1])
			return
		}
		if op == 16 { // PR_GET_NAME
			prctlName(p, c, 16)
			return
		}
		if !p.verbose() { // -e verbose=: printnum_*, umove_or_printaddr
			p.x(c.Args[1])
			return
		}
		size := 4
		if op == 40 {
			size = 8
		}
		w, ok := capturedNum(c, 1, size)
		if !ok {
			p.x(c.Args[1])
			return
		}
		v := uint64(uint32(w))
		p.c('[')
		switch op {
		case 40: // PR_GET_TID_ADDRESS
			p.x(w)
		case 2: // PR_GET_PDEATHSIG
			argSignal(p, int(v), kernelSignalName)
		case 25: // PR_GET_TSC
			xlatOrUnknown(p, v, prTsc, "PR_TSC_???")
		case 5: // PR_GET_UNALIGN
			flagsOrUnknown(p, v, prUnalign, "", "PR_UNALIGN_???")
		default:
			p.u(v)
		}
		p.c(']')
	}})

// kPrctlArg5 is argument 5, captured for PR_SET_VMA and
// PR_SCHED_CORE_GET (prctlCases); kPrctl and kPrctlOut print it.
var kPrctlArg5 = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {}})

// prctlNargs: the option, then the output for the getters of one.
func prctlNargs(c *Call) int {
	switch c.Args[0] & 0xffffffff {
	case 37, 19, 9, 11, 16, 2, 40, 25, 5:
		return 2
	case 62:
		if c.Args[1]&0xffffffff == 0 {
			return 2
		}
	}
	return 1
}

// prctlRet prints the result, with strace's auxiliary text for the
// options that have one.
func prctlRet(p *printer, c *Call) {
	op, r := c.Args[0]&0xffffffff, uint64(c.Ret)
	switch op {
	case 3: // PR_GET_DUMPABLE
		retName(p, c.Ret, lookupName(r, prDumpable))
	case 34: // PR_MCE_KILL_GET
		retName(p, c.Ret, lookupName(r, prMcePolicy))
	case 27, 46, 61: // PR_GET_SECUREBITS, PR_GET_FP_MODE, PR_PAC_GET_ENABLED_KEYS
		tab := secBits
		if op == 46 {
			tab = prFpMode
		} else if op == 61 {
			tab = prPacKeys[:4]
		}
		retFlags(p, r, tab)
	case 52: // PR_GET_SPECULATION_CTRL
		if c.Args[1] > 2 {
			p.d(c.Ret)
			return
		}
		retFlags(p, r, prSpecGetFlags)
	case 50, 51, 63, 64: // PR_SVE_SET_VL, PR_SVE_GET_VL, PR_SME_SET_VL, PR_SME_GET_VL
		hexOrZero(p, r)
		if r != 0 && r&^0xffff != 0 && p.style != ConstRaw {
			p.s(" (")
			vectorLength(p, r, op >= 63, true)
			p.c(')')
		}
	case 56: // PR_GET_TAGGED_ADDR_CTRL
		hexOrZero(p, r)
		if p.style != ConstRaw {
			p.s(" (")
			taggedAddr(p, r, true)
			p.c(')')
		}
	default:
		p.d(c.Ret)
	}
}

// retName prints a result and its name, when it has one: 2 (NAME).
func retName(p *printer, v int64, name string) {
	p.d(v)
	if name != "" {
		p.s(" (")
		p.s(name)
		p.c(')')
	}
}

// retFlags prints a result in hex and its flags, as strace's
// sprintflags_ex in SPFF_AUXSTR_MODE makes them: 0x3 (A|B), 0x103
// (A|B|0x100); nothing after a result none of whose flags is known (0x100),
// nor under -X raw; a zero result is the table's zero name when it has one.
func retFlags(p *printer, v uint64, tab []flag) {
	hexOrZero(p, v)
	if p.style == ConstRaw {
		return
	}
	if v == 0 {
		if len(tab) > 0 && tab[0].v == 0 {
			p.s(" (")
			p.s(tab[0].name)
			p.c(')')
		}
		return
	}
	rest, found := v, false
	for _, f := range tab {
		if f.v != 0 && rest&f.v == f.v {
			if !found {
				p.s(" (")
			} else {
				p.c('|')
			}
			p.s(f.name)
			found = true
			rest &^= f.v
		}
	}
	if !found {
		return
	}
	if rest != 0 {
		p.c('|')
		p.x(rest)
	}
	p.c(')')
}

// vectorLength prints PR_SVE_SET_VL's and PR_SME_SET_VL's argument:
// flags|length (sprint_sve_val, sprint_sme_val).
func vectorLength(p *printer, v uint64, sme, aux bool) {
	tab := prVlFlagsSVE
	if sme {
		tab = prVlFlagsSME
	}
	if p.style == ConstRaw {
		hexOrZero(p, v)
		return
	}
	vl, fl := v&0xffff, v&^0xffff
	verbose := !aux && fl != 0 && p.style == ConstVerbose
	if verbose {
		hexOrZero(p, v)
		p.s(" /* ")
	}
	if fl != 0 {
		style := p.style
		p.style = ConstAbbrev
		p.flags(fl, tab, "")
		p.style = style
		p.c('|')
	}
	hexOrZero(p, vl)
	if verbose {
		p.s(" */")
	}
}

// taggedAddr prints PR_SET_TAGGED_ADDR_CTRL's argument, or
// PR_GET_TAGGED_ADDR_CTRL's result (rval): enable|tcf|tag<<shift|rest.
func taggedAddr(p *printer, v uint64, rval bool) {
	if !rval && p.style != ConstAbbrev {
		hexOrZero(p, v)
	}
	if p.style == ConstRaw {
		return
	}
	if !rval && p.style == ConstVerbose {
		p.s(" /* ")
	}
	if v&1 != 0 {
		p.s("PR_TAGGED_ADDR_ENABLE|")
	} else {
		p.s("!PR_TAGGED_ADDR_ENABLE|")
	}
	tcf := v & 6
	if name := lookupName(tcf, prMteTcf); name != "" {
		p.s(name)
	} else {
		hexOrZero(p, tcf)
	}
	if tag := v & (0xffff << 3); tag != 0 {
		p.c('|')
		hexOrZero(p, tag>>3)
		p.s("<<PR_MTE_TAG_SHIFT")
	}
	if rest := v &^ (1 | 6 | 0xffff<<3); rest != 0 {
		p.c('|')
		hexOrZero(p, rest)
	}
	if !rval && p.style == ConstVerbose {
		p.s(" */")
	}
}
