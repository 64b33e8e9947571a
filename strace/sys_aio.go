package strace

import "github.com/eproc/eproc/loader/wire"

// Linux native AIO: io_setup, io_destroy, io_submit, io_cancel,
// io_getevents and io_pgetevents, as strace 6.1's aio.c prints them.
//
// io_submit's iocbpp is an array of pointers to struct iocb: the array is
// captured, and the structs its first aioIocbs pointers point to
// (wire.CKDeref, one capture each: the plan's other captures); a later
// element prints as its address. What an iocb points to (PWRITE's data,
// PREADV's and PWRITEV's iovecs) is a level further than any capture
// reads: its address is printed where strace prints the string or the
// iovecs.

const (
	iocbSize    = 64
	ioEventSize = 32
	// aioIocbs is how many of io_submit's iocbs are captured: the
	// plan's captures but the array's.
	aioIocbs = wire.NCaps - 1
)

var (
	aioCmds = []flag{{0, "IOCB_CMD_PREAD"}, {1, "IOCB_CMD_PWRITE"}, {2, "IOCB_CMD_FSYNC"}, {3, "IOCB_CMD_FDSYNC"},
		{4, "IOCB_CMD_PREADX"}, {5, "IOCB_CMD_POLL"}, {6, "IOCB_CMD_NOOP"}, {7, "IOCB_CMD_PREADV"},
		{8, "IOCB_CMD_PWRITEV"}}
	aioIocbFlags = []flag{{1, "IOCB_FLAG_RESFD"}, {2, "IOCB_FLAG_IOPRIO"}}
	// rwfFlags: also preadv2's and pwritev2's flags.
	rwfFlags = []flag{{1, "RWF_HIPRI"}, {2, "RWF_DSYNC"}, {4, "RWF_SYNC"}, {8, "RWF_NOWAIT"}, {0x10, "RWF_APPEND"}}
)

// iocbHeader prints the fields of struct iocb b strace prints for every
// command (print_iocb_header), after "{".
func iocbHeader(p *printer, c *Call, b []byte) {
	p.s("{aio_data=")
	hexOrZero(p, le.Uint64(b))
	if v := le.Uint32(b[8:]); v != 0 {
		p.s(", aio_key=")
		p.u(uint64(v))
	}
	if v := le.Uint32(b[12:]); v != 0 {
		p.s(", aio_rw_flags=")
		flagsOrUnknown(p, uint64(v), rwfFlags, "", "RWF_???")
	}
	p.s(", aio_lio_opcode=")
	p.xlatFmt(uint64(le.Uint16(b[16:])), aioCmds, 'u', "IOCB_CMD_???")
	prio := le.Uint16(b[18:])
	switch {
	case le.Uint32(b[56:])&2 != 0: // IOCB_FLAG_IOPRIO
		p.s(", aio_reqprio=")
		p.whole(func() { hexOrZero(p, uint64(prio)) }, func() { ioprioValue(p, uint32(prio)) })
	case prio != 0:
		p.s(", aio_reqprio=")
		p.d(int64(int16(prio)))
	}
	p.s(", aio_fildes=")
	p.fd(c, int32(le.Uint32(b[20:])))
}

// iocb prints struct iocb b (print_iocb): the header, then what its
// command uses.
func iocb(p *printer, c *Call, b []byte) {
	iocbHeader(p, c, b)
	op := le.Uint16(b[16:])
	buf, nbytes := le.Uint64(b[24:]), le.Uint64(b[32:])
	valid := int64(nbytes) >= 0
	switch op {
	case 0, 1, 7, 8: // PREAD, PWRITE, PREADV, PWRITEV
		p.s(", aio_buf=")
		switch {
		case valid && op >= 7 && nbytes == 0 && buf != 0:
			p.s("[]")
		case valid && op != 0:
			// PWRITE's data, the iovecs: not captured.
			p.ptr(buf)
		default:
			hexOrZero(p, buf)
		}
		if !valid || op < 7 {
			p.s(", aio_nbytes=")
			p.u(nbytes)
		}
		p.s(", aio_offset=")
		p.d(int64(le.Uint64(b[40:])))
		iocbFlags(p, c, b)
	case 5: // POLL
		p.s(", aio_buf=")
		flagsOrUnknown(p, buf, pollFlags, "", "POLL???")
		iocbFlags(p, c, b)
	}
	p.c('}')
}

// iocbFlags prints aio_flags and aio_resfd, when set.
func iocbFlags(p *printer, c *Call, b []byte) {
	flags, resfd := le.Uint32(b[56:]), le.Uint32(b[60:])
	if flags != 0 {
		p.s(", aio_flags=")
		flagsOrUnknown(p, uint64(flags), aioIocbFlags, "", "IOCB_FLAG_???")
	}
	switch {
	case flags&1 != 0: // IOCB_FLAG_RESFD
		p.s(", aio_resfd=")
		p.fd(c, int32(resfd))
	case resfd != 0:
		p.s(", aio_resfd=")
		p.x(uint64(resfd))
	}
}

