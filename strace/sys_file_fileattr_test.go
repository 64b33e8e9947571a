package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// file_getattr and file_setattr: the lines strace 7.2 printed for the
// same calls.

func TestFamFileAttr(t *testing.T) {
	af := wire.Cap{Arg: 1, Data: []byte("af")}
	attr := func(xflags uint64, extsize, nextents, projid, cow uint32, tail ...uint64) wire.Cap {
		b := append(u64s(xflags, uint64(extsize)|uint64(nextents)<<32, uint64(projid)|uint64(cow)<<32), u64s(tail...)...)
		return wire.Cap{Arg: 2, Data: b}
	}
	checkLine(t, decodeLine(t, "file_getattr", 0, [6]uint64{atCwd, 0x1000, 0x2000, 24, 0x100}, af, attr(0x10, 1, 2, 0xcafe, 4)),
		`file_getattr(AT_FDCWD, "af", {fa_xflags=FS_XFLAG_APPEND, fa_extsize=1, fa_nextents=2, fa_projid=0xcafe, fa_cowextsize=4}, 24, AT_SYMLINK_NOFOLLOW) = 0`)
	checkLine(t, decodeLine(t, "file_getattr", -22, [6]uint64{atCwd, 0x1000, 0x2000, 8, 0}, af),
		`file_getattr(AT_FDCWD, "af", 0x2000, 8, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "file_getattr", -14, [6]uint64{atCwd, 0x1000, 0, 24, 0}, af),
		`file_getattr(AT_FDCWD, "af", NULL, 24, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "file_setattr", -22, [6]uint64{atCwd, 0x1000, 0x2000, 24, 0}, af, attr(^uint64(0), 1, 2, 0xcafe, 4)),
		`file_setattr(AT_FDCWD, "af", {fa_xflags=FS_XFLAG_REALTIME|FS_XFLAG_PREALLOC|FS_XFLAG_IMMUTABLE|FS_XFLAG_APPEND|FS_XFLAG_SYNC|FS_XFLAG_NOATIME|FS_XFLAG_NODUMP|FS_XFLAG_RTINHERIT|FS_XFLAG_PROJINHERIT|FS_XFLAG_NOSYMLINKS|FS_XFLAG_EXTSIZE|FS_XFLAG_EXTSZINHERIT|FS_XFLAG_NODEFRAG|FS_XFLAG_FILESTREAM|FS_XFLAG_DAX|FS_XFLAG_COWEXTSIZE|FS_XFLAG_VERITY|FS_XFLAG_HASATTR|FS_XFLAG_CASEFOLD|FS_XFLAG_CASENONPRESERVING|0xffffffff7ff00004, fa_extsize=1, fa_projid=0xcafe, fa_cowextsize=4}, 24, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "file_setattr", -22, [6]uint64{atCwd, 0x1000, 0x2000, 24, 0}, af, attr(1<<40, 0, 0, 0, 0)),
		`file_setattr(AT_FDCWD, "af", {fa_xflags=0x10000000000 /* FS_XFLAG_??? */, fa_extsize=0, fa_projid=0, fa_cowextsize=0}, 24, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "file_setattr", -7, [6]uint64{0xffffffff, 0x1000, 0x2000, 40, 0x1000}, wire.Cap{Arg: 1, Data: nil}, attr(0x10, 0, 0, 0, 0, 0, 7)),
		`file_setattr(-1, "", {fa_xflags=FS_XFLAG_APPEND, fa_extsize=0, fa_projid=0, fa_cowextsize=0, /* bytes 24..39 */ "\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00"}, 40, AT_EMPTY_PATH) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "file_setattr", -7, [6]uint64{atCwd, 0x1000, 0x2000, 8192, 0xffffffff}, af),
		`file_setattr(AT_FDCWD, "af", 0x2000, 8192, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0xffffeeff) = -1 E2BIG (Argument list too long)`)
}

const fileAttrC = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
struct fattr { unsigned long long xflags; unsigned extsize, nextents, projid, cowextsize; };
int main(void) {
	struct fattr a;
	struct { struct fattr a; unsigned long long pad[2]; } big;
	memset(&a, 0, sizeof(a));
	memset(&big, 0, sizeof(big));
	close(open("af", O_CREAT | O_WRONLY, 0600));
	if (syscall(468, AT_FDCWD, "af", &a, sizeof(a), 0) && errno == ENOSYS)
		return 77;
	syscall(468, AT_FDCWD, "af", &big, sizeof(big), 0);
	syscall(468, AT_FDCWD, "af", &a, 8, 0);
	syscall(468, AT_FDCWD, "af", 0, sizeof(a), 0);
	a.xflags = 0xffffffffffffffffULL; a.extsize = 1; a.nextents = 2; a.projid = 0xcafe; a.cowextsize = 4;
	syscall(469, AT_FDCWD, "af", &a, sizeof(a), 0);
	a.xflags = 0x10; a.projid = 0;  a.extsize = 0; a.cowextsize = 0;
	syscall(469, AT_FDCWD, "af", &a, sizeof(a), 0xffffffff);
	big.a = a; big.pad[1] = 7;
	syscall(469, -1, "", &big, sizeof(big), AT_EMPTY_PATH);
	syscall(469, AT_FDCWD, "af", &big, 8192, 0);
	return 0;
}
`

// TestLiveFileAttr: a program's file_getattr and file_setattr calls as
// strace 7.2 printed them.
func TestLiveFileAttr(t *testing.T) {
	fhLiveCheck(t, "fileattr", fileAttrC, "file_getattr,file_setattr", []string{
		`file_getattr(AT_FDCWD, "af", {fa_xflags=0, fa_extsize=0, fa_nextents=0, fa_projid=0, fa_cowextsize=0}, 24, 0) = 0`,
		`file_getattr(AT_FDCWD, "af", {fa_xflags=0, fa_extsize=0, fa_nextents=0, fa_projid=0, fa_cowextsize=0}, 40, 0) = 0`,
		`file_getattr(AT_FDCWD, "af", 0x7ffd1a587770, 8, 0) = -1 EINVAL (Invalid argument)`,
		`file_getattr(AT_FDCWD, "af", NULL, 24, 0) = -1 EFAULT (Bad address)`,
		`file_setattr(AT_FDCWD, "af", {fa_xflags=FS_XFLAG_REALTIME|FS_XFLAG_PREALLOC|FS_XFLAG_IMMUTABLE|FS_XFLAG_APPEND|FS_XFLAG_SYNC|FS_XFLAG_NOATIME|FS_XFLAG_NODUMP|FS_XFLAG_RTINHERIT|FS_XFLAG_PROJINHERIT|FS_XFLAG_NOSYMLINKS|FS_XFLAG_EXTSIZE|FS_XFLAG_EXTSZINHERIT|FS_XFLAG_NODEFRAG|FS_XFLAG_FILESTREAM|FS_XFLAG_DAX|FS_XFLAG_COWEXTSIZE|FS_XFLAG_VERITY|FS_XFLAG_HASATTR|FS_XFLAG_CASEFOLD|FS_XFLAG_CASENONPRESERVING|0xffffffff7ff00004, fa_extsize=1, fa_projid=0xcafe, fa_cowextsize=4}, 24, 0) = -1 EINVAL (Invalid argument)`,
		`file_setattr(AT_FDCWD, "af", {fa_xflags=FS_XFLAG_APPEND, fa_extsize=0, fa_projid=0, fa_cowextsize=0}, 24, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0xffffeeff) = -1 EINVAL (Invalid argument)`,
		`file_setattr(-1, "", {fa_xflags=FS_XFLAG_APPEND, fa_extsize=0, fa_projid=0, fa_cowextsize=0, /* bytes 24..39 */ "\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00"}, 40, AT_EMPTY_PATH) = -1 E2BIG (Argument list too long)`,
		`file_setattr(AT_FDCWD, "af", 0x7ffd1a587740, 8192, 0) = -1 E2BIG (Argument list too long)`,
	})
}
