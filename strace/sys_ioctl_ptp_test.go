package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlPtp(t *testing.T) {
	t.Setenv("TZ", "UTC")
	ebadf := -int64(unix.EBADF)
	const a = 0x7f161f048fc9
	le32 := binary.LittleEndian.PutUint32
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80503d01, a}), `ioctl(-1, PTP_CLOCK_GETCAPS, 0x7f161f048fc9) = -1 EBADF (Bad file descriptor)`)
	ex := make([]byte, 16)
	le32(ex, 3141592653)
	le32(ex[4:], 0xdeadbabe)
	le32(ex[8:], 0xdeadc0de)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40103d0b, a}, wire.Cap{Arg: 2, Data: ex}),
		`ioctl(-1, PTP_EXTTS_REQUEST2, {index=3141592653, flags=PTP_RISING_EDGE|PTP_FALLING_EDGE|PTP_STRICT_FLAGS|0xdeadbab0, rsv=[0xdeadc0de, 0]}) = -1 EBADF (Bad file descriptor)`)
	po := make([]byte, 56)
	copy(po, u64s(4886718345))
	le32(po[8:], 123456789)
	le32(po[12:], 0xa205b064)
	copy(po[16:], u64s(11259375))
	le32(po[32:], 3141592653)
	le32(po[36:], 3)
	copy(po[40:], u64s(0xabcdef0123456789))
	le32(po[48:], 123456789)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40383d03, a}, wire.Cap{Arg: 2, Data: po}),
		`ioctl(-1, PTP_PEROUT_REQUEST, {start={sec=4886718345, nsec=123456789, reserved=0xa205b064} /* 2124-11-08T05:45:45.123456789+0000 */, period={sec=11259375, nsec=0}, index=3141592653, flags=PTP_PEROUT_ONE_SHOT|PTP_PEROUT_DUTY_CYCLE, on={sec=-6066930334832433271, nsec=123456789}}) = -1 EBADF (Bad file descriptor)`)
	so := make([]byte, 832)
	le32(so, 1)
	copy(so[16:], u64s(2345678901))
	le32(so[24:], 999999999)
	copy(so[32:], u64s(2345678902))
	le32(so[40:], 1000000000)
	le32(so[44:], 0xdeadface)
	copy(so[48:], u64s(2345678903))
	le32(so[56:], 1000000001)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x43403d05, a}, wire.Cap{Arg: 2, Data: so}),
		`ioctl(-1, PTP_SYS_OFFSET, {n_samples=1}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x43403d05, a}, wire.Cap{Arg: 2, Data: so}),
		`ioctl(-1, PTP_SYS_OFFSET, {n_samples=1, ts=[{sec=2345678901, nsec=999999999} /* 2044-05-01T01:28:21.999999999+0000 */, {sec=2345678902, nsec=1000000000, reserved=0xdeadface}, {sec=2345678903, nsec=1000000001}]}) = 42`)
	pin := make([]byte, 96)
	copy(pin, "\x01OH HAI")
	le32(pin[64:], 3405691582)
	le32(pin[68:], 4)
	le32(pin[72:], 4276993775)
	le32(pin[92:], 0xdadfaced)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0603d0f, a}, wire.Cap{Arg: 2, Data: pin}),
		`ioctl(-1, PTP_PIN_GETFUNC2, {index=3405691582, rsv=[0, 0, 0, 0, 0xdadfaced]}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc0603d06, a}, wire.Cap{Arg: 2, Data: pin}),
		`ioctl(-1, PTP_PIN_GETFUNC, {index=3405691582, name="\1OH HAI", func=0x4 /* PTP_PF_??? */, chan=4276993775}) = 42`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40603d10, a}, wire.Cap{Arg: 2, Data: pin}),
		`ioctl(-1, PTP_PIN_SETFUNC2, {index=3405691582, func=0x4 /* PTP_PF_??? */, chan=4276993775, rsv=[0, 0, 0, 0, 0xdadfaced]}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40043d04, ^uint64(0)}), `ioctl(-1, PTP_ENABLE_PPS, 0xffffffffffffffff) = -1 EBADF (Bad file descriptor)`)
}
