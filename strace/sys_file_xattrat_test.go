package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The *xattrat calls: the lines strace 7.2 printed for the same calls.

func TestFamXattrat(t *testing.T) {
	xf := wire.Cap{Arg: 1, Data: []byte("xf")}
	name := wire.Cap{Arg: 3, Data: []byte("user.a")}
	args := func(value uint64, size, flags uint32, tail ...uint64) wire.Cap {
		b := append(u64s(value, uint64(size)|uint64(flags)<<32), u64s(tail...)...)
		return wire.Cap{Arg: 4, Data: b}
	}
	val := func(s string) wire.Cap { return wire.Cap{Arg: 4, Idx: wire.DerefIdx, Data: []byte(s)} }
	checkLine(t, decodeLine(t, "setxattrat", 0, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0x4000, 5, 1), val("hello")),
		`setxattrat(AT_FDCWD, "xf", 0, "user.a", {value="hello", size=5, flags=XATTR_CREATE}, 16) = 0`)
	// A NUL ending the value is left out; the bytes past 16, not zero.
	checkLine(t, decodeLine(t, "setxattrat", -7, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 32}, xf, name, args(0x4000, 2, 0, 0, 0x1234), val("v\x00")),
		`setxattrat(AT_FDCWD, "xf", 0, "user.a", {value="v", size=2, flags=0, /* bytes 16..31 */ "\x00\x00\x00\x00\x00\x00\x00\x00\x34\x12\x00\x00\x00\x00\x00\x00"}, 32) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "setxattrat", 0, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 32}, xf, name, args(0x4000, 2, 0, 0, 0), val("v\x00")),
		`setxattrat(AT_FDCWD, "xf", 0, "user.a", {value="v", size=2, flags=0}, 32) = 0`)
	// A size under 16: the address; flags are an int.
	checkLine(t, decodeLine(t, "setxattrat", -22, [6]uint64{atCwd, 0x1000, 0xfffffffffffffeff, 0x2000, 0x3000, 8}, xf, name, args(0x4000, 5, 1)),
		`setxattrat(AT_FDCWD, "xf", AT_EMPTY_PATH|0xffffeeff, "user.a", 0x3000, 8) = -1 EINVAL (Invalid argument)`)
	// Cut at -s; -e verbose=none: the address.
	checkLine(t, decodeLineOpt(t, Options{StrSize: 3}, "setxattrat", 0, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0x4000, 5, 1), val("hell")),
		`setxattrat(AT_FDCWD, "xf", 0, "use"..., {value="hel"..., size=5, flags=XATTR_CREATE}, 16) = 0`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Verbose: []uint32{}}, "setxattrat", 0, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0x4000, 5, 1), val("hello")),
		`setxattrat(AT_FDCWD, "xf", 0, "user.a", 0x3000, 16) = 0`)
	// getxattrat: the value got, as long as the result; its address when
	// the call failed; without a size, the address whatever the result.
	checkLine(t, decodeLine(t, "getxattrat", 5, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0x4000, 64, 0), val("hello\x00\x00\x00")),
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value="hello", size=64, flags=0}, 16) = 5`)
	checkLine(t, decodeLine(t, "getxattrat", -61, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0x4000, 64, 0)),
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value=0x4000, size=64, flags=0}, 16) = -1 ENODATA (No data available)`)
	checkLine(t, decodeLine(t, "getxattrat", 5, [6]uint64{atCwd, 0x1000, 0, 0x2000, 0x3000, 16}, xf, name, args(0, 0, 0)),
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value=NULL, size=0, flags=0}, 16) = 5`)
	checkLine(t, decodeLine(t, "listxattrat", 7, [6]uint64{atCwd, 0x1000, 0x1000, 0x3000, 64}, xf, wire.Cap{Arg: 3, Data: []byte("user.a\x00")}),
		`listxattrat(AT_FDCWD, "xf", AT_EMPTY_PATH, "user.a\0", 64) = 7`)
	checkLine(t, decodeLine(t, "listxattrat", 7, [6]uint64{atCwd, 0x1000, 0, 0, 0}, xf),
		`listxattrat(AT_FDCWD, "xf", 0, NULL, 0) = 7`)
	checkLine(t, decodeLine(t, "removexattrat", -61, [6]uint64{0xdeadbeefffffff9c, 0x1000, 0x1100, 0x2000}, xf, name),
		`removexattrat(AT_FDCWD, "xf", AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH, "user.a") = -1 ENODATA (No data available)`)
}

