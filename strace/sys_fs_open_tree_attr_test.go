package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// open_tree_attr: the lines strace 7.2 printed for the same calls.

func TestFamOpenTreeAttr(t *testing.T) {
	tmp := []wire.Cap{{Arg: 1, Data: []byte("/tmp")}, {Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: []byte("/tmp\x00")}}
	attr := func(vs ...uint64) wire.Cap { return wire.Cap{Arg: 3, Data: u64s(vs...)} }
	checkLine(t, decodeLine(t, "open_tree_attr", 3, [6]uint64{atCwd, 0x1000, 0x80001, 0x2000, 32}, append(tmp, attr(1, 2, 0, 0))...),
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=MOUNT_ATTR_NOSUID, propagation=0 /* MS_??? */, userns_fd=0}, 32) = 3`)
	checkLine(t, decodeLine(t, "open_tree_attr", 3, [6]uint64{atCwd, 0x1000, 1, 0, 0}, tmp...),
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_CLONE, NULL, 0) = 3`)
	checkLine(t, decodeLine(t, "open_tree_attr", -22, [6]uint64{atCwd, 0x1000, 0x9906, 0x2000, 8}, tmp...),
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_NAMESPACE|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0x4, 0x2000, 8) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "open_tree_attr", -22, [6]uint64{0xffffffff, 0x1000, 0xffffffff, 0x2000, 40}, append(tmp, attr(0x200000, 0x100000, 1<<18, 0, 9))...),
		`open_tree_attr(-1, "/tmp", OPEN_TREE_CLONE|OPEN_TREE_NAMESPACE|OPEN_TREE_CLOEXEC|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xfff766fc, {attr_set=MOUNT_ATTR_NOSYMFOLLOW, attr_clr=MOUNT_ATTR_IDMAP, propagation=MS_PRIVATE, userns_fd=0, /* bytes 32..39 */ "\x09\x00\x00\x00\x00\x00\x00\x00"}, 40) = -1 EINVAL (Invalid argument)`)
	// MOUNT_ATTR__ATIME: the three atime bits and 0x40 at once.
	checkLine(t, decodeLine(t, "open_tree_attr", -2, [6]uint64{atCwd, 0x1000, 0x80000, 0x2000, 32}, append(tmp, attr(^uint64(0), 2, 0, 0))...),
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_CLOEXEC, {attr_set=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC|MOUNT_ATTR__ATIME|MOUNT_ATTR_NODIRATIME|MOUNT_ATTR_IDMAP|MOUNT_ATTR_NOSYMFOLLOW|0xffffffffffcfff00, attr_clr=MOUNT_ATTR_NOSUID, propagation=0 /* MS_??? */, userns_fd=0}, 32) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "open_tree_attr", -2, [6]uint64{atCwd, 0x1000, 0, 0x2000, 32}, append(tmp, attr(0x10, 0x20, 0, 0))...),
		`open_tree_attr(AT_FDCWD, "/tmp", 0, {attr_set=MOUNT_ATTR_NOATIME, attr_clr=MOUNT_ATTR_STRICTATIME, propagation=0 /* MS_??? */, userns_fd=0}, 32) = -1 ENOENT (No such file or directory)`)
}

const openTreeAttrC = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
struct mattr { unsigned long long set, clr, prop, userns; };
int main(void) {
	struct mattr a = {1, 0x2, 0, 0};
	struct { struct mattr a; unsigned long long pad; } big = {{0x200000, 0x100000, 1 << 18, 0}, 9};
	int fd = syscall(467, AT_FDCWD, "/tmp", 1 | O_CLOEXEC, &a, sizeof(a));
	if (fd < 0 && errno == ENOSYS)
		return 77;
	close(fd);
	syscall(467, AT_FDCWD, "/tmp", 1, 0, 0);
	syscall(467, AT_FDCWD, "/tmp", 2 | 4 | 0x100 | 0x800 | 0x1000 | 0x8000, &a, 8);
	syscall(467, -1, "/nonexistent", 0xffffffff, &big, sizeof(big));
	syscall(467, AT_FDCWD, "/nonexistent", 1, &big, sizeof(big));
	a.set = 0xffffffffffffffffULL;
	syscall(467, AT_FDCWD, "/nonexistent", 0x80000, &a, sizeof(a));
	return 0;
}
`

// TestLiveOpenTreeAttr: a program's open_tree_attr calls (a clone of
// /tmp's mount, detached, closed at once) as strace 7.2 printed them.
func TestLiveOpenTreeAttr(t *testing.T) {
	fhLiveCheck(t, "opentreeattr", openTreeAttrC, "open_tree_attr", []string{
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=MOUNT_ATTR_NOSUID, propagation=0 /* MS_??? */, userns_fd=0}, 32) = 3`,
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_CLONE, NULL, 0) = 3`,
		`open_tree_attr(AT_FDCWD, "/tmp", OPEN_TREE_NAMESPACE|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0x4, 0x7ffda087c340, 8) = -1 EINVAL (Invalid argument)`,
		`open_tree_attr(-1, "/nonexistent", OPEN_TREE_CLONE|OPEN_TREE_NAMESPACE|OPEN_TREE_CLOEXEC|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xfff766fc, {attr_set=MOUNT_ATTR_NOSYMFOLLOW, attr_clr=MOUNT_ATTR_IDMAP, propagation=MS_PRIVATE, userns_fd=0, /* bytes 32..39 */ "\x09\x00\x00\x00\x00\x00\x00\x00"}, 40) = -1 EINVAL (Invalid argument)`,
		`open_tree_attr(AT_FDCWD, "/nonexistent", OPEN_TREE_CLONE, {attr_set=MOUNT_ATTR_NOSYMFOLLOW, attr_clr=MOUNT_ATTR_IDMAP, propagation=MS_PRIVATE, userns_fd=0, /* bytes 32..39 */ "\x09\x00\x00\x00\x00\x00\x00\x00"}, 40) = -1 ENOENT (No such file or directory)`,
		`open_tree_attr(AT_FDCWD, "/nonexistent", OPEN_TREE_CLOEXEC, {attr_set=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC|MOUNT_ATTR__ATIME|MOUNT_ATTR_NODIRATIME|MOUNT_ATTR_IDMAP|MOUNT_ATTR_NOSYMFOLLOW|0xffffffffffcfff00, attr_clr=MOUNT_ATTR_NOSUID, propagation=0 /* MS_??? */, userns_fd=0}, 32) = -1 ENOENT (No such file or directory)`,
	})
}
