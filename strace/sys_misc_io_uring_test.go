package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// io_uring_setup and io_uring_enter, as strace 6.1's tests io_uring_setup
// and io_uring_enter print them.
func TestFamIOUring(t *testing.T) {
	params := make([]byte, 120)
	checkLine(t, decodeLine(t, "io_uring_setup", -14, [6]uint64{0xdefacedffffffff, 0}), `io_uring_setup(4294967295, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "io_uring_setup", -14, [6]uint64{0, 0x7fef4892ff89}, wire.Cap{Arg: 1, Flags: wire.CapFault}),
		`io_uring_setup(0, 0x7fef4892ff89) = -1 EFAULT (Bad address)`)
	bad := make([]byte, 120)
	for k := range bad {
		bad[k] = byte(0x80 + k)
	}
	le.PutUint32(bad[8:], 0xffffffdf) // no IORING_SETUP_ATTACH_WQ
	checkLine(t, decodeLine(t, "io_uring_setup", -22, [6]uint64{1, 0x1000}, wire.Cap{Arg: 1, Data: bad}),
		`io_uring_setup(1, {flags=IORING_SETUP_IOPOLL|IORING_SETUP_SQPOLL|IORING_SETUP_SQ_AFF|IORING_SETUP_CQSIZE|IORING_SETUP_CLAMP|IORING_SETUP_R_DISABLED|IORING_SETUP_SUBMIT_ALL|IORING_SETUP_COOP_TASKRUN|IORING_SETUP_TASKRUN_FLAG|IORING_SETUP_SQE128|IORING_SETUP_CQE32|0xfffff000, sq_thread_cpu=0x8f8e8d8c, sq_thread_idle=2475856272, resv=[0x9f9e9d9c, 0xa3a2a1a0, 0xa7a6a5a4]}) = -1 EINVAL (Invalid argument)`)
	for k, v := range []uint32{2, 4, 0, 0, 0, 0x1fff} {
		le.PutUint32(params[4*k:], v)
	}
	for k, v := range []uint32{0, 4, 16, 24, 36, 32, 128} {
		le.PutUint32(params[40+4*k:], v)
	}
	for k, v := range []uint32{8, 12, 20, 28, 44, 64, 40} {
		le.PutUint32(params[80+4*k:], v)
	}
	checkLine(t, decodeLine(t, "io_uring_setup", 4, [6]uint64{2, 0x1000}, wire.Cap{Arg: 1, Data: params}),
		`io_uring_setup(2, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=2, cq_entries=4, features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP|IORING_FEAT_SUBMIT_STABLE|IORING_FEAT_RW_CUR_POS|IORING_FEAT_CUR_PERSONALITY|IORING_FEAT_FAST_POLL|IORING_FEAT_POLL_32BITS|IORING_FEAT_SQPOLL_NONFIXED|IORING_FEAT_EXT_ARG|IORING_FEAT_NATIVE_WORKERS|IORING_FEAT_RSRC_TAGS|IORING_FEAT_CQE_SKIP|IORING_FEAT_LINKED_FILE, sq_off={head=0, tail=4, ring_mask=16, ring_entries=24, flags=36, dropped=32, array=128}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, overflow=44, cqes=64, flags=40}}) = 4`)
	checkLine(t, decodeLine(t, "io_uring_enter", -22, [6]uint64{0xdefaced00000003, 0xdefaceddeadbeef, 0xdefacedcafef00d, 0xdefacedffffffff, 0x1000, 8},
		wire.Cap{Arg: 4, Data: u64s(^uint64(1<<0 | 1<<8 | 1<<18))}),
		`io_uring_enter(3, 3735928559, 3405705229, IORING_ENTER_GETEVENTS|IORING_ENTER_SQ_WAKEUP|IORING_ENTER_SQ_WAIT|IORING_ENTER_EXT_ARG|IORING_ENTER_REGISTERED_RING|0xffffffe0, ~[HUP KILL STOP], 8) = -1 EINVAL (Invalid argument)`)
}

// io_uring_register's operations, as strace 6.1's test io_uring_register
// prints them (its descriptors: 0 /dev/null, 3 /dev/full).
func TestFamIOUringRegister(t *testing.T) {
	const pid = 0x7ffffff0
	proc := fakeProc(t, pid, "/", map[int]string{0: "/dev/null", 3: "/dev/full"})
	eop := int64(-95)
	fds := wire.Cap{Arg: 2, Data: []byte{3, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0xff, 0xff, 0xff}}
	iovs := wire.Cap{Arg: 2, Data: u64s(0xfacefeedcafef00d, 16045756813264538366, 0x55c4c91c1540, 10)}
	restr := func(op uint16, arg byte) wire.Cap {
		b := make([]byte, 16)
		le.PutUint16(b, op)
		b[2] = arg
		return wire.Cap{Arg: 2, Data: b}
	}
	ring := make([]byte, 32)
	le.PutUint32(ring, 0xffffffff)
	le.PutUint64(ring[8:], 3)
	le.PutUint32(ring[16:], 1)
	le.PutUint32(ring[20:], 0x1010101)
	le.PutUint64(ring[24:], 0xffffffffffffffff)
	bufReg := make([]byte, 40)
	le.PutUint64(bufReg, 0x1000)
	le.PutUint32(bufReg[8:], 8)
	le.PutUint16(bufReg[12:], 1)
	le.PutUint64(bufReg[24:], 0xdead)
	checkLines(t, fdText(t, DecodeFdPath, proc, 0,
		fdCall(t, pid, "io_uring_register", -22, []uint64{0, 0xbadc0ded, 0x55c4c91c1540, 0xdeadbeef}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 1, 0x55c4c91c1540, 0xdeadbeef}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 0, 0x7000, 2}, iovs),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 2, 0x7000, 5}, fds),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 7, 0x7000, 5}, fds),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 11, 0x7000, 1}, restr(0, 0x18)),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 11, 0x7000, 1}, restr(1, 46)),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 11, 0x7000, 1}, restr(2, 0x40)),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 11, 0x7000, 0}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 17, 0x7000, 2}, wire.Cap{Arg: 2, Data: []byte{0xef, 0xbe}}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 20, 0x7000, 2}, wire.Cap{Arg: 2, Data: ring}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 21, 0x7000, 2}, wire.Cap{Arg: 2, Data: ring}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 22, 0x7000, 1}, wire.Cap{Arg: 2, Data: bufReg}),
		fdCall(t, pid, "io_uring_register", eop, []uint64{0, 6, 0x7000, 5})),
		[]string{
			`io_uring_register(0</dev/null>, 0xbadc0ded /* IORING_REGISTER_??? */, 0x55c4c91c1540, 3735928559) = -1 EINVAL (Invalid argument)`,
			`io_uring_register(0</dev/null>, IORING_UNREGISTER_BUFFERS, 0x55c4c91c1540, 3735928559) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_BUFFERS, [{iov_base=0xfacefeedcafef00d, iov_len=16045756813264538366}, {iov_base=0x55c4c91c1540, iov_len=10}], 2) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_FILES, [3</dev/full>, 0</dev/null>, -1, -2, -3], 5) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_EVENTFD_ASYNC, [3</dev/full>, 0</dev/null>, -1, -2, -3], 5) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_RESTRICTIONS, [{opcode=IORING_RESTRICTION_REGISTER_OP, register_op=0x18 /* IORING_REGISTER_??? */}], 1) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_RESTRICTIONS, [{opcode=IORING_RESTRICTION_SQE_OP, sqe_op=IORING_OP_URING_CMD}], 1) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_RESTRICTIONS, [{opcode=IORING_RESTRICTION_SQE_FLAGS_ALLOWED, sqe_flags=IOSQE_CQE_SKIP_SUCCESS}], 1) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_RESTRICTIONS, [], 0) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_IOWQ_AFF, [0 1 2 3 5 6 7 9 10 11 12 13 15], 2) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_RING_FDS, [{offset=-1, data=3</dev/full>}, {offset=1, resv=0x1010101, data=-1}], 2) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_UNREGISTER_RING_FDS, [{offset=4294967295, data=0x3}, {offset=1, resv=0x1010101, data=0xffffffffffffffff}], 2) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_PBUF_RING, {ring_addr=0x1000, ring_entries=8, bgid=1, resv=[0, 0xdead, 0]}, 1) = -1 EOPNOTSUPP (Operation not supported)`,
			`io_uring_register(0</dev/null>, IORING_REGISTER_FILES_UPDATE, 0x7000, 5) = -1 EOPNOTSUPP (Operation not supported)`,
		})
}

// io_uring_register's operations whose struct points to arrays
// (wire.CKDeref captures) and those printed again at exit, as strace
// 6.1's test io_uring_register prints them.
func TestFamIOUringRegisterRsrc(t *testing.T) {
	fds := []byte{3, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0xff, 0xff, 0xff}
	deref := func(off int, b []byte, fl uint8) wire.Cap {
		return wire.Cap{Arg: 2, Idx: uint16(wire.DerefIdx + off), Data: b, Flags: fl}
	}
	upd := append(u64s(0xdeadc0de), u64s(0x7000)...)
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 6, 0x6000, 0xdefaced00000005}, wire.Cap{Arg: 2, Data: upd},
		deref(8, fds, 0)),
		`io_uring_register(0, IORING_REGISTER_FILES_UPDATE, {offset=3735929054, fds=[3, 0, -1, IORING_REGISTER_FILES_SKIP, -3]}, 5) = -1 EOPNOTSUPP (Operation not supported)`)
	// FILES2: 6 descriptors of which 5 could be read; the struct read, the
	// bytes past it not.
	reg := u64s(6|1<<32, 0xfacecafebeeffeed, 0x7000, 0x8000, 0xa0)
	tags := u64s(0x1337, 1, 0xdead, 0xfacefeed, 0xbadc0deddadfaced, 0)
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 13, 0x6000, 40},
		wire.Cap{Arg: 2, Data: reg[:32], Flags: wire.CapFault | wire.CapPart},
		deref(16, fds, wire.CapFault|wire.CapPart), deref(24, tags, 0)),
		`io_uring_register(0, IORING_REGISTER_FILES2, {nr=6, flags=IORING_RSRC_REGISTER_SPARSE, resv2=0xfacecafebeeffeed, data=[3, 0, -1, -2, -3, ... /* 0x7014 */], tags=[0x1337, 0x1, 0xdead, 0xfacefeed, 0xbadc0deddadfaced, 0], ???}, 40) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 15, 0x6000, 40}, wire.Cap{Arg: 2, Data: reg}),
		`io_uring_register(0, IORING_REGISTER_BUFFERS2, {nr=6, flags=IORING_RSRC_REGISTER_SPARSE, resv2=0xfacecafebeeffeed, data=0x7000, tags=0x8000, /* bytes 32..39 */ "\xa0\x00\x00\x00\x00\x00\x00\x00"}, 40) = -1 EOPNOTSUPP (Operation not supported)`)
	upd2 := u64s(0xbadc0ded00000000, 0, 0x8000, 2|0xfacecafe<<32)
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 16, 0x6000, 32}, wire.Cap{Arg: 2, Data: upd2},
		deref(16, tags[:16], 0)),
		`io_uring_register(0, IORING_REGISTER_BUFFERS_UPDATE, {offset=0, resv=0xbadc0ded, data=NULL, tags=[0x1337, 0x1], nr=2, resv2=0xfacecafe}, 32) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 14, 0x6000, 24}, wire.Cap{Arg: 2, Data: upd2}),
		`io_uring_register(0, IORING_REGISTER_FILES_UPDATE2, 0x6000, 24) = -1 EOPNOTSUPP (Operation not supported)`)

	// PROBE: what the caller passed, and after a success (injected here)
	// what the call left; a zero probe only at exit; a probe that
	// succeeded without injection was zero as it entered.
	probe := make([]byte, uringProbeSize)
	probe[0], probe[1] = 29, 255
	copy(probe[16:], []byte{0, 0xde, 0, 0, 0xce, 0xfa, 0xef, 0xbe, 46, 0, 1, 0, 0, 0, 0, 0})
	injected := Options{StrSize: 32, Injected: func(uint32, uint32) bool { return true }}
	args := [6]uint64{0, 8, 0x6000, 2}
	checkLine(t, decodeLine(t, "io_uring_register", -95, args, wire.Cap{Arg: 2, Data: probe}),
		`io_uring_register(0, IORING_REGISTER_PROBE, {last_op=IORING_OP_EPOLL_CTL, ops_len=255, ops=[{op=IORING_OP_NOP, resv=0xde, flags=0, resv2=0xbeefface}, {op=IORING_OP_URING_CMD, flags=IO_URING_OP_SUPPORTED}]}, 2) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLineOpt(t, injected, "io_uring_register", 42, args, wire.Cap{Arg: 2, Data: probe}),
		`io_uring_register(0, IORING_REGISTER_PROBE, {last_op=IORING_OP_EPOLL_CTL, ops_len=255, ops=[{op=IORING_OP_NOP, resv=0xde, flags=0, resv2=0xbeefface}, {op=IORING_OP_URING_CMD, flags=IO_URING_OP_SUPPORTED}]} => {last_op=IORING_OP_EPOLL_CTL, ops_len=255, ops=[{op=IORING_OP_NOP, resv=0xde, flags=0, resv2=0xbeefface}, {op=IORING_OP_URING_CMD, flags=IO_URING_OP_SUPPORTED}, ...]}, 2) = 42 (INJECTED)`)
	probe[1] = 1
	checkLine(t, decodeLine(t, "io_uring_register", 0, args, wire.Cap{Arg: 2, Data: probe}),
		`io_uring_register(0, IORING_REGISTER_PROBE, {last_op=IORING_OP_EPOLL_CTL, ops_len=1, ops=[{op=IORING_OP_NOP, resv=0xde, flags=0, resv2=0xbeefface}]}, 2) = 0`)
	zero := make([]byte, 32)
	checkLine(t, decodeLine(t, "io_uring_register", -95, args, wire.Cap{Arg: 2, Data: zero}),
		`io_uring_register(0, IORING_REGISTER_PROBE, 0x6000, 2) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "io_uring_register", -95, args, wire.Cap{Arg: 2, Data: zero[:31], Flags: wire.CapFault | wire.CapPart}),
		`io_uring_register(0, IORING_REGISTER_PROBE, 0x6000, 2) = -1 EOPNOTSUPP (Operation not supported)`)

	// IOWQ_MAX_WORKERS: by index, and again at exit.
	maxw := []byte{0, 0, 0, 0, 1, 0, 0, 0, 0xed, 0xac, 0xdf, 0xbe}
	checkLine(t, decodeLine(t, "io_uring_register", -95, [6]uint64{0, 19, 0x6000, 3}, wire.Cap{Arg: 2, Data: maxw}),
		`io_uring_register(0, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1, [2 /* IO_WQ_??? */]=3202329837] => 0x6000, 3) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "io_uring_register", 0, [6]uint64{0, 19, 0x6000, 2}, wire.Cap{Arg: 2, Data: maxw[:8]}),
		`io_uring_register(0, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1] => [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1], 2) = 0`)
	checkLine(t, decodeLine(t, "io_uring_register", 0, [6]uint64{0, 19, 0x6000, 2}, wire.Cap{Arg: 2, Data: maxw[:4], Flags: wire.CapFault | wire.CapPart}),
		`io_uring_register(0, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=0, ... /* 0x6004 */], 2) = 0`)
}
