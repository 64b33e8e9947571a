package strace

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the mount and file system administration calls
// (sys_fs_mount.go, sys_fs_admin.go); each expected line is what strace
// 6.1 printed in its test suite (mount, fsopen, fspick, fsmount,
// open_tree, move_mount, acct, swap, ustat, utime, lookup_dcookie).

func strCap(arg uint8, s string) wire.Cap { return wire.Cap{Arg: arg, Data: []byte(s)} }

func TestFamFsMount(t *testing.T) {
	enoent, efault := -int64(unix.ENOENT), -int64(unix.EFAULT)
	checkLine(t, decodeLine(t, "mount", efault, [6]uint64{}),
		`mount(NULL, NULL, NULL, 0, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mount", efault, [6]uint64{0x7fe75bedc000, 0x7fe75bedc000, 0x7fe75bedc000, 0x4000200, 0x7fe75bedc000}),
		`mount(0x7fe75bedc000, 0x7fe75bedc000, 0x7fe75bedc000, MS_SUBMOUNT|0x200, 0x7fe75bedc000) = -1 EFAULT (Bad address)`)
	strs := []wire.Cap{strCap(0, "mount_source"), strCap(1, "mount_target"), strCap(2, "mount_fstype"), strCap(4, "mount_data")}
	args := func(fl uint64) [6]uint64 { return [6]uint64{0x1000, 0x2000, 0x3000, fl, 0x4000} }
	checkLine(t, decodeLine(t, "mount", enoent, args(0xc0ed000f), strs...),
		`mount("mount_source", "mount_target", "mount_fstype", MS_MGC_VAL|MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, "mount_data") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "mount", enoent, args(0xc0ed0000), strs...),
		`mount("mount_source", "mount_target", "mount_fstype", MS_MGC_VAL, "mount_data") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "mount", enoent, args(0x20), strs...),
		`mount("mount_source", "mount_target", 0x3000, MS_REMOUNT, "mount_data") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "mount", enoent, args(0x1000), strs...),
		`mount("mount_source", "mount_target", 0x3000, MS_BIND, 0x4000) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "mount", enoent, args(0xc0ed000f), strs...),
		`mount("mount_source", "mount_target", "mount_fstype", 0xc0ed0000 /* MS_MGC_VAL */|0xf /* MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC */, "mount_data") = -1 ENOENT (No such file or directory)`)

	checkLine(t, decodeLine(t, "umount2", enoent, [6]uint64{0x1000, 3}, strCap(0, "/nonexistent")),
		`umount2("/nonexistent", MNT_FORCE|MNT_DETACH) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "umount2", -int64(unix.EINVAL), [6]uint64{0x1000, 0x10}, strCap(0, "/x")),
		`umount2("/x", 0x10 /* MNT_??? */) = -1 EINVAL (Invalid argument)`)

	checkLine(t, decodeLine(t, "fsopen", -int64(unix.EINVAL), [6]uint64{0x1000, 0xdefacedffffffff}, strCap(0, "")),
		`fsopen("", FSOPEN_CLOEXEC|0xfffffffe) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fsopen", -int64(unix.EINVAL), [6]uint64{0, 0xdefaced00000002}),
		`fsopen(NULL, 0x2 /* FSOPEN_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fspick", efault, [6]uint64{0xdefacedffffffff, 0x7f03d53a4000, 0xdefaced0000000f}),
		`fspick(-1, 0x7f03d53a4000, FSPICK_CLOEXEC|FSPICK_SYMLINK_NOFOLLOW|FSPICK_NO_AUTOMOUNT|FSPICK_EMPTY_PATH) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "fsmount", -int64(unix.EBADF), [6]uint64{0xffffffff, 0, 0x10}),
		`fsmount(-1, 0, MOUNT_ATTR_NOATIME) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "open_tree", -int64(unix.EINVAL), [6]uint64{0xffffffff, 0x1000, 0x8000}, strCap(1, "/dev/full")),
		`open_tree(-1, "/dev/full", AT_RECURSIVE) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "move_mount", -int64(unix.EINVAL), [6]uint64{0xffffffff, 0x1000, atCwd, 0x2000, 0xffffffff},
		strCap(1, "/dev/full"), strCap(3, "")),
		`move_mount(-1, "/dev/full", AT_FDCWD, "", MOVE_MOUNT_F_SYMLINKS|MOVE_MOUNT_F_AUTOMOUNTS|MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_SYMLINKS|MOVE_MOUNT_T_AUTOMOUNTS|MOVE_MOUNT_T_EMPTY_PATH|MOVE_MOUNT_SET_GROUP|0xfffffe88) = -1 EINVAL (Invalid argument)`)
}

func TestFamFsAdmin(t *testing.T) {
	enoent := -int64(unix.ENOENT)
	checkLine(t, decodeLine(t, "acct", enoent, [6]uint64{0x1000}, strCap(0, "acct_sample")),
		`acct("acct_sample") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "swapon", enoent, [6]uint64{0x1000, 0x802a}, strCap(0, "swap.sample")),
		`swapon("swap.sample", SWAP_FLAG_PREFER|42) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "swapon", -int64(unix.EINVAL), [6]uint64{0x1000, 0xffffffffffffffff}, strCap(0, "swap.sample")),
		`swapon("swap.sample", SWAP_FLAG_PREFER|SWAP_FLAG_DISCARD|SWAP_FLAG_DISCARD_ONCE|SWAP_FLAG_DISCARD_PAGES|0xfff80000|32767) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "swapoff", enoent, [6]uint64{0x1000}, strCap(0, "swap.sample")),
		`swapoff("swap.sample") = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "ustat", -int64(unix.EINVAL), [6]uint64{0xfacefeedffffffff, 0x7fff4e362490}),
		`ustat(makedev(0xfff, 0xfffff), 0x7fff4e362490) = -1 EINVAL (Invalid argument)`)
	u := make([]byte, 32)
	binary.LittleEndian.PutUint32(u, 0xfffffffe)
	binary.LittleEndian.PutUint64(u[8:], 12345)
	checkLine(t, decodeLine(t, "ustat", 0, [6]uint64{0x803, 0x2000}, wire.Cap{Arg: 1, Data: u}),
		`ustat(makedev(0x8, 0x3), {f_tfree=4294967294, f_tinode=12345}) = 0`)
	checkLine(t, decodeLine(t, "utime", enoent, [6]uint64{0x1000, 0}, strCap(0, "")),
		`utime("", NULL) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32}, "utime", enoent, [6]uint64{0x1000, 0x2000},
		strCap(0, "utime\nfilename"), wire.Cap{Arg: 1, Data: u64s(1492350678, 0)}),
		`utime("utime\nfilename", {actime=1492350678 /* 2017-04-16T13:51:18+0000 */, modtime=0}) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "lookup_dcookie", -int64(unix.ENOSYS), [6]uint64{0xf157feeddeadface, 0x7f1aaeef9000, 4096}),
		`lookup_dcookie(17390648783711107790, 0x7f1aaeef9000, 4096) = -1 ENOSYS (Function not implemented)`)
}

