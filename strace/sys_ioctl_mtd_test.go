package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the MTD ioctls (lines from strace 6.1's ioctl_mtd
// tests).

func TestIoctlMtd(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	pat := make([]byte, 48)
	for j := range pat {
		pat[j] = byte(0x80 + j)
	}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40084d02, 0}), `ioctl(-1, MIXER_WRITE(2) or MEMERASE, NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40084d02, 0x1000}, wire.Cap{Arg: 2, Data: pat[:8]}),
		`ioctl(-1, MIXER_WRITE(2) or MEMERASE, {start=0x83828180, length=0x87868584}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0184d15, 0x1000}, wire.Cap{Arg: 2, Data: append(append(pat[:12:12], 0x8c, 0x8d, 0x8e, 0x8f), pat[16:24]...)}),
		`ioctl(-1, MEMWRITEOOB64, {start=0x8786858483828180, length=0x8f8e8d8c, usr_ptr=0x9796959493929190}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4d13, 0}), `ioctl(-1, MTDFILEMODE, MTD_FILE_MODE_NORMAL) = -1 EBADF (Bad file descriptor)`)
	mw := append([]byte(nil), pat[:40]...)
	mw = append(mw, make([]byte, 8)...)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0304d18, 0x1000}, wire.Cap{Arg: 2, Data: mw}),
		`ioctl(-1, MEMWRITE, {start=0x8786858483828180, len=0x8f8e8d8c8b8a8988, ooblen=0x9796959493929190, usr_data=0x9f9e9d9c9b9a9998, usr_oob=0xa7a6a5a4a3a2a1a0, mode=MTD_OPS_PLACE_OOB}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80204d01, 0x7fbe0dd1dfe0}, wire.Cap{Arg: 2, Data: pat[:32]}),
		`ioctl(-1, MIXER_READ(1) or MEMGETINFO, 0x7fbe0dd1dfe0) = -1 EBADF (Bad file descriptor)`)
}
