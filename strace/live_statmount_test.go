package strace

import (
	"regexp"
	"testing"
)

// statmount traced live (strace 6.1 does not know it): a program that
// mounts a tmpfs of its own on /tmp, in a mount namespace of its own,
// and asks statmount about it with several masks, on a buffer on its
// stack; the lines strace 7.2 printed for it.

const statmountC = `
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
struct req { unsigned size, fd; unsigned long long mnt_id, param, ns_id; };
int main(void) {
	struct statx stx;
	char buf[4096] __attribute__((aligned(8)));
	if (unshare(CLONE_NEWNS) || mount("none", "/", 0, MS_REC | MS_PRIVATE, 0))
		return 77;
	if (mount("eproc-stm", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=700"))
		return 77;
	if (statx(AT_FDCWD, "/tmp", 0, 0x4000 /* STATX_MNT_ID_UNIQUE */, &stx))
		return 77;
	struct req r = {24, 0, stx.stx_mnt_id, 0x3f, 0};
	long n = syscall(457, &r, buf, sizeof buf, 0);
	if (n < 0 && errno == ENOSYS)
		return 77;
	r.param = 0x1fc0;
	syscall(457, &r, buf, sizeof buf, 0);
	r.size = 32; r.param = 0x6000;
	syscall(457, &r, buf, sizeof buf, 0);
	r.param = 0x3f;
	syscall(457, &r, buf, 16, 0);
	syscall(457, &r, 0, sizeof buf, 0);
	syscall(457, &r, buf, sizeof buf, 2);
	r.mnt_id = 1;
	syscall(457, &r, buf, sizeof buf, 0);
	syscall(457, 0, buf, sizeof buf, 0);
	return 0;
}
`

// reStatmountIDs: what differs from one run (one machine) to the next:
// ids, the tmpfs's device minor.
var reStatmountIDs = regexp.MustCompile(`\b(mnt_id|mnt_parent_id|mnt_id_old|mnt_parent_id_old|mnt_ns_id|sb_dev_minor)=(0x[0-9a-fA-FDR]+|\d+)`)

func statmountLive(t *testing.T, want []string, opts ...string) {
	t.Helper()
	got := fhLive(t, "statmount", statmountC, "statmount", opts...)
	for i := range got {
		got[i] = reStatmountIDs.ReplaceAllString(got[i], "$1=ID")
	}
	for i := range want {
		want[i] = reStatmountIDs.ReplaceAllString(normalize(want[i], nil), "$1=ID")
	}
	checkLines(t, got, want)
}

// TestLiveStatmount: the program's calls as strace 7.2 printed them.
func TestLiveStatmount(t *testing.T) {
	statmountLive(t, []string{
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE}, {size=526, mask=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE, sb_dev_major=0, sb_dev_minor=39, sb_magic=TMPFS_MAGIC, sb_flags=0, fs_type="tmpfs", mnt_id=0x80000481, mnt_parent_id=0x8000046c, mnt_id_old=0x41, mnt_parent_id_old=0x2c, mnt_attr=MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV, mnt_propagation=MS_PRIVATE, mnt_peer_group=0, mnt_master=0, propagate_from=0, mnt_root="/", mnt_point="/tmp"}, 4096, 0) = 0`,
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_FS_SUBTYPE|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_OPT_SEC_ARRAY|STATMOUNT_SUPPORTED_MASK}, {size=559, mnt_opts="size=64k,mode=700", mask=STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_SUPPORTED_MASK, mnt_ns_id=0x491, sb_source="eproc-stm", opt_num=2, opt_array=["size=64k", "mode=700"], supported_mask=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE|STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_FS_SUBTYPE|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_OPT_SEC_ARRAY|STATMOUNT_SUPPORTED_MASK|STATMOUNT_MNT_UIDMAP|STATMOUNT_MNT_GIDMAP}, 4096, 0) = 0`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_MNT_UIDMAP|STATMOUNT_MNT_GIDMAP, mnt_ns_id=0}, {size=513, mask=0}, 4096, 0) = 0`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE, mnt_ns_id=0}, 0x7fff11072910, 16, 0) = -1 EOVERFLOW (Value too large for defined data type)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE, mnt_ns_id=0}, NULL, 4096, 0) = -1 EFAULT (Bad address)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000481, param=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE, mnt_ns_id=0}, 0x7fff11072910, 4096, 0x2 /* STATMOUNT_??? */) = -1 EINVAL (Invalid argument)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x1, param=STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE, mnt_ns_id=0}, 0x7fff11072910, 4096, 0) = -1 EINVAL (Invalid argument)`,
		`statmount(NULL, 0x7fff11072910, 4096, 0) = -1 EFAULT (Bad address)`,
	})
}

