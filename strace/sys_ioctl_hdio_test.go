package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the HDIO ioctls (lines from strace 6.1's ioctl_hdio
// tests).

func TestIoctlHdio(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7f67d55d7ff0
	geo := []byte{0xca, 0xfe, 0xbe, 0xba, 0, 0, 0, 0, 0xce, 0xfa, 0xad, 0xde, 0xed, 0x0d, 0xdc, 0xba}
	cmd := []byte{0xca, 255, 238, 1}
	u64 := func(v uint64) []byte { return append(i32(uint32(v)), i32(uint32(v>>32))...) }
	for _, tc := range []struct {
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{ebadf, [6]uint64{^uint64(0), 0x305, 0xbadc0deddeadc0de}, nil, `ioctl(-1, HDIO_GET_QDMA, 0xbadc0deddeadc0de) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x301, 0}, nil, `ioctl(-1, HDIO_GETGEO, NULL) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x301, a}, []wire.Cap{{Arg: 2, Data: geo}}, `ioctl(-1, HDIO_GETGEO, 0x7f67d55d7ff0) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x301, a}, []wire.Cap{{Arg: 2, Data: geo}}, `ioctl(-1, HDIO_GETGEO, {heads=202, sectors=254, cylinders=47806, start=13464652301225294542}) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x31f, a}, []wire.Cap{{Arg: 2, Data: cmd}},
			`ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=1}) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x31f, a}, []wire.Cap{{Arg: 2, Data: cmd}},
			`ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=1} => {status=0xca, error=255, nsector=238, buf=0x7f67d55d7ff4}) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x31c, a}, []wire.Cap{{Arg: 2, Data: append(append(i32(0xdeadbeef), i32(0xaaaaaaaa)...), i32(0xbeefbeef)...)}},
			`ioctl(-1, HDIO_DRIVE_RESET, [0xdeadbeef, 0xaaaaaaaa, 0xbeefbeef]) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x309, a}, []wire.Cap{{Arg: 2, Data: u64(0xfacefeeddeadbeef)}}, `ioctl(-1, HDIO_GET_32BIT, [18072662652281011951]) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x324, 0xfacefeeddeadbeef}, nil, `ioctl(-1, HDIO_SET_32BIT, 18072662652281011951) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x329, 0xfacefeedded2ffff}, nil,
			`ioctl(-1, HDIO_SET_NICE, 1 << IDE_NICE_DSC_OVERLAP|1 << IDE_NICE_ATAPI_OVERLAP|1 << IDE_NICE_1|1 << IDE_NICE_0|1 << IDE_NICE_2|0xfacefeedded2ffe0) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x32d, 0xfacefeedded4ffff}, nil, `ioctl(-1, HDIO_SET_BUSSTATE, 0xfacefeedded4ffff /* BUSSTATE_??? */) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x30d, a}, []wire.Cap{{Arg: 2, Data: make([]byte, 512)}},
			`ioctl(-1, HDIO_GET_IDENTITY, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"...) = 42`},
	} {
		checkLine(t, decodeLine(t, "ioctl", tc.ret, tc.args, tc.caps...), tc.want)
	}
}
