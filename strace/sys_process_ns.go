package strace

import "github.com/eproc/eproc/loader/wire"

// Namespaces and process handles: unshare, setns, pidfd_open,
// pidfd_getfd, sethostname, setdomainname; with get_robust_list and
// iopl, as strace 6.1 prints them.

var (
	// unshareFlags in strace's order (xlat/unshare_flags.in).
	unshareFlags = []flag{{0x80, "CLONE_NEWTIME"}, {0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"},
		{0x800, "CLONE_SIGHAND"}, {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"}, {0x40000, "CLONE_SYSVSEM"},
		{0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"},
		{0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}}
	setnsTypes = []flag{{0x80, "CLONE_NEWTIME"}, {0x20000, "CLONE_NEWNS"}, {0x2000000, "CLONE_NEWCGROUP"},
		{0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
		{0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}}
	pidfdOpenFlags = []flag{{0x800, "PIDFD_NONBLOCK"}}

	// kUnshareFlags is unshare's flags: all 64 bits (printflags64).
	kUnshareFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, c.Args[i], unshareFlags, "", "CLONE_???")
	}})
	kSetnsType      = flagsKind(setnsTypes, "CLONE_NEW???")
	kPidfdOpenFlags = flagsKind(pidfdOpenFlags, "PIDFD_???")
)

// kPidfdTarget is pidfd_getfd's targetfd: under -y, a descriptor of the
// process the pidfd (argument 0) refers to (strace's printfd_pid).
var kPidfdTarget = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
	fd := int32(c.Args[i])
	if p.fds != nil && fd >= 0 && p.pidfdFd(c, int32(c.Args[0]), fd) {
		return
	}
	p.d(int64(fd))
}})

// uts names are at most 64 bytes (__NEW_UTS_LEN).
const utsLen = 64

// kUtsName is sethostname's and setdomainname's name: a string of the
// next argument's length (an unsigned int), or the address when that is
// over 64.
var kUtsName = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: utsLen, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		n := uint64(uint32(c.Args[i+1]))
		if n > utsLen {
			p.ptr(c.Args[i])
			return
		}
		cp := captured(p, c, i, 0)
		if cp == nil {
			return
		}
		fmtData(p, c, i, n)
	}})

// kPtrOut and kUlongOut are a pointer and an unsigned long the call
// fills: [0x...] and [N] (strace's printnum_ptr, printnum_ulong).
var (
	kPtrOut = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		if v, ok := numOut(p, c, i); ok {
			p.c('[')
			p.ptr(v)
			p.c(']')
		}
	}})
	kUlongOut = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		if v, ok := numOut(p, c, i); ok {
			p.c('[')
			p.u(v)
			p.c(']')
		}
	}})
)

// numOut is the 8 bytes an output argument received, or false when it
// printed what strace prints instead (NULL, or the address).
func numOut(p *printer, c *Call, i int) (uint64, bool) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return 0, false
	}
	d := capturedOut(c, i, 8)
	if d == nil {
		p.x(c.Args[i])
		return 0, false
	}
	return le.Uint64(d), true
}

func init() {
	registerSigs(map[string]sig{
		"unshare":         {args: []kind{kUnshareFlags}},
		"setns":           {args: []kind{kFd, kSetnsType}, class: ClassDesc},
		"pidfd_open":      {args: []kind{kPidTgid, kPidfdOpenFlags}, class: ClassDesc},
		"pidfd_getfd":     {args: []kind{kFd, kPidfdTarget, kUintHex}, class: ClassDesc},
		"sethostname":     {args: []kind{kUtsName, kUint}},
		"setdomainname":   {args: []kind{kUtsName, kUint}},
		"get_robust_list": {args: []kind{kPidTid, kPtrOut, kUlongOut}},
		"iopl":            {args: []kind{kInt}},
	})
}
