package strace

// io_uring_setup and io_uring_enter, as strace 6.1 prints them
// (io_uring.c); io_uring_register is in sys_misc_io_uring_register.go.

var (
	uringSetupFlags = []flag{{1, "IORING_SETUP_IOPOLL"}, {2, "IORING_SETUP_SQPOLL"}, {4, "IORING_SETUP_SQ_AFF"},
		{8, "IORING_SETUP_CQSIZE"}, {0x10, "IORING_SETUP_CLAMP"}, {0x20, "IORING_SETUP_ATTACH_WQ"},
		{0x40, "IORING_SETUP_R_DISABLED"}, {0x80, "IORING_SETUP_SUBMIT_ALL"}, {0x100, "IORING_SETUP_COOP_TASKRUN"},
		{0x200, "IORING_SETUP_TASKRUN_FLAG"}, {0x400, "IORING_SETUP_SQE128"}, {0x800, "IORING_SETUP_CQE32"}}
	uringFeatures = []flag{{1, "IORING_FEAT_SINGLE_MMAP"}, {2, "IORING_FEAT_NODROP"}, {4, "IORING_FEAT_SUBMIT_STABLE"},
		{8, "IORING_FEAT_RW_CUR_POS"}, {0x10, "IORING_FEAT_CUR_PERSONALITY"}, {0x20, "IORING_FEAT_FAST_POLL"},
		{0x40, "IORING_FEAT_POLL_32BITS"}, {0x80, "IORING_FEAT_SQPOLL_NONFIXED"}, {0x100, "IORING_FEAT_EXT_ARG"},
		{0x200, "IORING_FEAT_NATIVE_WORKERS"}, {0x400, "IORING_FEAT_RSRC_TAGS"}, {0x800, "IORING_FEAT_CQE_SKIP"},
		{0x1000, "IORING_FEAT_LINKED_FILE"}}
	uringEnterFlags = []flag{{1, "IORING_ENTER_GETEVENTS"}, {2, "IORING_ENTER_SQ_WAKEUP"}, {4, "IORING_ENTER_SQ_WAIT"},
		{8, "IORING_ENTER_EXT_ARG"}, {0x10, "IORING_ENTER_REGISTERED_RING"}}
	sqringOffsets = []string{"{head=", ", tail=", ", ring_mask=", ", ring_entries=", ", flags=", ", dropped=", ", array="}
	cqringOffsets = []string{"{head=", ", tail=", ", ring_mask=", ", ring_entries=", ", overflow=", ", cqes=", ", flags="}
)

// ringOffsets prints struct io_sqring_offsets or io_cqring_offsets: seven
// u32 fields, then resv1 (u32) and resv2 (u64) when they are not zero.
func ringOffsets(p *printer, b []byte, names []string) {
	for k, n := range names {
		p.s(n)
		p.u(uint64(le.Uint32(b[4*k:])))
	}
	if v := le.Uint32(b[28:]); v != 0 {
		p.s(", resv1=")
		p.x(uint64(v))
	}
	if v := le.Uint64(b[32:]); v != 0 {
		p.s(", resv2=")
		p.x(v)
	}
	p.c('}')
}

// uringParams prints struct io_uring_params: what the call read, and when
// it succeeded, what it wrote.
func uringParams(p *printer, c *Call, b []byte) {
	flags := uint64(le.Uint32(b[8:]))
	p.s("{flags=")
	p.flagsDflt(flags, uringSetupFlags, "", "IORING_SETUP_???")
	p.s(", sq_thread_cpu=")
	hexOrZero(p, uint64(le.Uint32(b[12:])))
	p.s(", sq_thread_idle=")
	p.u(uint64(le.Uint32(b[16:])))
	if flags&0x20 != 0 {
		p.s(", wq_fd=")
		p.fd(c, int32(le.Uint32(b[24:])))
	}
	if r := b[28:40]; le.Uint64(r)|uint64(le.Uint32(r[8:])) != 0 {
		p.s(", resv=[")
		for k := 0; k < 3; k++ {
			if k > 0 {
				p.s(", ")
			}
			hexOrZero(p, uint64(le.Uint32(r[4*k:])))
		}
		p.c(']')
	}
	if c.Ret >= 0 && c.Complete() {
		p.s(", sq_entries=")
		p.u(uint64(le.Uint32(b)))
		p.s(", cq_entries=")
		p.u(uint64(le.Uint32(b[4:])))
		p.s(", features=")
		p.flagsDflt(uint64(le.Uint32(b[20:])), uringFeatures, "", "IORING_FEAT_???")
		p.s(", sq_off=")
		ringOffsets(p, b[40:], sqringOffsets)
		p.s(", cq_off=")
		ringOffsets(p, b[80:], cqringOffsets)
	}
	p.c('}')
}

var (
	kUringParams = newKind(kindInfo{out: true, cap: capOutAny(120), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Args[i] == 0 || cp == nil || cp.Fault() || len(cp.Data) < 120 {
			p.ptr(c.Args[i])
			return
		}
		uringParams(p, c, cp.Data)
	}})
	kUringEnterFlags = flagsKind(uringEnterFlags, "IORING_ENTER_???")
)

func init() {
	registerSigs(map[string]sig{
		"io_uring_setup": {args: []kind{kUint, kUringParams}, class: ClassDesc},
		"io_uring_enter": {args: []kind{kFd, kUint, kUint, kUringEnterFlags, kSigsetSized, kUlong}, class: ClassDesc},
	})
}
