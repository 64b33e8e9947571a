package strace

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestRawCalls: -e raw='s calls as strace 6.1 prints them (-e raw=all,
// traced by hand): every argument in hex (0 as 0), as many as strace's
// table gives the call, the result in hex, an error as print_err_ret
// prints it (a restart code too), exit_group's "= ?"; the other calls
// decoded as ever.
func TestRawCalls(t *testing.T) {
	raw := func(names ...string) Options {
		var nrs []uint32
		for _, n := range names {
			nr, _ := Number(n)
			nrs = append(nrs, nr)
		}
		return Options{Raw: nrs}
	}
	at := uint64(0xffffff9c)
	checkLine(t, decodeLineOpt(t, raw("openat"), "openat", 3, [6]uint64{at, 0x7f467f90a0b1, 0x80000}),
		"openat(0xffffff9c, 0x7f467f90a0b1, 0x80000, 0) = 0x3")
	checkLine(t, decodeLineOpt(t, raw("openat"), "openat", -2, [6]uint64{at, 0x55856e7f6530, 0x80000}),
		"openat(0xffffff9c, 0x55856e7f6530, 0x80000, 0) = -1 ENOENT (No such file or directory)")
	checkLine(t, decodeLineOpt(t, raw("close"), "close", 0, [6]uint64{3}), "close(0x3) = 0")
	checkLine(t, decodeLineOpt(t, raw("read"), "read", -512, [6]uint64{0, 0x7ffd820d6a30, 0x20000}),
		"read(0, 0x7ffd820d6a30, 0x20000) = -1 ERESTARTSYS (Unknown error 512)")
	checkLine(t, decodeLineOpt(t, raw("close"), "close", -int64(unix.EBADF), [6]uint64{99}), "close(0x63) = -1 EBADF (Bad file descriptor)")
	// Not in the set: decoded.
	checkLine(t, decodeLineOpt(t, raw("openat"), "close", 0, [6]uint64{3}), "close(3) = 0")
}