func TestFamFsFanotify(t *testing.T) {
	einval := -int64(unix.EINVAL)
	checkLine(t, decodeLine(t, "fanotify_init", 3, [6]uint64{0, 0}), `fanotify_init(FAN_CLASS_NOTIF, O_RDONLY) = 3`)
	checkLine(t, decodeLine(t, "fanotify_init", einval, [6]uint64{0xc, 0x80000001}),
		`fanotify_init(0xc /* FAN_CLASS_??? */, O_WRONLY|0x80000000) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fanotify_init", einval, [6]uint64{0xeface004, 0}),
		`fanotify_init(FAN_CLASS_CONTENT|0xeface000 /* FAN_??? */, O_RDONLY) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fanotify_init", einval, [6]uint64{0xffffffff, 0}),
		`fanotify_init(0xc /* FAN_CLASS_??? */|FAN_CLOEXEC|FAN_NONBLOCK|FAN_UNLIMITED_QUEUE|FAN_UNLIMITED_MARKS|FAN_ENABLE_AUDIT|FAN_REPORT_PIDFD|FAN_REPORT_TID|FAN_REPORT_FID|FAN_REPORT_DIR_FID|FAN_REPORT_NAME|FAN_REPORT_TARGET_FID|0xffffe000, O_RDONLY) = -1 EINVAL (Invalid argument)`)

	checkLine(t, decodeLine(t, "fanotify_mark", einval, [6]uint64{305419896, 0, 0, 1, 0}),
		`fanotify_mark(305419896, 0, 0, 1, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fanotify_mark", einval, [6]uint64{305419896, 0xeface800, 0, 0xffffffff, 0x1000}, strCap(4, "0123456789abcdef")),
		`fanotify_mark(305419896, 0xeface800 /* FAN_MARK_??? */, 0, FAN_NOFD, "0123456789abcdef") = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "fanotify_mark", einval, [6]uint64{0xffffffff, 0, 0xdeadfeedffffffff, atCwd, 0}),
		`fanotify_mark(-1, 0, FAN_ACCESS|FAN_MODIFY|FAN_ATTRIB|FAN_CLOSE_WRITE|FAN_CLOSE_NOWRITE|FAN_OPEN|FAN_MOVED_FROM|FAN_MOVED_TO|FAN_CREATE|FAN_DELETE|FAN_DELETE_SELF|FAN_MOVE_SELF|FAN_OPEN_EXEC|FAN_Q_OVERFLOW|FAN_FS_ERROR|FAN_OPEN_PERM|FAN_ACCESS_PERM|FAN_OPEN_EXEC_PERM|FAN_DIR_MODIFY|FAN_ONDIR|FAN_EVENT_ON_CHILD|FAN_RENAME|0xdeadfeeda7f02000, AT_FDCWD, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "fanotify_mark", einval, [6]uint64{305419896, 0, 0, 0xffffffff, 0}),
		`fanotify_mark(305419896, 0, 0, -1 /* FAN_NOFD */, NULL) = -1 EINVAL (Invalid argument)`)
}

func TestFamFsQuota(t *testing.T) {
	checkLine(t, decodeLine(t, "quotactl_fd", -int64(unix.EBADF), [6]uint64{0xdefacedffffffff, 0xdefaced80000401, 0xdefacedfffffffe, 0x7fd07ee85ffc}),
		`quotactl_fd(-1, QCMD(Q_GETFMT, GRPQUOTA), 0x7fd07ee85ffc) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "quotactl_fd", 0, [6]uint64{3, 0x80000400, 0, 0x2000}, wire.Cap{Arg: 3, Data: []byte{2, 0, 0, 0}}),
		`quotactl_fd(3, QCMD(Q_GETFMT, USRQUOTA), [QFMT_VFS_V0]) = 0`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "quotactl_fd", -int64(unix.ENOSYS), [6]uint64{3, 0x80000400, 0, 0x2000}),
		`quotactl_fd(3, 2147484672 /* QCMD(Q_GETFMT, USRQUOTA) */, 0x2000) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "quotactl", -int64(unix.EINVAL), [6]uint64{0xbadc0ded, 0x7f379c4a6000, 0xca7faced, 0x7f379c2b7000}),
		`quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), 0x7f379c4a6000, 3397364973, 0x7f379c2b7000) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "quotactl", -int64(unix.ENODEV), [6]uint64{0, 0, 0xffffffff, 0}),
		`quotactl(QCMD(0 /* Q_??? */, USRQUOTA), NULL, -1, NULL) = -1 ENODEV (No such device)`)
	checkLine(t, decodeLine(t, "quotactl", -int64(unix.ENOENT), [6]uint64{0x80000300, 0x1000, 0, 0}, strCap(1, "/dev/bogus/")),
		`quotactl(QCMD(Q_QUOTAOFF, USRQUOTA), "/dev/bogus/") = -1 ENOENT (No such file or directory)`)
}

