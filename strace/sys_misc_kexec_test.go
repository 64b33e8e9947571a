package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// kexec_file_load and landlock_restrict_self, as strace 6.1's tests of
// the same names print them.
func TestFamKexecLandlock(t *testing.T) {
	opt := Options{StrSize: 9}
	args := func(n, p, flags uint64) [6]uint64 {
		return [6]uint64{0xdeadbeefbadda7a1, 0xfeedfacedefaced2, n, p, flags}
	}
	checkLine(t, decodeLineOpt(t, opt, "kexec_file_load", -38, args(0, 0, 0xbadc0dedda7a1058)),
		`kexec_file_load(-1159878751, -553988398, 0, NULL, 0xbadc0dedda7a1058 /* KEXEC_FILE_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, opt, "kexec_file_load", -38, args(23, 0x1000, 0), wire.Cap{Arg: 3, Flags: wire.CapTrunc, Data: []byte("deadcodeb")}),
		`kexec_file_load(-1159878751, -553988398, 23, "deadcodeb"..., 0) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, opt, "kexec_file_load", -38, args(7, 0x1000, 6), wire.Cap{Arg: 3, Data: []byte("abcdef\x00")}),
		`kexec_file_load(-1159878751, -553988398, 7, "abcdef\0", KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLineOpt(t, opt, "kexec_file_load", -38, args(8, 0x7f9cddbe0ff9, 0), wire.Cap{Arg: 3, Flags: wire.CapFault}),
		`kexec_file_load(-1159878751, -553988398, 8, 0x7f9cddbe0ff9, 0) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "landlock_restrict_self", -22, [6]uint64{0xd1efacedffffffff, 0xd1efacedffffffff}),
		`landlock_restrict_self(-1, 0xffffffff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "landlock_restrict_self", -9, [6]uint64{0xd1efaced000024c1, 0xd1efaced00000000}),
		`landlock_restrict_self(9409, 0) = -1 EBADF (Bad file descriptor)`)
}
