package strace

import "github.com/eproc/eproc/loader/wire"

// io_uring_register, as strace 6.1's io_uring.c prints it: the ring's
// descriptor, the operation, its argument and nr_args. The argument is
// captured by operation (uringRegisterCases): the descriptor arrays of
// FILES and EVENTFD, BUFFERS' iovecs, RESTRICTIONS' structs, IOWQ_AFF's
// CPU mask, RING_FDS' updates and PBUF_RING's struct here; FILES_UPDATE's,
// FILES2's, BUFFERS2's and the *_UPDATE2 ones' structs with the arrays
// they point to, PROBE's and IOWQ_MAX_WORKERS' (printed again at exit) in
// sys_misc_io_uring_rsrc.go. The other operations' arguments print as
// their address.

var (
	uringRegisterOps = []flag{{0, "IORING_REGISTER_BUFFERS"}, {1, "IORING_UNREGISTER_BUFFERS"},
		{2, "IORING_REGISTER_FILES"}, {3, "IORING_UNREGISTER_FILES"}, {4, "IORING_REGISTER_EVENTFD"},
		{5, "IORING_UNREGISTER_EVENTFD"}, {6, "IORING_REGISTER_FILES_UPDATE"}, {7, "IORING_REGISTER_EVENTFD_ASYNC"},
		{8, "IORING_REGISTER_PROBE"}, {9, "IORING_REGISTER_PERSONALITY"}, {10, "IORING_UNREGISTER_PERSONALITY"},
		{11, "IORING_REGISTER_RESTRICTIONS"}, {12, "IORING_REGISTER_ENABLE_RINGS"}, {13, "IORING_REGISTER_FILES2"},
		{14, "IORING_REGISTER_FILES_UPDATE2"}, {15, "IORING_REGISTER_BUFFERS2"}, {16, "IORING_REGISTER_BUFFERS_UPDATE"},
		{17, "IORING_REGISTER_IOWQ_AFF"}, {18, "IORING_UNREGISTER_IOWQ_AFF"}, {19, "IORING_REGISTER_IOWQ_MAX_WORKERS"},
		{20, "IORING_REGISTER_RING_FDS"}, {21, "IORING_UNREGISTER_RING_FDS"}, {22, "IORING_REGISTER_PBUF_RING"},
		{23, "IORING_UNREGISTER_PBUF_RING"}}
	// uringOps are the SQE opcodes (xlat/uring_ops.in), by number.
	uringOps = func() []flag {
		names := []string{"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
			"SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
			"LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
			"FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
			"REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING",
			"FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD"}
		tab := make([]flag, len(names))
		for i, n := range names {
			tab[i] = flag{uint64(i), "IORING_OP_" + n}
		}
		return tab
	}()
	uringRestrictionOps = []flag{{0, "IORING_RESTRICTION_REGISTER_OP"}, {1, "IORING_RESTRICTION_SQE_OP"},
		{2, "IORING_RESTRICTION_SQE_FLAGS_ALLOWED"}, {3, "IORING_RESTRICTION_SQE_FLAGS_REQUIRED"}}
	uringSqeFlags = []flag{{1, "IOSQE_FIXED_FILE"}, {2, "IOSQE_IO_DRAIN"}, {4, "IOSQE_IO_LINK"}, {8, "IOSQE_IO_HARDLINK"},
		{0x10, "IOSQE_ASYNC"}, {0x20, "IOSQE_BUFFER_SELECT"}, {0x40, "IOSQE_CQE_SKIP_SUCCESS"}}
)

// The operations whose argument is decoded.
const (
	uringRegBuffers      = 0
	uringRegFiles        = 2
	uringRegEventfd      = 4
	uringRegEventfdAsync = 7
	uringRegRestrictions = 11
	uringRegIowqAff      = 17
	uringRegRingFds      = 20
	uringUnregRingFds    = 21
	uringRegPbufRing     = 22
	uringUnregPbufRing   = 23
	uringBufRegSize      = 40
	uringRestrictionSize = 16
	uringArrayMax        = 33 // strace's -s default, and the element past it
)

// uringRegisterCases are the argument's captures by operation.
func uringRegisterCases() map[uint32]map[int]capRule {
	// struct io_uring_rsrc_update: offset, resv, data.
	updates := map[int]capRule{2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 16, max: 16 * uringArrayMax, when: wire.CWIn}}
	ints := map[int]capRule{2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 4, max: 4 * uringArrayMax, when: wire.CWIn}}
	m := map[uint32]map[int]capRule{
		uringRegBuffers:      {2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 16, max: 16 * uringArrayMax, when: wire.CWIn}},
		uringRegFiles:        ints,
		uringRegEventfd:      ints,
		uringRegEventfdAsync: ints,
		uringRegRestrictions: {2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: uringRestrictionSize,
			max: uringRestrictionSize * uringArrayMax, when: wire.CWIn}},
		uringRegIowqAff:    {2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 1, max: 128, when: wire.CWIn}},
		uringRegRingFds:    updates,
		uringUnregRingFds:  updates,
		uringRegPbufRing:   {2: capIn(uringBufRegSize)},
		uringUnregPbufRing: {2: capIn(uringBufRegSize)},
	}
	uringRsrcCases(m)
	return m
}

