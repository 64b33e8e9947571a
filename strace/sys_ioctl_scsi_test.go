package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlScsi(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7fd5d29aaffc
	le := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2202, a}), `ioctl(-1, SG_GET_TIMEOUT) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2283, a}, wire.Cap{Arg: 2, Data: le(0xfacefeed)}),
		`ioctl(-1, SG_NEXT_CMD_LEN, [-87097619]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2203, a}, wire.Cap{Arg: 2, Data: le(1)}),
		`ioctl(-1, SG_EMULATED_HOST, 0x7fd5d29aaffc) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2284, a}, wire.Cap{Arg: 2, Data: le(0x100)}),
		`ioctl(-1, SG_SCSI_RESET, [SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_NOTHING]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2284, a}, wire.Cap{Arg: 2, Data: le(0xfacefeed)}),
		`ioctl(-1, SG_SCSI_RESET, [0xfacefeed /* SG_SCSI_RESET_??? */]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2285, a}, wire.Cap{Arg: 2, Data: le(2206368128)}),
		`ioctl(-1, SG_IO, [2206368128]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2204, 0xfacefeed}), `ioctl(-1, SG_SET_TRANSFORM, 0xfacefeed) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x2276}), `ioctl(-1, SG_GET_SCSI_ID, NULL) = -1 EBADF (Bad file descriptor)`)
}
