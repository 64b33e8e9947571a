package strace

// sendmmsg and recvmmsg. Their message vectors hold msghdrs whose names,
// iovecs and control data sit behind pointers the capture plans cannot
// follow, so the vector prints as its address (strace decodes it); the
// other arguments and recvmmsg's result are strace's.

// kMmsgvec is the vector, printed at exit as strace does.
var kMmsgvec = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }})

// recvmmsgRet: 0 (Timeout), or the count and the time left when a
// timeout was given (strace's do_recvmmsg).
func recvmmsgRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	if b := capturedIn(c, 4, 16); b != nil && p.verbose() {
		p.s(" (left ")
		timespecBytes(p, b)
		p.c(')')
	}
}

func init() {
	registerSigs(map[string]sig{
		"sendmmsg": {args: []kind{kFd, kMmsgvec, kUint, kSocketMsgFlags}, class: ClassNetwork},
		"recvmmsg": {args: []kind{kFd, kMmsgvec, kUint, kSocketMsgFlags, kTimespec}, ret: recvmmsgRet, class: ClassNetwork},
	})
}
