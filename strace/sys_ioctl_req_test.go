package strace

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The request under -X raw and -X verbose, and an undecoded request's
// argument (strace's %#lx: 0 for zero).
func TestIoctlReqStyle(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstRaw}, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0045877}),
		`ioctl(-1, 0xc0045877) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc0045877}),
		`ioctl(-1, 0xc0045877 /* FIFREEZE */) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "ioctl", ebadf, [6]uint64{^uint64(0), 0x58ff}),
		`ioctl(-1, 0x58ff /* _IOC(_IOC_NONE, 0x58, 0xff, 0) */, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x58ff}),
		`ioctl(-1, _IOC(_IOC_NONE, 0x58, 0xff, 0), 0) = -1 EBADF (Bad file descriptor)`)
}
