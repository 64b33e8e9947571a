package strace

import (
	"runtime"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Waiting on descriptors (of the descriptor family): poll, ppoll, select,
// pselect6 and epoll, as strace prints them in its default mode.

// poll.

var pollFlags = []flag{
	{0x1, "POLLIN"}, {0x2, "POLLPRI"}, {0x4, "POLLOUT"}, {0x8, "POLLERR"}, {0x10, "POLLHUP"}, {0x20, "POLLNVAL"},
	{0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"}, {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},
	{0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
}

func fmtPollFds(p *printer, c *Call, i int) {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	n := int(uint32(c.Args[i+1]))
	if cp == nil || cp.Fault() || n != 0 && !p.verbose() { // -e verbose=: print_array's tfetch_mem
		p.x(c.Args[i])
		return
	}
	// At most -s elements, as strace; the capture holds 64 (more are
	// shown as "..." too).
	have := len(cp.Data) / 8
	p.c('[')
	for k := 0; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize && p.abbrev() || k == have {
			p.s("...")
			break
		}
		fd := int32(le.Uint32(cp.Data[8*k:]))
		p.s("{fd=")
		p.fd(c, fd)
		if fd >= 0 {
			p.s(", events=")
			flagsOrUnknown(p, uint64(le.Uint16(cp.Data[8*k+4:])), pollFlags, "", "POLL???")
		}
		p.c('}')
	}
	p.c(']')
}

// pollOutMax is how long strace's decode_poll_exiting lets the revents
// list grow: its 1024-byte buffer less room for ", ], ..." and a left
// timespec (2 + 2*sizeof(long) + sizeof(", ], ...")).
const pollOutMax = 1024 - (2 + 16 + 9)

// pollRevents prints the descriptors with events: [{fd=1, revents=POLLOUT}],
// at most -s of them and as much as fits strace's buffer, then "...".
func pollRevents(p *printer, c *Call) bool {
	cp := c.Cap(0, 0)
	n := int(uint32(c.Args[1]))
	if cp == nil || cp.Fault() {
		return false
	}
	have := min(n, len(cp.Data)/8)
	start, printed := len(p.b), 0
	more := func() bool {
		if printed == 0 {
			p.c('[')
		} else {
			p.s(", ")
		}
		if printed >= p.strsize && p.abbrev() {
			p.s("...")
			return false
		}
		return true
	}
	k := 0
	for ; k < have; k++ {
		re := uint64(le.Uint16(cp.Data[8*k+6:]))
		if re == 0 {
			continue
		}
		if !more() {
			break
		}
		mark := len(p.b)
		p.s("{fd=")
		p.d(int64(int32(le.Uint32(cp.Data[8*k:]))))
		p.s(", revents=")
		flagsOrUnknown(p, re, pollFlags, "", "POLL???")
		if len(p.b)-start+1 >= pollOutMax {
			p.b = append(p.b[:mark], "..."...)
			break
		}
		p.c('}')
		printed++
	}
	// Descriptors past the capture with events: the result counts them.
	if k == have && int64(printed) < c.Ret && more() {
		p.s("...")
	}
	if len(p.b) > start {
		p.c(']')
	}
	return true
}

func pollRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	if !p.verbose() { // -e verbose=: decode_poll_exiting prints nothing
		return
	}
	p.s(" (")
	if !pollRevents(p, c) {
		p.x(c.Args[0])
	}
	p.c(')')
}

func ppollRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	if !p.verbose() {
		return
	}
	p.s(" (")
	if !pollRevents(p, c) {
		p.x(c.Args[0])
	}
	if b := capturedIn(c, 2, 16); b != nil {
		p.s(", left ")
		timespecBytes(p, b)
	}
	p.c(')')
}

// entryBytes copies argument i's memory as the call entered into buf:
// its entry captures (element wire.EntryIdx, in the order read) one after
// the other; n bytes of them. known: the entry was seen; fault: a word
// could not be read.
func entryBytes(c *Call, i int, buf []byte) (n int, known, fault bool) {
	for k := range c.Caps {
		cp := &c.Caps[k]
		if int(cp.Arg) != i || cp.Idx != wire.EntryIdx {
			continue
		}
		known = true
		if cp.Fault() {
			return 0, true, true
		}
		n += copy(buf[n:], cp.Data)
	}
	return n, known, false
}

// fmtTimespecAtEntry prints a timespec as the call was given it (strace
// reads it at entry), or as captured when the entry was not seen.
func fmtTimespecAtEntry(p *printer, c *Call, i int) { fmtTimeAtEntry(p, c, i, false) }

// fmtTimeAtEntry is fmtTimespecAtEntry, of a timeval with timeval.
func fmtTimeAtEntry(p *printer, c *Call, i int, timeval bool) {
	var b [16]byte
	n, known, fault := entryBytes(c, i, b[:])
	switch {
	case (c.Args[i] == 0 || !known) && timeval:
		kinds[kTimeval].fmt(p, c, i)
	case c.Args[i] == 0 || !known:
		kinds[kTimespec].fmt(p, c, i)
	case fault || n < 16 || !p.verbose():
		p.ptr(c.Args[i])
	case timeval:
		timevalBytes(p, b[:])
	default:
		timespecBytes(p, b[:])
	}
}

// epoll.

