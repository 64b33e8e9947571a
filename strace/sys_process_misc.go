package strace

// reboot, syslog, _sysctl, kcmp and seccomp, as strace 6.1 prints them.

var (
	rebootMagic1 = []flag{{0xfee1dead, "LINUX_REBOOT_MAGIC1"}}
	rebootMagic2 = []flag{{672274793, "LINUX_REBOOT_MAGIC2"}, {85072278, "LINUX_REBOOT_MAGIC2A"},
		{369367448, "LINUX_REBOOT_MAGIC2B"}, {537993216, "LINUX_REBOOT_MAGIC2C"}}
	rebootCmds = []flag{{0x01234567, "LINUX_REBOOT_CMD_RESTART"}, {0xCDEF0123, "LINUX_REBOOT_CMD_HALT"},
		{0x89ABCDEF, "LINUX_REBOOT_CMD_CAD_ON"}, {0, "LINUX_REBOOT_CMD_CAD_OFF"}, {0x4321FEDC, "LINUX_REBOOT_CMD_POWER_OFF"},
		{0xA1B2C3D4, "LINUX_REBOOT_CMD_RESTART2"}, {0xD000FCE2, "LINUX_REBOOT_CMD_SW_SUSPEND"},
		{0x45584543, "LINUX_REBOOT_CMD_KEXEC"}}
	kRebootMagic1 = xlatKind(rebootMagic1, "LINUX_REBOOT_MAGIC_???")
	kRebootMagic2 = xlatKind(rebootMagic2, "LINUX_REBOOT_MAGIC_???")
	kRebootCmd    = xlatKind(rebootCmds, "LINUX_REBOOT_CMD_???")
)

// rebootArgMax is what the kernel copies of LINUX_REBOOT_CMD_RESTART2's
// argument: 255 bytes (its buffer is 256, the last a NUL).
const rebootArgMax = 255

// kRebootArg is LINUX_REBOOT_CMD_RESTART2's argument: strace reads 255
// bytes (or -s + 1), prints up to a NUL, then ... when there was none.
var kRebootArg = newKind(kindInfo{cap: capIn(rebootArgMax), fmt: func(p *printer, c *Call, i int) {
	cp := capturedAlways(p, c, i, rebootArgMax)
	if cp == nil {
		return
	}
	size := min(rebootArgMax, p.strsize+1)
	b := cp.Data[:size]
	for k, ch := range b {
		if ch == 0 {
			p.quote(b[:k], false)
			return
		}
	}
	p.quote(b[:min(size, p.strsize)], true)
}})

func rebootNargs(c *Call) int {
	if uint32(c.Args[2]) == 0xA1B2C3D4 {
		return 4
	}
	return 3
}

var (
	syslogActions = []flag{{0, "SYSLOG_ACTION_CLOSE"}, {1, "SYSLOG_ACTION_OPEN"}, {2, "SYSLOG_ACTION_READ"},
		{3, "SYSLOG_ACTION_READ_ALL"}, {4, "SYSLOG_ACTION_READ_CLEAR"}, {5, "SYSLOG_ACTION_CLEAR"},
		{6, "SYSLOG_ACTION_CONSOLE_OFF"}, {7, "SYSLOG_ACTION_CONSOLE_ON"}, {8, "SYSLOG_ACTION_CONSOLE_LEVEL"},
		{9, "SYSLOG_ACTION_SIZE_UNREAD"}, {10, "SYSLOG_ACTION_SIZE_BUFFER"}}
	syslogLevels = []flag{{0, "LOGLEVEL_EMERG"}, {1, "LOGLEVEL_ALERT"}, {2, "LOGLEVEL_CRIT"}, {3, "LOGLEVEL_ERR"},
		{4, "LOGLEVEL_WARNING"}, {5, "LOGLEVEL_NOTICE"}, {6, "LOGLEVEL_INFO"}, {7, "LOGLEVEL_DEBUG"},
		{8, "LOGLEVEL_DEBUG+1"}}
)

// verboseD prints v as strace's printxval_ex with XLAT_STYLE_VERBOSE |
// XLAT_STYLE_FMT_D: the number, then its name (or unknown) in a comment.
func verboseD(p *printer, v int32, tab []flag, unknown string) {
	p.d(int64(v))
	name := lookupName(uint64(uint32(v)), tab)
	if name == "" {
		name = unknown
	}
	p.comment(name)
}