// TestLiveStatmountStyles: the first calls under -X verbose and -e
// verbose=none, as strace 7.2 printed them.
func TestLiveStatmountStyles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	statmountLive(t, []string{
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x80000498, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */}, {size=526, mask=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, sb_dev_major=0, sb_dev_minor=39, sb_magic=0x1021994 /* TMPFS_MAGIC */, sb_flags=0, fs_type="tmpfs", mnt_id=0x80000498, mnt_parent_id=0x80000483, mnt_id_old=0x41, mnt_parent_id_old=0x2c, mnt_attr=0x6 /* MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV */, mnt_propagation=0x40000 /* MS_PRIVATE */, mnt_peer_group=0, mnt_master=0, propagate_from=0, mnt_root="/", mnt_point="/tmp"}, 4096, 0) = 0`,
		`statmount({size=24, mnt_ns_fd=0, mnt_id=0x80000498, param=0x1fc0 /* STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_FS_SUBTYPE|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_OPT_SEC_ARRAY|STATMOUNT_SUPPORTED_MASK */}, {size=559, mnt_opts="size=64k,mode=700", mask=0x16c0 /* STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_SUPPORTED_MASK */, mnt_ns_id=0x492, sb_source="eproc-stm", opt_num=2, opt_array=["size=64k", "mode=700"], supported_mask=0x7fff /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE|STATMOUNT_MNT_NS_ID|STATMOUNT_MNT_OPTS|STATMOUNT_FS_SUBTYPE|STATMOUNT_SB_SOURCE|STATMOUNT_OPT_ARRAY|STATMOUNT_OPT_SEC_ARRAY|STATMOUNT_SUPPORTED_MASK|STATMOUNT_MNT_UIDMAP|STATMOUNT_MNT_GIDMAP */}, 4096, 0) = 0`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000498, param=0x6000 /* STATMOUNT_MNT_UIDMAP|STATMOUNT_MNT_GIDMAP */, mnt_ns_id=0}, {size=513, mask=0}, 4096, 0) = 0`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000498, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, mnt_ns_id=0}, 0x7ffca5299fb0, 16, 0) = -1 EOVERFLOW (Value too large for defined data type)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000498, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, mnt_ns_id=0}, NULL, 4096, 0) = -1 EFAULT (Bad address)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x80000498, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, mnt_ns_id=0}, 0x7ffca5299fb0, 4096, 0x2 /* STATMOUNT_??? */) = -1 EINVAL (Invalid argument)`,
		`statmount({size=32, mnt_ns_fd=0, mnt_id=0x1, param=0x3f /* STATMOUNT_SB_BASIC|STATMOUNT_MNT_BASIC|STATMOUNT_PROPAGATE_FROM|STATMOUNT_MNT_ROOT|STATMOUNT_MNT_POINT|STATMOUNT_FS_TYPE */, mnt_ns_id=0}, 0x7ffca5299fb0, 4096, 0) = -1 EINVAL (Invalid argument)`,
		`statmount(NULL, 0x7ffca5299fb0, 4096, 0) = -1 EFAULT (Bad address)`,
	}, "-X", "verbose")
	statmountLive(t, []string{
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 4096, 0) = 0`,
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 4096, 0) = 0`,
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 4096, 0) = 0`,
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 16, 0) = -1 EOVERFLOW (Value too large for defined data type)`,
		`statmount(0x7ffffe1eed80, NULL, 4096, 0) = -1 EFAULT (Bad address)`,
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 4096, 0x2 /* STATMOUNT_??? */) = -1 EINVAL (Invalid argument)`,
		`statmount(0x7ffffe1eed80, 0x7ffffe1eeda0, 4096, 0) = -1 EINVAL (Invalid argument)`,
		`statmount(NULL, 0x7ffffe1eeda0, 4096, 0) = -1 EFAULT (Bad address)`,
	}, "-e", "verbose=none")
}
