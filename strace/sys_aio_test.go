package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The AIO calls, as strace 6.1's tests aio and aio_pgetevents print them.
func TestFamAIO(t *testing.T) {
	checkLine(t, decodeLine(t, "io_setup", -14, [6]uint64{0xdeadbeef, 0}), `io_setup(3735928559, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "io_setup", 0, [6]uint64{0xdeadbeef00000002, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0x7f5ebedde000)}),
		`io_setup(2, [0x7f5ebedde000]) = 0`)
	checkLine(t, decodeLine(t, "io_destroy", 0, [6]uint64{0x7f5ebedde000}), `io_destroy(0x7f5ebedde000) = 0`)

	iocbOf := func(data uint64, key, rw uint32, op, prio uint16, fd int32, buf, n, off uint64, flags, resfd uint32) []byte {
		b := u64s(data, uint64(key)|uint64(rw)<<32, uint64(op)|uint64(prio)<<16|uint64(uint32(fd))<<32, buf, n, off, 0,
			uint64(flags)|uint64(resfd)<<32)
		return b
	}
	deref := func(k int, b []byte, fl uint8) wire.Cap {
		return wire.Cap{Arg: 2, Idx: uint16(wire.DerefIdx + 8*k), Data: b, Flags: fl}
	}
	ptrs := wire.Cap{Arg: 2, Data: u64s(0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000, 0, 0xffffffffffffffff), Flags: wire.CapFault | wire.CapPart}
	checkLine(t, decodeLine(t, "io_submit", -9, [6]uint64{0x7f5ebedde000, 1057, 0x7000}, ptrs,
		deref(0, iocbOf(0xbadfacedc0ffeeed, 3740978896, 0, 61453, 0, -553988399, 0, 0, 0, 0, 0), 0),
		deref(1, iocbOf(0, 0, 0x11, 1, 5<<13|7919, 0, 0, 40, 1, 0xfacef157, 0xdeadbeef), 0),
		deref(2, iocbOf(0, 0, 0, 7, 0, 1, 0x9000, 2, 0, 0, 0), 0),
		deref(3, iocbOf(0, 0, 0, 5, 0, 1, 1, 2, 0, 0, 3), 0),
		deref(4, nil, wire.CapFault)),
		`io_submit(0x7f5ebedde000, 1057, [{aio_data=0xbadfacedc0ffeeed, aio_key=3740978896, aio_lio_opcode=61453 /* IOCB_CMD_??? */, aio_fildes=-553988399}, `+
			`{aio_data=0, aio_rw_flags=RWF_HIPRI|RWF_APPEND, aio_lio_opcode=IOCB_CMD_PWRITE, aio_reqprio=IOPRIO_PRIO_VALUE(0x5 /* IOPRIO_CLASS_??? */, 7919), aio_fildes=0, aio_buf=NULL, aio_nbytes=40, aio_offset=1, aio_flags=IOCB_FLAG_RESFD|IOCB_FLAG_IOPRIO|0xfacef154, aio_resfd=-559038737}, `+
			`{aio_data=0, aio_lio_opcode=IOCB_CMD_PREADV, aio_fildes=1, aio_buf=0x9000, aio_offset=0}, `+
			`{aio_data=0, aio_lio_opcode=IOCB_CMD_POLL, aio_fildes=1, aio_buf=POLLIN, aio_resfd=0x3}, 0x5000, 0x6000, NULL, 0xffffffffffffffff, ... /* 0x7040 */]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "io_submit", -22, [6]uint64{0x7f5ebedde000, ^uint64(0), 0x7000}),
		`io_submit(0x7f5ebedde000, -1, 0x7000) = -1 EINVAL (Invalid argument)`)

	checkLine(t, decodeLine(t, "io_cancel", -22, [6]uint64{0x7f5ebedde000, 0x1000, 0x2000},
		wire.Cap{Arg: 1, Data: iocbOf(0xdeadbeefbadc0ded, 0, 0, 0, 99, -42, 0, 0, 0, 0, 0)}),
		`io_cancel(0x7f5ebedde000, {aio_data=0xdeadbeefbadc0ded, aio_lio_opcode=IOCB_CMD_PREAD, aio_reqprio=99, aio_fildes=-42}, 0x2000) = -1 EINVAL (Invalid argument)`)
	events := append(u64s(0xfeedface11111111, 0x7f5ebebe5f80, 4096, 0), u64s(0xfeedface22222222, 0x7f5ebebe5fc0, 8192, 0)...)
	checkLine(t, decodeLine(t, "io_getevents", 2, [6]uint64{0x7f5ebedde000, 2, 3, 0x1000, 0x2000},
		wire.Cap{Arg: 3, Data: events}, wire.Cap{Arg: 4, Data: u64s(0, 123456789)}),
		`io_getevents(0x7f5ebedde000, 2, 3, [{data=0xfeedface11111111, obj=0x7f5ebebe5f80, res=4096, res2=0}, {data=0xfeedface22222222, obj=0x7f5ebebe5fc0, res=8192, res2=0}], {tv_sec=0, tv_nsec=123456789}) = 2`)
	sig := func(mask, size uint64) wire.Cap { return wire.Cap{Arg: 5, Data: u64s(mask, size)} }
	set := wire.Cap{Arg: 5, Idx: wire.DerefIdx, Data: u64s(1 << 30)}
	checkLine(t, decodeLine(t, "io_pgetevents", -22, [6]uint64{0xface1e55deadbeef, 0, 0, 0, 0, 0x3000}, sig(0x4000, 8), set),
		`io_pgetevents(0xface1e55deadbeef, 0, 0, NULL, NULL, {sigmask=[SYS], sigsetsize=8}) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "io_pgetevents", -22, [6]uint64{0xface1e55deadbeef, 0, 0, 0, 0, 0x3000}, sig(0x4000, 16), set),
		`io_pgetevents(0xface1e55deadbeef, 0, 0, NULL, NULL, {sigmask=0x4000, sigsetsize=16}) = -1 EINVAL (Invalid argument)`)
}
