package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the UBI ioctls (lines from strace 6.1's ioctl_ubi
// tests).

func TestIoctlUbi(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	mk := make([]byte, 0x98)
	copy(mk, i32(0x83828180))
	copy(mk[4:], i32(0x87868584))
	copy(mk[8:], []byte{0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f})
	mk[16], mk[17] = 4, 1
	copy(mk[18:], []byte{1, 0})
	copy(mk[24:], "0123")
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40986f00, 0x1000}, wire.Cap{Arg: 2, Data: mk}),
		`ioctl(-1, UBI_IOCMKVOL, {vol_id=-2088599168, alignment=-2021227132, bytes=-8102383044816893560, vol_type=UBI_STATIC_VOLUME, flags=UBI_VOL_SKIP_CRC_CHECK_FLG, name_len=1, name="0"...}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x40986f00, 0x1000}, wire.Cap{Arg: 2, Data: mk}),
		`ioctl(-1, UBI_IOCMKVOL, {vol_id=-2088599168, alignment=-2021227132, bytes=-8102383044816893560, vol_type=UBI_STATIC_VOLUME, flags=UBI_VOL_SKIP_CRC_CHECK_FLG, name_len=1, name="0"...} => [-2088599168]) = 42`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40044f02, 0x1000}, wire.Cap{Arg: 2, Data: append(append(i32(0x83828180), i32(0x87868584)...), 3, 0, 0, 0, 0, 0, 0, 0)}),
		`ioctl(-1, UBI_IOCEBCH, {lnum=-2088599168, bytes=-2021227132, dtype=UBI_UNKNOWN}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4f08}), `ioctl(-1, UBI_IOCVOLRMBLK) = -1 EBADF (Bad file descriptor)`)
}
