package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The POSIX message queue calls, as strace 6.1's test mq prints them.
func TestFamMq(t *testing.T) {
	attr := u64s(0, 10, 8192, 0)
	checkLine(t, decodeLine(t, "mq_open", 0, [6]uint64{0x1000, 0x40, 0o700, 0}, wire.Cap{Arg: 0, Data: []byte("strace-mq-19688.sample")}),
		`mq_open("strace-mq-19688.sample", O_RDONLY|O_CREAT, 0700, NULL) = 0`)
	checkLine(t, decodeLine(t, "mq_open", -14, [6]uint64{0, 0x8765432100000000, 0xdec0deadfacefeed, 0}), `mq_open(NULL, O_RDONLY) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_open", -14, [6]uint64{0x1000, 0xdefaced100000043, 0xdec0deadfacefeed, 0x2000}, wire.Cap{Arg: 0, Flags: wire.CapFault},
		wire.Cap{Arg: 3, Data: u64s(0xc2c1c0bfbebdbcbb, 0xcac9c8c7c6c5c4c3, 0xd2d1d0cfcecdcccb, 0xdad9d8d7d6d5d4d3)}),
		`mq_open(0x1000, O_ACCMODE|O_CREAT, 0177355, {mq_flags=0xc2c1c0bfbebdbcbb, mq_maxmsg=-3834312847370369853, mq_msgsize=-3255591464665756469, mq_curmsgs=-2676870081961143085}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_getsetattr", 0, [6]uint64{0, 0, 0x1000}, wire.Cap{Arg: 2, Data: attr}),
		`mq_getsetattr(0, NULL, {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}) = 0`)
	checkLine(t, decodeLine(t, "mq_getsetattr", 0, [6]uint64{0, 0x1000, 0}, wire.Cap{Arg: 1, Data: attr}),
		`mq_getsetattr(0, {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}, NULL) = 0`)
	checkLine(t, decodeLine(t, "mq_unlink", 0, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: []byte("strace-mq-19688.sample")}),
		`mq_unlink("strace-mq-19688.sample") = 0`)
}
