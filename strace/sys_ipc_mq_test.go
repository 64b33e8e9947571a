package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The POSIX message queue calls, as strace 6.1's test mq prints them.
func TestFamMq(t *testing.T) {
	attr := u64s(0, 10, 8192, 0, 0, 0, 0, 0)
	checkLine(t, decodeLine(t, "mq_open", 0, [6]uint64{0x1000, 0x40, 0o700, 0}, wire.Cap{Arg: 0, Data: []byte("strace-mq-19688.sample")}),
		`mq_open("strace-mq-19688.sample", O_RDONLY|O_CREAT, 0700, NULL) = 0`)
	checkLine(t, decodeLine(t, "mq_open", -14, [6]uint64{0, 0x8765432100000000, 0xdec0deadfacefeed, 0}), `mq_open(NULL, O_RDONLY) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_open", -14, [6]uint64{0x1000, 0xdefaced100000043, 0xdec0deadfacefeed, 0x2000}, wire.Cap{Arg: 0, Flags: wire.CapFault},
		wire.Cap{Arg: 3, Data: u64s(0xc2c1c0bfbebdbcbb, 0xcac9c8c7c6c5c4c3, 0xd2d1d0cfcecdcccb, 0xdad9d8d7d6d5d4d3, 0, 0, 0, 0)}),
		`mq_open(0x1000, O_ACCMODE|O_CREAT, 0177355, {mq_flags=0xc2c1c0bfbebdbcbb, mq_maxmsg=-3834312847370369853, mq_msgsize=-3255591464665756469, mq_curmsgs=-2676870081961143085}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_getsetattr", 0, [6]uint64{0, 0, 0x1000}, wire.Cap{Arg: 2, Data: attr}),
		`mq_getsetattr(0, NULL, {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}) = 0`)
	checkLine(t, decodeLine(t, "mq_getsetattr", 0, [6]uint64{0, 0x1000, 0}, wire.Cap{Arg: 1, Data: attr}),
		`mq_getsetattr(0, {mq_flags=0, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}, NULL) = 0`)
	checkLine(t, decodeLine(t, "mq_unlink", 0, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: []byte("strace-mq-19688.sample")}),
		`mq_unlink("strace-mq-19688.sample") = 0`)
}

// mq_notify's struct sigevent and mq_timedsend's message, as strace 6.1's
// test mq_sendrecv prints them.
func TestFamMqSendrecv(t *testing.T) {
	sev := func(signo, notify uint32) []byte {
		b := u64s(0xdeadbeefbadc0ded, uint64(notify)<<32|uint64(signo), 0xdeadbeefbadc0ded, 0xcafef00dfacefeed)
		return b
	}
	args := [6]uint64{0xfeedfacedeadba5e, 0x1000}
	checkLine(t, decodeLine(t, "mq_notify", -14, args, wire.Cap{Arg: 1, Data: sev(0xfacefeed, 0xdefaced)}),
		`mq_notify(-559039906, {sigev_value={sival_int=-1159983635, sival_ptr=0xdeadbeefbadc0ded}, sigev_signo=4207869677, sigev_notify=0xdefaced /* SIGEV_??? */}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_notify", -14, args, wire.Cap{Arg: 1, Data: sev(14, 0)}),
		`mq_notify(-559039906, {sigev_value={sival_int=-1159983635, sival_ptr=0xdeadbeefbadc0ded}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_notify", -14, args, wire.Cap{Arg: 1, Data: sev(14, 2)}),
		`mq_notify(-559039906, {sigev_value={sival_int=-1159983635, sival_ptr=0xdeadbeefbadc0ded}, sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD, sigev_notify_function=0xdeadbeefbadc0ded, sigev_notify_attributes=0xcafef00dfacefeed}) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_notify", -9, [6]uint64{0, 0}), `mq_notify(0, NULL) = -1 EBADF (Bad file descriptor)`)
	// An attribute structure cut short by the end of the mapping: its address.
	checkLine(t, decodeLine(t, "mq_open", -14, [6]uint64{0x1000, 0x43, 0o177355, 0x2000}, wire.Cap{Arg: 0, Flags: wire.CapFault}, wire.Cap{Arg: 3, Flags: wire.CapFault}),
		`mq_open(0x1000, O_ACCMODE|O_CREAT, 0177355, 0x2000) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mq_timedsend", -22, [6]uint64{0xfeedfacedeadba5e, 0x1000, 8, 0xdec0ded1defaced3, 0x2000},
		wire.Cap{Arg: 1, Data: []byte{0270, 0271, 0272, 0273, 0274, 0275, 0276, 0277}}, wire.Cap{Arg: 4, Data: u64s(0xdeadfacebeeff00d, 0xfacefee1deadfeed)}),
		`mq_timedsend(-559039906, "\270\271\272\273\274\275\276\277", 8, 3740978899, {tv_sec=-2400987260445003763, tv_nsec=18072662600741420781}) = -1 EINVAL (Invalid argument)`)
}