const xattratC = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
struct xattr_args { unsigned long long value; unsigned size, flags; };
int main(void) {
	char buf[64], list[64];
	struct xattr_args a = {(unsigned long)"hello", 5, 1};
	struct { struct xattr_args a; unsigned long long pad[2]; } big = {{(unsigned long)"v\0", 2, 0}, {0, 0x1234}};
	close(open("xf", O_CREAT | O_WRONLY, 0600));
	if (syscall(463, AT_FDCWD, "xf", 0, "user.a", &a, sizeof(a)) && errno == ENOSYS)
		return 77;
	syscall(463, AT_FDCWD, "xf", AT_SYMLINK_NOFOLLOW, "user.a", &a, sizeof(a));
	syscall(463, AT_FDCWD, "xf", 0, "user.b", &big, sizeof(big));
	big.pad[1] = 0;
	syscall(463, AT_FDCWD, "xf", 0, "user.b", &big, sizeof(big));
	syscall(463, AT_FDCWD, "xf", 0, "user.c", &a, 8);
	syscall(463, AT_FDCWD, "xf", 0xfffffffffffffeffULL, "user.c", 0, 16);
	struct xattr_args g = {(unsigned long)buf, sizeof(buf), 0};
	syscall(464, AT_FDCWD, "xf", 0, "user.a", &g, sizeof(g));
	syscall(464, AT_FDCWD, "xf", 0, "user.zz", &g, sizeof(g));
	struct xattr_args g0 = {0, 0, 0};
	syscall(464, AT_FDCWD, "xf", 0, "user.a", &g0, sizeof(g0));
	struct xattr_args g1 = {(unsigned long)buf, 2, 0};
	syscall(464, AT_FDCWD, "xf", 0, "user.a", &g1, sizeof(g1));
	syscall(466, AT_FDCWD, "xf", 0, "user.b");
	syscall(465, AT_FDCWD, "xf", 0, list, sizeof(list));
	syscall(465, AT_FDCWD, "xf", 0, 0, 0);
	syscall(465, AT_FDCWD, "xf", AT_EMPTY_PATH, list, 2);
	syscall(466, AT_FDCWD, "xf", 0, "user.a");
	syscall(466, 0xdeadbeefffffff9cULL, "xf", 0x1100, "user.none");
	return 0;
}
`

// TestLiveXattrat: a program's *xattrat calls as strace 7.2 printed them.
func TestLiveXattrat(t *testing.T) {
	fhLiveCheck(t, "xattrat", xattratC, "setxattrat,getxattrat,listxattrat,removexattrat", []string{
		`setxattrat(AT_FDCWD, "xf", 0, "user.a", {value="hello", size=5, flags=XATTR_CREATE}, 16) = 0`,
		`setxattrat(AT_FDCWD, "xf", AT_SYMLINK_NOFOLLOW, "user.a", {value="hello", size=5, flags=XATTR_CREATE}, 16) = -1 EEXIST (File exists)`,
		`setxattrat(AT_FDCWD, "xf", 0, "user.b", {value="v", size=2, flags=0, /* bytes 16..31 */ "\x00\x00\x00\x00\x00\x00\x00\x00\x34\x12\x00\x00\x00\x00\x00\x00"}, 32) = -1 E2BIG (Argument list too long)`,
		`setxattrat(AT_FDCWD, "xf", 0, "user.b", {value="v", size=2, flags=0}, 32) = 0`,
		`setxattrat(AT_FDCWD, "xf", 0, "user.c", 0x7ffc27158280, 8) = -1 EINVAL (Invalid argument)`,
		`setxattrat(AT_FDCWD, "xf", AT_EMPTY_PATH|0xffffeeff, "user.c", NULL, 16) = -1 EFAULT (Bad address)`,
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value="hello", size=64, flags=0}, 16) = 5`,
		`getxattrat(AT_FDCWD, "xf", 0, "user.zz", {value=0x7ffc271582d0, size=64, flags=0}, 16) = -1 ENODATA (No data available)`,
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value=NULL, size=0, flags=0}, 16) = 5`,
		`getxattrat(AT_FDCWD, "xf", 0, "user.a", {value=0x7ffc271582d0, size=2, flags=0}, 16) = -1 ERANGE (Numerical result out of range)`,
		`removexattrat(AT_FDCWD, "xf", 0, "user.b") = 0`,
		`listxattrat(AT_FDCWD, "xf", 0, "user.a\0", 64) = 7`,
		`listxattrat(AT_FDCWD, "xf", 0, NULL, 0) = 7`,
		`listxattrat(AT_FDCWD, "xf", AT_EMPTY_PATH, 0x7ffc27158290, 2) = -1 ERANGE (Numerical result out of range)`,
		`removexattrat(AT_FDCWD, "xf", 0, "user.a") = 0`,
		`removexattrat(AT_FDCWD, "xf", AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH, "user.none") = -1 ENODATA (No data available)`,
	})
}
