package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// fchmodat2: the lines strace 7.2 printed for the same calls.

func TestFamFchmodat2(t *testing.T) {
	f := wire.Cap{Arg: 1, Data: []byte("f2file")}
	checkLine(t, decodeLine(t, "fchmodat2", 0, [6]uint64{atCwd, 0x1000, 0o100644, 0x1100}, f),
		`fchmodat2(AT_FDCWD, "f2file", 0100644, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = 0`)
	checkLine(t, decodeLine(t, "fchmodat2", -22, [6]uint64{0xdeadbeefffffff9c, 0x1000, 0xffffffffffff1777, 0x200}, f),
		`fchmodat2(AT_FDCWD, "f2file", 013567, 0x200 /* AT_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fchmodat2", -22, [6]uint64{0xffffffff, 0, 0, 0xffffffff}),
		`fchmodat2(-1, NULL, 000, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0xffffeeff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "fchmodat2", -22, [6]uint64{5, 0x1000, 0, 0x1234}, f),
		`fchmodat2(5, "f2file", 000, 0x1234 /* AT_EMPTY_PATH|0x234 */) = -1 EINVAL (Invalid argument)`)
}

const fchmodat2C = `#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
	close(open("f2file", O_CREAT | O_WRONLY, 0600));
	if (syscall(452, AT_FDCWD, "f2file", 0644, 0) && errno == ENOSYS)
		return 77;
	syscall(452, AT_FDCWD, "f2file", 04755, AT_SYMLINK_NOFOLLOW);
	syscall(452, AT_FDCWD, "f2file", 0100644, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	syscall(452, 0xdeadbeefffffff9cULL, "nonexistent", 0xffffffffffff1777ULL, 0x200);
	syscall(452, -1, 0, 0, 0xffffffff);
	return 0;
}
`

// TestLiveFchmodat2: a program's fchmodat2 calls as strace 7.2 printed them.
func TestLiveFchmodat2(t *testing.T) {
	fhLiveCheck(t, "fchmodat2", fchmodat2C, "fchmodat2", []string{
		`fchmodat2(AT_FDCWD, "f2file", 0644, 0) = 0`,
		`fchmodat2(AT_FDCWD, "f2file", 04755, AT_SYMLINK_NOFOLLOW) = 0`,
		`fchmodat2(AT_FDCWD, "f2file", 0100644, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = 0`,
		`fchmodat2(AT_FDCWD, "nonexistent", 013567, 0x200 /* AT_??? */) = -1 EINVAL (Invalid argument)`,
		`fchmodat2(-1, NULL, 000, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0xffffeeff) = -1 EINVAL (Invalid argument)`,
	})
}