func TestFamFsMountSetattr(t *testing.T) {
	einval := -int64(unix.EINVAL)
	path := strCap(1, "/dev/full")
	attr := func(v ...uint64) wire.Cap { return wire.Cap{Arg: 3, Data: u64s(v...)} }
	checkLine(t, decodeLine(t, "mount_setattr", einval, [6]uint64{0xffffffff, 0x1000, 0xffff66ff, 0, 32}, strCap(1, "")),
		`mount_setattr(-1, "", 0xffff66ff /* AT_??? */, NULL, 32) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", einval, [6]uint64{0xffffffff, 0x1000, 0x9900, 0x7fa27ea55fe1, 31}),
		`mount_setattr(-1, 0x1000, AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE, 0x7fa27ea55fe1, 31) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", einval, [6]uint64{0xffffffff, 0x1000, 0, 0x2000, 32}, path, attr(0xffffffff00000000, 0, 1<<17, 9)),
		`mount_setattr(-1, "/dev/full", 0, {attr_set=0xffffffff00000000 /* MOUNT_ATTR_??? */, attr_clr=0, propagation=MS_UNBINDABLE, userns_fd=9}, 32) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", einval, [6]uint64{0xffffffff, 0x1000, 0, 0x2000, 32}, path, attr(0x3000bf, 0xffffffffffcfff40, 0x140000, 9)),
		`mount_setattr(-1, "/dev/full", 0, {attr_set=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC|MOUNT_ATTR_NOATIME|MOUNT_ATTR_STRICTATIME|MOUNT_ATTR_NODIRATIME|MOUNT_ATTR_IDMAP|MOUNT_ATTR_NOSYMFOLLOW, attr_clr=0xffffffffffcfff40 /* MOUNT_ATTR_??? */, propagation=0x140000 /* MS_??? */, userns_fd=9}, 32) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mount_setattr", einval, [6]uint64{9, 0x1000, 0x1000, 0x2000, 32}, strCap(1, ""), attr(2, 4, 1<<19, 1004211375834136585)),
		`mount_setattr(9, "", AT_EMPTY_PATH, {attr_set=MOUNT_ATTR_NOSUID, attr_clr=MOUNT_ATTR_NODEV, propagation=MS_SLAVE, userns_fd=1004211375834136585}, 32) = -1 EINVAL (Invalid argument)`)
}

