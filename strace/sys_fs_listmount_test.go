package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// listmount: the lines strace 7.2 printed for the same calls.

func TestFamListmount(t *testing.T) {
	req := func(size uint32, vs ...uint64) wire.Cap {
		return wire.Cap{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: append(u64s(uint64(size)), u64s(vs...)...)}
	}
	ids := wire.Cap{Arg: 1, Data: u64s(0x80000017, 0x80000018)}
	checkLine(t, decodeLine(t, "listmount", 2, [6]uint64{0x1000, 0x2000, 2, 0}, req(24, ^uint64(0), 0, 0), ids),
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, [0x80000017, 0x80000018], 2, 0) = 2`)
	checkLine(t, decodeLine(t, "listmount", 0, [6]uint64{0x1000, 0x2000, 0, 1}, req(24, ^uint64(0), 0, 0)),
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, [], 0, LISTMOUNT_REVERSE) = 0`)
	checkLine(t, decodeLine(t, "listmount", -14, [6]uint64{0x1000, 0, 4, 0}, req(24, ^uint64(0), 0, 0)),
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, NULL, 4, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "listmount", -22, [6]uint64{0x1000, 0x2000, 1, 0xfe}, req(32, ^uint64(0), 0x1234, 0)),
		`listmount({size=32, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0x1234, mnt_ns_id=0}, 0x2000, 1, 0xfe /* LISTMOUNT_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "listmount", -7, [6]uint64{0x1000, 0x2000, 1, 0}, req(40, ^uint64(0), 0x1234, 0, 5)),
		`listmount({size=40, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0x1234, mnt_ns_id=0, /* bytes 32..39 */ "\x05\x00\x00\x00\x00\x00\x00\x00"}, 0x2000, 1, 0) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "listmount", -22, [6]uint64{0x1000, 0x2000, 1, 0}, req(8)),
		`listmount({size=8}, 0x2000, 1, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "listmount", -14, [6]uint64{0, 0x2000, 1, 0}),
		`listmount(NULL, 0x2000, 1, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "listmount", -22, [6]uint64{0x1000, 0x2000, 4, 0}, req(24, 12345, 0x1234)),
		`listmount({size=24, mnt_ns_fd=0, mnt_id=0x3039, param=0x1234}, 0x2000, 4, 0) = -1 EINVAL (Invalid argument)`)
	// Fewer bytes readable than the size says: ???.
	checkLine(t, decodeLine(t, "listmount", -14, [6]uint64{0x1000, 0x2000, 4, 0}, req(32, 1)),
		`listmount({size=32, ???}, 0x2000, 4, 0) = -1 EFAULT (Bad address)`)
}

const listmountC = `
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
struct req { unsigned size, fd; unsigned long long mnt_id, param, ns_id; unsigned long long pad; };
int main(void) {
	unsigned long long ids[4];
	struct req r = {24, 0, 0xffffffffffffffffULL, 0, 0, 0};
	long n = syscall(458, &r, ids, 2, 0);
	if (n < 0 && errno == ENOSYS)
		return 77;
	syscall(458, &r, ids, 0, 1);
	syscall(458, &r, 0, 4, 0);
	r.size = 32; r.param = 0x1234;
	syscall(458, &r, ids, 1, 0xfe);
	r.size = 40; r.pad = 5;
	syscall(458, &r, ids, 1, 0);
	r.size = 8;
	syscall(458, &r, ids, 1, 0);
	syscall(458, 0, ids, 1, 0);
	r.size = 24; r.mnt_id = 12345;
	syscall(458, &r, ids, 4, 0);
	return 0;
}
`

// TestLiveListmount: a program's listmount calls as strace 7.2 printed
// them (the ids masked as addresses).
func TestLiveListmount(t *testing.T) {
	fhLiveCheck(t, "listmount", listmountC, "listmount", []string{
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, [0x80000017, 0x80000018], 2, 0) = 2`,
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, [], 0, LISTMOUNT_REVERSE) = 0`,
		`listmount({size=24, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0}, NULL, 4, 0) = -1 EFAULT (Bad address)`,
		`listmount({size=32, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0x1234, mnt_ns_id=0}, 0x7ffdd2045b10, 1, 0xfe /* LISTMOUNT_??? */) = -1 EINVAL (Invalid argument)`,
		`listmount({size=40, mnt_ns_fd=0, mnt_id=LSMT_ROOT, param=0x1234, mnt_ns_id=0, /* bytes 32..39 */ "\x05\x00\x00\x00\x00\x00\x00\x00"}, 0x7ffdd2045b10, 1, 0) = -1 E2BIG (Argument list too long)`,
		`listmount({size=8}, 0x7ffdd2045b10, 1, 0) = -1 EINVAL (Invalid argument)`,
		`listmount(NULL, 0x7ffdd2045b10, 1, 0) = -1 EFAULT (Bad address)`,
		`listmount({size=24, mnt_ns_fd=0, mnt_id=0x3039, param=0x1234}, 0x7ffdd2045b10, 4, 0) = -1 EINVAL (Invalid argument)`,
	})
}