// epoll_pwait and epoll_pwait2 print all but their descriptor at exit
// (strace's epoll_pwait_common), so a failed call's timeout and mask are
// addresses; a mask whose size is not a sigset_t's is one too
// (print_sigset_addr_len).
var (
	kEpollTimeout = newKind(kindInfo{out: true, cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil || c.Ret < 0 {
			p.ptr(c.Args[i])
			return
		}
		timespecBytes(p, b)
	}})
	kEpollSigmask = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 8, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || c.Args[i+1] != 8 {
				p.ptr(c.Args[i])
				return
			}
			fmtSigset(p, c, i)
		}})
)

var epollEvents = []flag{
	{0x1, "EPOLLIN"}, {0x2, "EPOLLPRI"}, {0x4, "EPOLLOUT"}, {0x8, "EPOLLERR"}, {0x10, "EPOLLHUP"},
	{0x20, "EPOLLNVAL"}, {0x40, "EPOLLRDNORM"}, {0x80, "EPOLLRDBAND"}, {0x100, "EPOLLWRNORM"},
	{0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"}, {0x2000, "EPOLLRDHUP"}, {0x10000000, "EPOLLEXCLUSIVE"},
	{0x20000000, "EPOLLWAKEUP"}, {0x40000000, "EPOLLONESHOT"}, {0x80000000, "EPOLLET"},
}

// struct epoll_event is packed on amd64 (12 bytes), aligned elsewhere.
var epollEventSize = func() int {
	if runtime.GOARCH == "amd64" {
		return 12
	}
	return 16
}()

func epollEvent(p *printer, b []byte) {
	data := le.Uint64(b[epollEventSize-8:])
	p.s("{events=")
	flagsOrUnknown(p, uint64(le.Uint32(b)), epollEvents, "", "EPOLL???")
	p.s(", data={u32=")
	p.u(data & 0xffffffff)
	p.s(", u64=")
	p.u(data)
	p.s("}}")
}

func fmtEpollCtlEvent(p *printer, c *Call, i int) {
	b := capturedIn(c, i, epollEventSize)
	if b == nil || uint32(c.Args[1]) == 2 || !p.verbose() { // EPOLL_CTL_DEL: not read; -e verbose=: not either
		p.ptr(c.Args[i])
		return
	}
	epollEvent(p, b)
}

func fmtEpollEvents(p *printer, c *Call, i int) {
	if c.Ret < 0 || !c.Complete() {
		p.ptr(c.Args[i])
		return
	}
	cp := c.Cap(i, 0)
	if c.Ret > 0 && (cp == nil || cp.Fault() || !p.verbose()) { // -e verbose=: print_array's tfetch_mem
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	for k := 0; k < int(c.Ret); k++ {
		if k > 0 {
			p.s(", ")
		}
		if (k+1)*epollEventSize > len(cp.Data) || k == p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		epollEvent(p, cp.Data[k*epollEventSize:])
	}
	p.c(']')
}

var (
	// The count is an unsigned int: the kernel ignores the upper bits
	// (SzArg32), which ppoll's test sets.
	kPollFds = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 8, max: 8 * 64, when: wire.CWIn}, fmt: fmtPollFds})
	// kPpollTimeout is ppoll's timeout as the call was given it (strace
	// prints it at entry; the kernel writes what is left, printed with
	// the result): two words read at entry, element wire.EntryIdx; as
	// the call left it when its entry was not seen.
	kPpollTimeout = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 16, max: 16, when: wire.CWIn,
		entry: 8, also: &[]capRule{{entry: 8, entryOff: 8}}}, fmt: fmtTimespecAtEntry})
	kEpollFlags = flagsKind([]flag{{unix.EPOLL_CLOEXEC, "EPOLL_CLOEXEC"}}, "EPOLL_???")
	kEpollOp    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), []flag{{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}}, "EPOLL_CTL_???")
	}})
	// The event is epollEventSize bytes: no more is read (the kernel's
	// struct may end a page).
	kEpollEvent  = newKind(kindInfo{cap: capIn(epollEventSize), fmt: fmtEpollCtlEvent})
	kEpollEvents = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: uint16(epollEventSize), max: 64 * 16, when: wire.CWOK}, fmt: fmtEpollEvents})
)

func init() {
	const (
		D = ClassDesc
	)
	registerSigs(map[string]sig{
		"poll":          {args: []kind{kPollFds, kUint, kInt}, ret: pollRet, class: D},
		"ppoll":         {args: []kind{kPollFds, kUint, kPpollTimeout, kSigsetSized, kUlong}, ret: ppollRet, class: D},
		"epoll_create":  {args: []kind{kInt}, class: D},
		"epoll_create1": {args: []kind{kEpollFlags}, class: D},
		"epoll_ctl":     {args: []kind{kFd, kEpollOp, kFd, kEpollEvent}, class: D},
		"epoll_wait":    {args: []kind{kFd, kEpollEvents, kInt, kInt}, class: D},
		"epoll_pwait":   {args: []kind{kFd, kEpollEvents, kInt, kInt, kEpollSigmask, kUlong}, class: D},
		"epoll_pwait2":  {args: []kind{kFd, kEpollEvents, kInt, kEpollTimeout, kEpollSigmask, kUlong}, class: D},
	})
}