// ioEvent prints struct io_event b.
func ioEvent(p *printer, b []byte) {
	p.s("{data=")
	hexOrZero(p, le.Uint64(b))
	p.s(", obj=")
	hexOrZero(p, le.Uint64(b[8:]))
	p.s(", res=")
	p.d(int64(le.Uint64(b[16:])))
	p.s(", res2=")
	p.d(int64(le.Uint64(b[24:])))
	p.c('}')
}

// fmtIocbpp prints io_submit's iocbpp: nr pointers, each to a struct iocb
// (its address when it was not captured or could not be read).
func fmtIocbpp(p *printer, c *Call, i int) {
	nr := int64(c.Args[i-1])
	if nr < 0 || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	printArray(p, c, i, 8, uint64(nr), func(p *printer, k uint64, b []byte) bool {
		addr := le.Uint64(b)
		var cp *wire.Cap
		if k < aioIocbs {
			cp = c.Cap(i, wire.DerefIdx+8*int(k))
		}
		if addr == 0 || cp == nil || cp.Fault() || len(cp.Data) < iocbSize {
			p.ptr(addr)
			return true
		}
		iocb(p, c, cp.Data)
		return true
	})
}

// fmtIoEvents prints io_getevents' events: as many as it returned.
func fmtIoEvents(p *printer, c *Call, i int) {
	if c.Ret < 0 || !c.Complete() { // not verbose: printArray prints [] or the address
		p.ptr(c.Args[i])
		return
	}
	printArray(p, c, i, ioEventSize, uint64(c.Ret), func(p *printer, _ uint64, b []byte) bool {
		ioEvent(p, b)
		return true
	})
}

// fmtAioSigset prints io_pgetevents' struct __aio_sigset: the set its
// sigmask points to (wire.CKDeref) when sigsetsize is the kernel's.
func fmtAioSigset(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 16)
	if cp == nil {
		return
	}
	mask, size := le.Uint64(cp.Data), le.Uint64(cp.Data[8:])
	p.s("{sigmask=")
	d := c.Cap(i, wire.DerefIdx)
	switch {
	case size < 8 || size > nsigBytes || mask == 0 || d == nil || d.Fault() || len(d.Data) < nsigBytes:
		p.ptr(mask)
	default:
		kernelSigset(p, le.Uint64(d.Data))
	}
	p.s(", sigsetsize=")
	p.u(size)
	p.c('}')
}

var (
	// kAioCtxp is io_setup's ctx_idp: the context the call stored.
	kAioCtxp = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 8)
		if b == nil || !p.verbose() {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.ptr(le.Uint64(b))
		p.c(']')
	}})
	kIocbpp = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 8,
		max: 8 * uringArrayMax, when: wire.CWIn, also: &iocbDerefs}, fmt: fmtIocbpp})
	// kIocbHeader is io_cancel's iocb: its header.
	kIocbHeader = newKind(kindInfo{cap: capIn(iocbSize), fmt: func(p *printer, c *Call, i int) {
		if cp := captured(p, c, i, iocbSize); cp != nil {
			iocbHeader(p, c, cp.Data)
			p.c('}')
		}
	}})
	// kIoEventOut is io_cancel's result.
	kIoEventOut = newKind(kindInfo{out: true, cap: capOut(ioEventSize), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, ioEventSize)
		if b == nil || !p.verbose() {
			p.ptr(c.Args[i])
			return
		}
		ioEvent(p, b)
	}})
	kIoEvents = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: ioEventSize,
		max: ioEventSize * uringArrayMax, when: wire.CWOK}, fmt: fmtIoEvents})
	kAioSigset = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 16, max: 16, when: wire.CWIn,
		also: &[]capRule{{kind: wire.CKDeref, elem: nsigBytes, max: nsigBytes, when: wire.CWIn}}}, fmt: fmtAioSigset})
)

// iocbDerefs are io_submit's captures of the structs the first aioIocbs
// pointers point to.
var iocbDerefs = func() []capRule {
	r := make([]capRule, aioIocbs)
	for k := range r {
		r[k] = capRule{kind: wire.CKDeref, elem: iocbSize, max: iocbSize, when: wire.CWIn, ptrOff: uint8(8 * k)}
	}
	return r
}()

func init() {
	registerSigs(map[string]sig{
		"io_setup":      {args: []kind{kUint, kAioCtxp}, class: ClassMemory},
		"io_destroy":    {args: []kind{kPtr}, class: ClassMemory},
		"io_submit":     {args: []kind{kPtr, kLong, kIocbpp}},
		"io_cancel":     {args: []kind{kPtr, kIocbHeader, kIoEventOut}},
		"io_getevents":  {args: []kind{kPtr, kLong, kLong, kIoEvents, kTimespec}},
		"io_pgetevents": {args: []kind{kPtr, kLong, kLong, kIoEvents, kTimespec, kAioSigset}},
	})
}