// TestFamFsQuotaData: the data quotactl's commands take, captured by
// command (quotaCases), as strace's quota tests print it.
func TestFamFsQuotaData(t *testing.T) {
	enoent := -int64(unix.ENOENT)
	seq := func(n int, from byte) []byte { // strace's fill_memory_ex: from, from+1, ...
		b := make([]byte, n)
		for i := range b {
			b[i] = from + byte(i)
		}
		return b
	}
	ones := func(n int) []byte { return bytes.Repeat([]byte{0xff}, n) }
	const dev = 0x7f0000001000
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x80000200, dev, 1, 0x5000}, strCap(1, "/dev/bogus/"), strCap(3, "/tmp/bogus/")),
		`quotactl(QCMD(Q_QUOTAON, USRQUOTA), "/dev/bogus/", QFMT_VFS_OLD, "/tmp/bogus/") = -1 ENOENT (No such file or directory)`)
	setinfo := seq(dqinfoSize, 0x80)
	le.PutUint32(setinfo[16:], 0xdeadbeef)
	le.PutUint32(setinfo[20:], 0x97969594)
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x80000600, dev, 0, 0x5000}, strCap(1, "/dev/bogus/"), wire.Cap{Arg: 3, Data: setinfo}),
		`quotactl(QCMD(Q_SETINFO, USRQUOTA), "/dev/bogus/", {dqi_bgrace=9765639646188044672, dqi_igrace=10344361028892658056, dqi_flags=DQF_ROOT_SQUASH|DQF_SYS_FILE|0xdeacbeee, dqi_valid=IIF_FLAGS|0x97969590}) = -1 ENOENT (No such file or directory)`)
	getquota := wire.Cap{Arg: 3, Data: ones(dqblkSize)}
	checkLine(t, decodeLine(t, "quotactl", 42, [6]uint64{0x80000700, dev, 0, 0x5000}, strCap(1, "/dev/sda1"), getquota),
		`quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/dev/sda1", 0, {dqb_bhardlimit=18446744073709551615, dqb_bsoftlimit=18446744073709551615, dqb_curspace=18446744073709551615, dqb_ihardlimit=18446744073709551615, dqb_isoftlimit=18446744073709551615, dqb_curinodes=18446744073709551615, ...}) = 42`)
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "quotactl", 42, [6]uint64{0x80000700, dev, 0, 0x5000}, strCap(1, "/dev/sda1"), getquota),
		`quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/dev/sda1", 0, {dqb_bhardlimit=18446744073709551615, dqb_bsoftlimit=18446744073709551615, dqb_curspace=18446744073709551615, dqb_ihardlimit=18446744073709551615, dqb_isoftlimit=18446744073709551615, dqb_curinodes=18446744073709551615, dqb_btime=18446744073709551615, dqb_itime=18446744073709551615, dqb_valid=QIF_BLIMITS|QIF_SPACE|QIF_ILIMITS|QIF_INODES|QIF_BTIME|QIF_ITIME|0xffffffc0}) = 42`)
	// A getter that failed: the address.
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x80000700, dev, 0xffffffff, 0x5000}, strCap(1, "/dev/sda1"), getquota),
		`quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/dev/sda1", -1, 0x5000) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "quotactl", 42, [6]uint64{0x80000900, dev, 0, 0x5000}, strCap(1, "/dev/sda1"), wire.Cap{Arg: 3, Data: ones(nextDqblkSize)}),
		`quotactl(QCMD(Q_GETNEXTQUOTA, USRQUOTA), "/dev/sda1", 0, {dqb_bhardlimit=18446744073709551615, dqb_bsoftlimit=18446744073709551615, dqb_curspace=18446744073709551615, dqb_ihardlimit=18446744073709551615, dqb_isoftlimit=18446744073709551615, dqb_curinodes=18446744073709551615, dqb_id=4294967295, ...}) = 42`)
	xflags := wire.Cap{Arg: 3, Data: []byte{0xff, 0xbe, 0xad, 0xde}}
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x5801 << 8, dev, 0, 0x5000}, strCap(1, "/dev/bogus/"), xflags),
		`quotactl(QCMD(Q_XQUOTAON, USRQUOTA), "/dev/bogus/", [FS_QUOTA_UDQ_ACCT|FS_QUOTA_UDQ_ENFD|FS_QUOTA_GDQ_ACCT|FS_QUOTA_GDQ_ENFD|FS_QUOTA_PDQ_ACCT|FS_QUOTA_PDQ_ENFD|0xdeadbec0]) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x5806<<8 | 1, 0, 0, 0x5000}, xflags),
		`quotactl(QCMD(Q_XQUOTARM, GRPQUOTA), NULL, [FS_USER_QUOTA|FS_PROJ_QUOTA|FS_GROUP_QUOTA|0xdeadbef8]) = -1 ENOENT (No such file or directory)`)
	xdq := seq(xfsDqblkSize, 0x8e)
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "quotactl", enoent, [6]uint64{0x5804<<8 | 2, dev, 3141592653, 0x5000}, strCap(1, "/dev/bogus/"), wire.Cap{Arg: 3, Data: xdq}),
		`quotactl(QCMD(Q_XSETQLIM, PRJQUOTA), "/dev/bogus/", 3141592653, {d_version=-114, d_flags=FS_USER_QUOTA|FS_PROJ_QUOTA|FS_GROUP_QUOTA|0x88, d_fieldmask=0x9190, d_id=2509542290, d_blk_hardlimit=11357123448625731478, d_blk_softlimit=11935844831330344862, d_ino_hardlimit=12514566214034958246, d_ino_softlimit=13093287596739571630, d_bcount=13672008979444185014, d_icount=14250730362148798398, d_itimer=-909588538, d_btimer=-842216502, d_iwarns=53198, d_bwarns=53712, d_rtb_hardlimit=15986894510262638550, d_rtb_softlimit=16565615892967251934, d_rtbcount=17144337275671865318, d_rtbtimer=-235868178, d_rtbwarns=62450}) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "quotactl", enoent, [6]uint64{0x5804<<8 | 2, dev, 3141592653, 0x5000}, strCap(1, "/dev/bogus/"), wire.Cap{Arg: 3, Data: xdq}),
		`quotactl(QCMD(Q_XSETQLIM, PRJQUOTA), "/dev/bogus/", 3141592653, {d_version=-114, d_flags=FS_USER_QUOTA|FS_PROJ_QUOTA|FS_GROUP_QUOTA|0x88, d_fieldmask=0x9190, d_id=2509542290, d_blk_hardlimit=11357123448625731478, d_blk_softlimit=11935844831330344862, d_ino_hardlimit=12514566214034958246, d_ino_softlimit=13093287596739571630, d_bcount=13672008979444185014, d_icount=14250730362148798398, ...}) = -1 ENOENT (No such file or directory)`)
	qstat := wire.Cap{Arg: 3, Data: ones(xfsQStatVSize)}
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "quotactl", 42, [6]uint64{0x5808 << 8, dev, 0, 0x5000}, strCap(1, "/dev/sda1"), qstat),
		`quotactl(QCMD(Q_XGETQSTATV, USRQUOTA), "/dev/sda1", {qs_version=-1, qs_flags=FS_QUOTA_UDQ_ACCT|FS_QUOTA_UDQ_ENFD|FS_QUOTA_GDQ_ACCT|FS_QUOTA_GDQ_ENFD|FS_QUOTA_PDQ_ACCT|FS_QUOTA_PDQ_ENFD|0xffc0, qs_incoredqs=4294967295, qs_uquota={qfs_ino=18446744073709551615, qfs_nblks=18446744073709551615, qfs_nextents=4294967295}, qs_gquota={qfs_ino=18446744073709551615, qfs_nblks=18446744073709551615, qfs_nextents=4294967295}, qs_pquota={qfs_ino=18446744073709551615, qfs_nblks=18446744073709551615, qfs_nextents=4294967295}, qs_btimelimit=-1, qs_itimelimit=-1, qs_rtbtimelimit=-1, qs_bwarnlimit=65535, qs_iwarnlimit=65535}) = 42`)
	checkLine(t, decodeLine(t, "quotactl", 42, [6]uint64{0x5805 << 8, dev, 0, 0x5000}, strCap(1, "/dev/sda1"), qstat),
		`quotactl(QCMD(Q_XGETQSTAT, USRQUOTA), "/dev/sda1", {qs_version=-1, ...}) = 42`)
}
