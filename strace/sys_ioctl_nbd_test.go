package strace

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestFamIoctlNbd(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xab08, 5}), `ioctl(-1, NBD_DISCONNECT) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xab07, 14627392582107119343}),
		`ioctl(-1, NBD_SET_SIZE_BLOCKS, 14627392582107119343) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xab0a, 0x8000840b}),
		`ioctl(-1, NBD_SET_FLAGS, NBD_FLAG_HAS_FLAGS|NBD_FLAG_READ_ONLY|NBD_FLAG_SEND_FUA|NBD_FLAG_SEND_CACHE|0x80008000) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xab0a, 0}), `ioctl(-1, NBD_SET_FLAGS, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xab00, 3}), `ioctl(-1, NBD_SET_SOCK, 3) = -1 EBADF (Bad file descriptor)`)
}