// kSyslogType is syslog's type, and at entry the arguments of the types
// that are not reads.
var kSyslogType = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	t := int32(c.Args[0])
	verboseD(p, t, syslogActions, "SYSLOG_ACTION_???")
	switch t {
	case 0, 1, 5, 6, 7, 9, 10, 2, 3, 4:
		return
	}
	p.s(", ")
	p.ptr(c.Args[1])
	p.s(", ")
	if t == 8 {
		verboseD(p, int32(c.Args[2]), syslogLevels, "LOGLEVEL_???")
	} else {
		p.d(int64(int32(c.Args[2])))
	}
}})

var (
	// kSyslogBuf is what a read filled: as long as the result.
	kSyslogBuf = newKind(kindInfo{out: true, cap: capBufOut, fmt: fmtBufOut})
	kSyslogLen = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }})
)

func syslogNargs(c *Call) int {
	if t := int32(c.Args[0]); t >= 2 && t <= 4 {
		return 3
	}
	return 1
}

// kSysctlArgs is _sysctl's struct __sysctl_args.
var kSysctlArgs = structIn(80, func(p *printer, b []byte) {
	p.s("{name=")
	p.ptr(le.Uint64(b))
	p.s(", nlen=")
	p.d(int64(int32(le.Uint32(b[8:]))))
	p.s(", oldval=")
	p.ptr(le.Uint64(b[16:]))
	p.s(", oldlenp=")
	p.ptr(le.Uint64(b[24:]))
	p.s(", newval=")
	p.ptr(le.Uint64(b[32:]))
	p.s(", newlen=")
	p.u(le.Uint64(b[40:]))
	p.c('}')
})

var kcmpTypes = []flag{{0, "KCMP_FILE"}, {1, "KCMP_VM"}, {2, "KCMP_FILES"}, {3, "KCMP_FS"}, {4, "KCMP_SIGHAND"},
	{5, "KCMP_IO"}, {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"}}

// pidFd prints descriptor fd of process pid (strace's printfd_pid): under
// -y, what it refers to there.
func pidFd(p *printer, c *Call, pid, fd int32) {
	if p.fds != nil && pid > 0 && p.pids != nil {
		pid = int32(p.pids.translate(c.Tid, pid, ptTgid)) // in eproc's namespace
	}
	if p.fds == nil || pid <= 0 {
		p.d(int64(fd))
		return
	}
	target := *c
	target.Tgid = uint32(pid)
	p.fdOpen(&target, fd, true)
}

// kKcmp prints kcmp's arguments from the type on: what follows depends
// on it. The epoll slot (argument 5) is captured by kKcmpSlot.
var kKcmp = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	pid1, pid2 := int32(c.Args[0]), int32(c.Args[1])
	t := uint64(uint32(c.Args[2]))
	xlatOrUnknown(p, t, kcmpTypes, "KCMP_???")
	switch t {
	case 0: // KCMP_FILE
		p.s(", ")
		pidFd(p, c, pid1, int32(c.Args[3]))
		p.s(", ")
		pidFd(p, c, pid2, int32(c.Args[4]))
	case 7: // KCMP_EPOLL_TFD
		p.s(", ")
		pidFd(p, c, pid1, int32(c.Args[3]))
		p.s(", ")
		cp := captured(p, c, 4, 12)
		if cp == nil {
			return
		}
		p.s("{efd=")
		pidFd(p, c, pid2, int32(le.Uint32(cp.Data)))
		p.s(", tfd=")
		pidFd(p, c, pid2, int32(le.Uint32(cp.Data[4:])))
		p.s(", toff=")
		p.u(uint64(le.Uint32(cp.Data[8:])))
		p.c('}')
	case 1, 2, 3, 4, 5, 6:
	default:
		p.s(", ")
		hexOrZero(p, c.Args[3])
		p.s(", ")
		hexOrZero(p, c.Args[4])
	}
}})

var kKcmpSlot = newKind(kindInfo{cap: capIn(12), fmt: func(p *printer, c *Call, i int) {}})

