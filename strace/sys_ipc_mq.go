package strace

import "golang.org/x/sys/unix"

// POSIX message queues: mq_open, mq_unlink, mq_timedsend,
// mq_timedreceive, mq_notify, mq_getsetattr, as strace 6.1 prints them
// (mq.c, print_mq_attr.c).

// mqAttr prints struct mq_attr: mq_flags in hex (mq_open's) or as
// O_NONBLOCK (mq_getsetattr's), then the three counts.
func mqAttr(p *printer, b []byte, decodeFlags bool) {
	p.s("{mq_flags=")
	if decodeFlags {
		p.flagsDflt(le.Uint64(b), []flag{{unix.O_NONBLOCK, "O_NONBLOCK"}}, "", "O_???")
	} else {
		hexOrZero(p, le.Uint64(b))
	}
	p.s(", mq_maxmsg=")
	p.d(int64(le.Uint64(b[8:])))
	p.s(", mq_msgsize=")
	p.d(int64(le.Uint64(b[16:])))
	p.s(", mq_curmsgs=")
	p.d(int64(le.Uint64(b[24:])))
	p.c('}')
}

// mqAttrSize is sizeof(struct mq_attr): four longs and four reserved.
const mqAttrSize = 64

func mqAttrKind(out, decodeFlags bool) kind {
	rule := capIn(mqAttrSize)
	if out {
		rule = capOut(mqAttrSize)
	}
	return newKind(kindInfo{out: out, cap: rule, fmt: func(p *printer, c *Call, i int) {
		var b []byte
		if out {
			b = capturedOut(c, i, mqAttrSize)
		} else {
			b = capturedIn(c, i, mqAttrSize)
		}
		if b == nil || !p.verbose() { // -e verbose=: umove_or_printaddr
			p.ptr(c.Args[i])
			return
		}
		mqAttr(p, b, decodeFlags)
	}})
}

var (
	kMqAttrOpen = mqAttrKind(false, false)
	kMqAttrIn   = mqAttrKind(false, true)
	kMqAttrOut  = mqAttrKind(true, true)
	// kUmode is a umode_t printed as C's %#03o.
	kUmode = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { octalMode(p, c.Args[i]&0xffff) }})
	// kUintPtrOut is an unsigned int the call writes: [N].
	kUintPtrOut = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 4)
		if b == nil || !p.verbose() { // -e verbose=: printnum_int
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.u(uint64(le.Uint32(b)))
		p.c(']')
	}})
)

var sigevNotify = []flag{{0, "SIGEV_SIGNAL"}, {1, "SIGEV_NONE"}, {2, "SIGEV_THREAD"}, {4, "SIGEV_THREAD_ID"}}

// sigevent prints struct sigevent as strace's print_sigevent does.
func sigevent(p *printer, b []byte) {
	p.c('{')
	if ptr := le.Uint64(b); ptr != 0 {
		p.s("sigev_value={sival_int=")
		p.d(int64(int32(ptr)))
		p.s(", sival_ptr=")
		p.x(ptr)
		p.s("}, ")
	}
	signo, notify := le.Uint32(b[8:]), le.Uint32(b[12:])
	p.s("sigev_signo=")
	switch notify {
	case 0, 2, 4:
		argSignal(p, int(int32(signo)), kernelSignalName)
	default:
		p.u(uint64(signo))
	}
	p.s(", sigev_notify=")
	p.xlat(uint64(notify), sigevNotify, "/SIGEV_???")
	switch notify {
	case 4:
		p.s(", sigev_notify_thread_id=")
		p.d(int64(int32(le.Uint32(b[16:]))))
	case 2:
		p.s(", sigev_notify_function=")
		p.ptr(le.Uint64(b[16:]))
		p.s(", sigev_notify_attributes=")
		p.ptr(le.Uint64(b[24:]))
	}
	p.c('}')
}

// kSigevent is a struct sigevent *: strace reads its first 32 bytes (the
// fields it prints), not the 64 of the whole structure.
var kSigevent = newKind(kindInfo{cap: capIn(32), fmt: func(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 32)
	if b == nil {
		p.ptr(c.Args[i])
		return
	}
	sigevent(p, b)
}})

// mqOpenNargs: mq_open's mode and attributes only with O_CREAT.
func mqOpenNargs(c *Call) int {
	if c.Args[1]&unix.O_CREAT != 0 {
		return 4
	}
	return 2
}

func init() {
	registerSigs(map[string]sig{
		"mq_open":         {args: []kind{kPath, kOpenFlags, kUmode, kMqAttrOpen}, nargs: mqOpenNargs, class: ClassDesc},
		"mq_unlink":       {args: []kind{kPath}},
		"mq_timedsend":    {args: []kind{kFd, kBufIn, kUlong, kUint, kTimespec}, class: ClassDesc},
		"mq_timedreceive": {args: []kind{kFd, kBufOut, kUlong, kUintPtrOut, kTimespec}, class: ClassDesc},
		"mq_notify":       {args: []kind{kFd, kSigevent}, class: ClassDesc},
		"mq_getsetattr":   {args: []kind{kFd, kMqAttrIn, kMqAttrOut}, class: ClassDesc},
	})
}