// uringRestriction prints a struct io_uring_restriction.
func uringRestriction(p *printer, b []byte) {
	op := uint64(le.Uint16(b))
	p.s("{opcode=")
	xlatOrUnknown(p, op, uringRestrictionOps, "IORING_RESTRICTION_???")
	arg := uint64(b[2])
	switch op {
	case 0:
		p.s(", register_op=")
		xlatOrUnknown(p, arg, uringRegisterOps, "IORING_REGISTER_???")
	case 1:
		p.s(", sqe_op=")
		xlatOrUnknown(p, arg, uringOps, "IORING_OP_???")
	case 2, 3:
		p.s(", sqe_flags=")
		flagsOrUnknown(p, arg, uringSqeFlags, "", "IOSQE_???")
	default:
		p.s(" /* op: ")
		hexOrZero(p, arg)
		p.s(" */")
	}
	if v := b[3]; v != 0 {
		p.s(", resv=")
		p.x(uint64(v))
	}
	if r := b[4:16]; le.Uint64(r)|uint64(le.Uint32(r[8:])) != 0 {
		p.s(", resv2=[")
		for k := 0; k < 3; k++ {
			if k > 0 {
				p.s(", ")
			}
			hexOrZero(p, uint64(le.Uint32(r[4*k:])))
		}
		p.c(']')
	}
	p.c('}')
}

// fmtUringRegisterArg prints the argument by operation.
func fmtUringRegisterArg(p *printer, c *Call, i int) {
	if fmtUringRsrcArg(p, c, i) {
		return
	}
	n := uint64(uint32(c.Args[i+1]))
	switch uint32(c.Args[1]) {
	case uringRegBuffers:
		fmtIovAddrs(p, c, i, n)
	case uringRegFiles, uringRegEventfd, uringRegEventfdAsync:
		printArray(p, c, i, 4, n, func(p *printer, _ uint64, b []byte) bool {
			p.fd(c, int32(le.Uint32(b)))
			return true
		})
	case uringRegRestrictions:
		printArray(p, c, i, uringRestrictionSize, n, func(p *printer, _ uint64, b []byte) bool {
			uringRestriction(p, b)
			return true
		})
	case uringRegIowqAff:
		cpuList(p, c, i, n)
	case uringRegRingFds, uringUnregRingFds:
		reg := uint32(c.Args[1]) == uringRegRingFds
		printArray(p, c, i, 16, n, func(p *printer, _ uint64, b []byte) bool {
			uringRingFd(p, c, b, reg)
			return true
		})
	case uringRegPbufRing, uringUnregPbufRing:
		if cp := captured(p, c, i, uringBufRegSize); cp != nil {
			uringBufReg(p, cp.Data)
		}
	default:
		p.ptr(c.Args[i])
	}
}

// uringRingFd prints a struct io_uring_rsrc_update of RING_FDS (reg:
// offset, -1 for the first free slot, and the descriptor) or of
// UNREGISTER_RING_FDS (offset, and data in hex when set).
func uringRingFd(p *printer, c *Call, b []byte, reg bool) {
	off, resv, data := le.Uint32(b), le.Uint32(b[4:]), le.Uint64(b[8:])
	p.s("{offset=")
	if reg && off == 0xffffffff {
		p.s("-1")
	} else {
		p.u(uint64(off))
	}
	if resv != 0 {
		p.s(", resv=")
		p.x(uint64(resv))
	}
	switch {
	case reg:
		p.s(", data=")
		p.fd(c, int32(data))
	case data != 0:
		p.s(", data=")
		p.x(data)
	}
	p.c('}')
}

// uringBufReg prints a struct io_uring_buf_reg.
func uringBufReg(p *printer, b []byte) {
	p.s("{ring_addr=")
	p.ptr(le.Uint64(b))
	p.s(", ring_entries=")
	p.u(uint64(le.Uint32(b[8:])))
	p.s(", bgid=")
	p.u(uint64(le.Uint16(b[12:])))
	if v := le.Uint16(b[14:]); v != 0 {
		p.s(", pad=")
		p.x(uint64(v))
	}
	if r := b[16:40]; le.Uint64(r)|le.Uint64(r[8:])|le.Uint64(r[16:]) != 0 {
		p.s(", resv=[")
		for k := 0; k < 3; k++ {
			if k > 0 {
				p.s(", ")
			}
			hexOrZero(p, le.Uint64(r[8*k:]))
		}
		p.c(']')
	}
	p.c('}')
}

// fmtIovAddrs prints n iovecs as strace's tprint_iov with
// iov_decode_addr: each buffer's address and length.
func fmtIovAddrs(p *printer, c *Call, i int, n uint64) {
	printArray(p, c, i, 16, n, func(p *printer, _ uint64, b []byte) bool {
		p.s("{iov_base=")
		p.ptr(le.Uint64(b))
		p.s(", iov_len=")
		p.u(le.Uint64(b[8:]))
		p.c('}')
		return true
	})
}

// cpuList prints a CPU mask of n bytes as strace's print_affinitylist:
// the CPUs set, [0 2 5].
func cpuList(p *printer, c *Call, i int, n uint64) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	if n == 0 {
		p.s("[]")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || uint64(len(cp.Data)) < min(n, 128) {
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
}

var (
	kUringRegisterOp = xlatKind(uringRegisterOps, "IORING_REGISTER_???")
	// kUringRegisterArg captures by operation (uringRegisterCases).
	kUringRegisterArg = newKind(kindInfo{fmt: fmtUringRegisterArg})
)

func init() {
	registerSigs(map[string]sig{
		"io_uring_register": {args: []kind{kFd, kUringRegisterOp, kUringRegisterArg, kUint}, class: ClassDesc,
			outFrom: uringRegisterOutFrom, sel: &selector{arg: 1, mask: 0xffffffff, cases: uringRegisterCases}},
	})
}
