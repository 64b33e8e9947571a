package strace

import "testing"

// A syscall without a signature prints as many raw arguments as the kernel
// defines (sysargs, from tracefs), as strace prints one it has no decoder
// for: 0, or hexadecimal (strace 6.1: `getpmsg(0, 0x1, 0xff,
// 0xffffffffffffffff, 0x7fff12345678)`, `syscall_0x1c3(0x10, 0, 0xff, 0,
// 0x5, 0x6)` for cachestat, which it predates).
func TestFamGenericArity(t *testing.T) {
	junk := [6]uint64{0x7fdcee0c5829, 2, 3, 4, 0x7fdcee1be6d0, 6}
	checkLine(t, decodeLine(t, "vhangup", 0, junk), `vhangup() = 0`)
	checkLine(t, decodeLine(t, "munlockall", 0, junk), `munlockall() = 0`)
	checkLine(t, decodeLine(t, "cachestat", -9, [6]uint64{0x10, 0, 0xff, 0, 5, 6}), `cachestat(0x10, 0, 0xff, 0) = -1 EBADF (Bad file descriptor)`)
	if sysargs["getcpu"] != 3 || sysargs["fstat"] != 2 || sysargs["mmap"] != 6 || sysargs["umount2"] != 2 {
		t.Errorf("sysargs: getcpu %d, fstat %d, mmap %d, umount2 %d", sysargs["getcpu"], sysargs["fstat"], sysargs["mmap"], sysargs["umount2"])
	}
	// amd64 only (decodeLine skips the rest elsewhere): not in tracefs, six.
	checkLine(t, decodeLine(t, "getpmsg", -38, [6]uint64{0, 1, 0xff, 0xffffffffffffffff, 0x7fff12345678, 0}),
		`getpmsg(0, 0x1, 0xff, 0xffffffffffffffff, 0x7fff12345678, 0) = -1 ENOSYS (Function not implemented)`)
}