var (
	seccompOps         = []flag{{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"}, {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}}
	seccompFilterFlags = []flag{{1, "SECCOMP_FILTER_FLAG_TSYNC"}, {2, "SECCOMP_FILTER_FLAG_LOG"}, {4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
		{8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"}, {16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"}, {32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}}
	seccompRetActions = []flag{{0x80000000, "SECCOMP_RET_KILL_PROCESS"}, {0, "SECCOMP_RET_KILL_THREAD"}, {0x30000, "SECCOMP_RET_TRAP"},
		{0x50000, "SECCOMP_RET_ERRNO"}, {0x7fc00000, "SECCOMP_RET_USER_NOTIF"}, {0x7ff00000, "SECCOMP_RET_TRACE"},
		{0x7ffc0000, "SECCOMP_RET_LOG"}, {0x7fff0000, "SECCOMP_RET_ALLOW"}}
)

// kSeccompFlags is seccomp's flags: named for SECCOMP_SET_MODE_FILTER.
var kSeccompFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	op, fl := uint64(uint32(c.Args[0])), uint64(uint32(c.Args[i]))
	if op == 1 {
		flagsOrUnknown(p, fl, seccompFilterFlags, "", "SECCOMP_FILTER_FLAG_???")
	} else {
		hexOrZero(p, fl)
	}
}})

// kSeccompArgs is seccomp's third argument, captured per operation
// (seccompCases): SECCOMP_GET_ACTION_AVAIL's u32 at entry,
// SECCOMP_GET_NOTIF_SIZES's three u16 at exit, SECCOMP_SET_MODE_FILTER's
// struct sock_fprog and the filter it points to (seccompMore).
var kSeccompArgs = newKind(kindInfo{out: true,
	fmt: func(p *printer, c *Call, i int) {
		op := uint32(c.Args[0])
		switch {
		case op == 2:
			if cp := captured(p, c, i, 4); cp != nil {
				p.c('[')
				xlatOrUnknown(p, uint64(le.Uint32(cp.Data)), seccompRetActions, "SECCOMP_RET_???")
				p.c(']')
			}
		case op == 1: // struct sock_fprog (sys_bpf_filter.go)
			sockFprog(p, c, i, seccompK)
		case op == 3 && (c.Ret < 0 || !c.Complete()):
			p.ptr(c.Args[i])
		case op == 3:
			if cp := captured(p, c, i, 6); cp != nil {
				p.s("{seccomp_notif=")
				p.u(uint64(le.Uint16(cp.Data)))
				p.s(", seccomp_notif_resp=")
				p.u(uint64(le.Uint16(cp.Data[2:])))
				p.s(", seccomp_data=")
				p.u(uint64(le.Uint16(cp.Data[4:])))
				p.c('}')
			}
		default:
			p.ptr(c.Args[i])
		}
	}})

// seccompCases are seccomp's captures by operation.
func seccompCases() map[uint32]map[int]capRule {
	return map[uint32]map[int]capRule{1: {2: capIn(sockFprogSize)}, 2: {2: capIn(4)}, 3: {2: capOut(6)}}
}

// seccompMore: SECCOMP_SET_MODE_FILTER's filter, the instructions its
// struct sock_fprog points to.
func seccompMore() map[uint32]map[int][]capRule {
	return map[uint32]map[int][]capRule{1: {2: {bpfFilterDeref}}}
}

func init() {
	registerSigs(map[string]sig{
		"reboot":  {args: []kind{kRebootMagic1, kRebootMagic2, kRebootCmd, kRebootArg}, nargs: rebootNargs},
		"syslog":  {args: []kind{kSyslogType, kSyslogBuf, kSyslogLen}, nargs: syslogNargs},
		"_sysctl": {args: []kind{kSysctlArgs}},
		"kcmp":    {args: []kind{kPidTgid, kPidTgid, kKcmp, kHex, kKcmpSlot}, nargs: func(*Call) int { return 3 }},
		"seccomp": {args: []kind{xlatKind(seccompOps, "SECCOMP_SET_MODE_???"), kSeccompFlags, kSeccompArgs},
			sel: &selector{arg: 0, mask: 0xffffffff, cases: seccompCases, more: seccompMore}},
	})
}
