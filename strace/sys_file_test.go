package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the file calls (see family_test.go).

func statBuf(mode uint32, size int64, rdev uint64) []byte {
	b := make([]byte, stLayout.size)
	binary.LittleEndian.PutUint32(b[stLayout.mode:], mode)
	binary.LittleEndian.PutUint64(b[stLayout.rdev:], rdev)
	binary.LittleEndian.PutUint64(b[stLayout.fsize:], uint64(size))
	return b
}

func TestFamFileStat(t *testing.T) {
	checkLine(t, decodeLine(t, "newfstatat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0},
		wire.Cap{Arg: 1, Data: []byte("/usr/bin/passwd")}, wire.Cap{Arg: 2, Data: statBuf(0o104755, 68248, 0)}),
		`newfstatat(AT_FDCWD, "/usr/bin/passwd", {st_mode=S_IFREG|S_ISUID|0755, st_size=68248, ...}, 0) = 0`)
	checkLine(t, decodeLine(t, "newfstatat", 0, [6]uint64{1, 0x1000, 0x2000, unix.AT_EMPTY_PATH},
		wire.Cap{Arg: 1, Data: []byte("")}, wire.Cap{Arg: 2, Data: statBuf(0o20666, 0, 0x103)}),
		`newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0`)
	checkLine(t, decodeLine(t, "newfstatat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0},
		wire.Cap{Arg: 1, Data: []byte("/tmp")}, wire.Cap{Arg: 2, Data: statBuf(0o41777, 4096, 0)}),
		`newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, 0) = 0`)
	checkLine(t, decodeLine(t, "newfstatat", -int64(unix.EINVAL), [6]uint64{atCwd, 0x1000, 0x7ffc33bdd570, 0xf0000},
		wire.Cap{Arg: 1, Data: []byte("/")}),
		`newfstatat(AT_FDCWD, "/", 0x7ffc33bdd570, 0xf0000 /* AT_??? */) = -1 EINVAL (Invalid argument)`)
}

func TestFamFileStatx(t *testing.T) {
	b := make([]byte, 256)
	binary.LittleEndian.PutUint32(b[0:], 0xfff|0x2000|0x14000)
	binary.LittleEndian.PutUint16(b[28:], 0o104755)
	binary.LittleEndian.PutUint64(b[40:], 68248)
	checkLine(t, decodeLine(t, "statx", 0, [6]uint64{atCwd, 0x1000, 0x2000 | 0x1000, 0x7fffffff, 0x3000},
		wire.Cap{Arg: 1, Data: []byte("/usr/bin/passwd")}, wire.Cap{Arg: 4, Data: b}),
		`statx(AT_FDCWD, "/usr/bin/passwd", AT_STATX_FORCE_SYNC|AT_EMPTY_PATH, STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN|0x7fffc000, {stx_mask=STATX_ALL|STATX_DIOALIGN|0x14000, stx_attributes=0, stx_mode=S_IFREG|S_ISUID|0755, stx_size=68248, ...}) = 0`)
	b = make([]byte, 256)
	binary.LittleEndian.PutUint32(b[0:], 0x17ff)
	binary.LittleEndian.PutUint64(b[8:], 0x2000)
	binary.LittleEndian.PutUint16(b[28:], 0o40755)
	binary.LittleEndian.PutUint64(b[40:], 4096)
	checkLine(t, decodeLine(t, "statx", 0, [6]uint64{atCwd, 0x1000, 0, 0x7ff, 0x3000},
		wire.Cap{Arg: 1, Data: []byte("/")}, wire.Cap{Arg: 4, Data: b}),
		`statx(AT_FDCWD, "/", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0`)
	checkLine(t, decodeLine(t, "statx", -int64(unix.EINVAL), [6]uint64{atCwd, 0x1000, 0x4000 | 0x80000, 0, 0x7ffc33bdd470},
		wire.Cap{Arg: 1, Data: []byte("/")}),
		`statx(AT_FDCWD, "/", AT_STATX_DONT_SYNC|0x80000, 0, 0x7ffc33bdd470) = -1 EINVAL (Invalid argument)`)
}

func TestFamFileStatfs(t *testing.T) {
	b := make([]byte, 120)
	q := func(off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }
	q(0, 0xef53)
	q(8, 4096)
	q(16, 66053021)
	q(24, 63075276)
	q(32, 20897571)
	q(40, 16777216)
	q(48, 16372463)
	binary.LittleEndian.PutUint32(b[56:], 0x9e3900e4)
	binary.LittleEndian.PutUint32(b[60:], 0)
	q(64, 255)
	q(72, 4096)
	q(80, 0x1020)
	checkLine(t, decodeLine(t, "statfs", 0, [6]uint64{0x1000, 0x2000}, wire.Cap{Arg: 0, Data: []byte("/")}, wire.Cap{Arg: 1, Data: b}),
		`statfs("/", {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, f_bfree=63075276, f_bavail=20897571, f_files=16777216, f_ffree=16372463, f_fsid={val=[0x9e3900e4, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0`)
}

func TestFamFileMisc(t *testing.T) {
	path := func(s string) wire.Cap { return wire.Cap{Arg: 0, Data: []byte(s)} }
	checkLine(t, decodeLine(t, "access", -int64(unix.EINVAL), [6]uint64{0x1000, 0x10}, path("/x")),
		`access("/x", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "access", 0, [6]uint64{0x1000, 7}, path("/x")), `access("/x", R_OK|W_OK|X_OK) = 0`)
	checkLine(t, decodeLine(t, "access", 0, [6]uint64{0x1000, 0}, path("/x")), `access("/x", F_OK) = 0`)
	checkLine(t, decodeLine(t, "getxattr", 5, [6]uint64{0x1000, 0x2000, 0x3000, 4096},
		path("/f"), wire.Cap{Arg: 1, Data: []byte("user.foo")}, wire.Cap{Arg: 2, Data: []byte("bar\x00x")}),
		`getxattr("/f", "user.foo", "bar\0x", 4096) = 5`)
	checkLine(t, decodeLine(t, "getxattr", 5, [6]uint64{0x1000, 0x2000, 0, 0},
		path("/f"), wire.Cap{Arg: 1, Data: []byte("user.foo")}),
		`getxattr("/f", "user.foo", NULL, 0) = 5`)
	checkLine(t, decodeLine(t, "lgetxattr", -int64(unix.ENODATA), [6]uint64{0x1000, 0x2000, 0x5624ffd78640, 255},
		path("/usr/share"), wire.Cap{Arg: 1, Data: []byte("security.selinux")}),
		`lgetxattr("/usr/share", "security.selinux", 0x5624ffd78640, 255) = -1 ENODATA (No data available)`)
	checkLine(t, decodeLine(t, "listxattr", 16, [6]uint64{0x1000, 0x2000, 4096},
		path("/f"), wire.Cap{Arg: 1, Data: []byte("user.foo\x00user.b\x00")}),
		`listxattr("/f", "user.foo\0user.b\0", 4096) = 16`)
	checkLine(t, decodeLine(t, "llistxattr", 0, [6]uint64{0x1000, 0x7ffc07bab5a0, 0}, path("/tmp")),
		`llistxattr("/tmp", 0x7ffc07bab5a0, 0) = 0`)
	checkLine(t, decodeLine(t, "getcwd", 13, [6]uint64{0x1000, 4096}, wire.Cap{Arg: 0, Data: []byte("/tmp/famfile\x00")}),
		`getcwd("/tmp/famfile", 4096) = 13`)
	checkLine(t, decodeLine(t, "mkdir", 0, [6]uint64{0x1000, 0}, path("m0")), `mkdir("m0", 000) = 0`)
	checkLine(t, decodeLine(t, "umask", 0o22, [6]uint64{0}), `umask(000) = 022`)
	checkLine(t, decodeLine(t, "fchownat", 0, [6]uint64{atCwd, 0x1000, 0, 0xffffffff, 0x100}, wire.Cap{Arg: 1, Data: []byte("s")}),
		`fchownat(AT_FDCWD, "s", 0, -1, AT_SYMLINK_NOFOLLOW) = 0`)
	checkLine(t, decodeLine(t, "mknodat", 0, [6]uint64{atCwd, 0x1000, 0o20600, 0x103}, wire.Cap{Arg: 1, Data: []byte("c")}),
		`mknodat(AT_FDCWD, "c", S_IFCHR|0600, makedev(0x1, 0x3)) = 0`)
	checkLine(t, decodeLine(t, "mknodat", 0, [6]uint64{atCwd, 0x1000, 0o10644, 0}, wire.Cap{Arg: 1, Data: []byte("f")}),
		`mknodat(AT_FDCWD, "f", S_IFIFO|0644) = 0`)
	ts := make([]byte, 32)
	binary.LittleEndian.PutUint64(ts[8:], 1<<30-1)
	binary.LittleEndian.PutUint64(ts[24:], 1<<30-2)
	checkLine(t, decodeLine(t, "utimensat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: []byte("y")}, wire.Cap{Arg: 2, Data: ts}),
		`utimensat(AT_FDCWD, "y", [UTIME_NOW, UTIME_OMIT], 0) = 0`)
	checkLine(t, decodeLine(t, "unlinkat", 0, [6]uint64{atCwd, 0x1000, 0x200}, wire.Cap{Arg: 1, Data: []byte("d")}),
		`unlinkat(AT_FDCWD, "d", AT_REMOVEDIR) = 0`)
	checkLine(t, decodeLine(t, "renameat2", 0, [6]uint64{atCwd, 0x1000, atCwd, 0x2000, 1}, wire.Cap{Arg: 1, Data: []byte("x")}, wire.Cap{Arg: 3, Data: []byte("y")}),
		`renameat2(AT_FDCWD, "x", AT_FDCWD, "y", RENAME_NOREPLACE) = 0`)
}

// Modes are unsigned shorts (print_numeric_umode_t, mknod's mode); unlinkat
// takes all the *at flags; times print tv_nsec and tv_usec unsigned, and a
// date only when localtime has one (strace's sprinttime_ex).
func TestFamFileModesAndTimes(t *testing.T) {
	path := func(s string) wire.Cap { return wire.Cap{Arg: 0, Data: []byte(s)} }
	eexist := -int64(unix.EEXIST)
	checkLine(t, decodeLine(t, "mkdir", eexist, [6]uint64{0x1000, 0xffffffffffff0000}, path("../mkdir")),
		`mkdir("../mkdir", 000) = -1 EEXIST (File exists)`)
	checkLine(t, decodeLine(t, "mkdir", eexist, [6]uint64{0x1000, 0xffffffffffffffff}, path("../mkdir")),
		`mkdir("../mkdir", 0177777) = -1 EEXIST (File exists)`)
	checkLine(t, decodeLine(t, "umask", 0o777, [6]uint64{0xffffffffffff8fff}), `umask(0107777) = 0777`)
	checkLine(t, decodeLine(t, "mknod", eexist, [6]uint64{0x1000, 0xffffffffffff8000}, path("../mknod")),
		`mknod("../mknod", S_IFREG|000) = -1 EEXIST (File exists)`)
	checkLine(t, decodeLine(t, "mknod", eexist, [6]uint64{0x1000, 0xffffffffffff6fff, 0xbadc0ded}, path("../mknod")),
		`mknod("../mknod", S_IFBLK|S_ISUID|S_ISGID|S_ISVTX|0777, makedev(0xc0d, 0xbaded)) = -1 EEXIST (File exists)`)
	checkLine(t, decodeLine(t, "unlinkat", -int64(unix.EINVAL), [6]uint64{atCwd, 0x1000, 0xffffffff},
		wire.Cap{Arg: 1, Data: []byte("unlinkat_sample")}),
		`unlinkat(AT_FDCWD, "unlinkat_sample", AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xffff60ff) = -1 EINVAL (Invalid argument)`)

	fname := wire.Cap{Arg: 1, Data: []byte("utimensat\nfilename")}
	checkLine(t, decodeLine(t, "utimensat", -int64(unix.ENOENT), [6]uint64{atCwd, 0x1000, 0x2000, 0x100},
		fname, wire.Cap{Arg: 2, Data: u64s(0, 0, 0xcafef00ddeadbeef, 0)}),
		`utimensat(AT_FDCWD, "utimensat\nfilename", [{tv_sec=0, tv_nsec=0}, {tv_sec=-3819351491602432273, tv_nsec=0}], AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "utimensat", -int64(unix.ENOENT), [6]uint64{atCwd, 0x1000, 0x2000, 0x100},
		fname, wire.Cap{Arg: 2, Data: u64s(0xdeadbeef, 0xfacefeed, 0xcafef00ddeadbeef, 0xbadc0dedfacefeed)}),
		`utimensat(AT_FDCWD, "utimensat\nfilename", [{tv_sec=3735928559, tv_nsec=4207869677}, {tv_sec=-3819351491602432273, tv_nsec=13464652301697220333}], AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "utimensat", -int64(unix.ENOENT), [6]uint64{atCwd, 0x1000, 0x2000, 0x100},
		fname, wire.Cap{Arg: 2, Data: u64s(1492358706, 123456789, 1492357068, 234567890)}),
		`utimensat(AT_FDCWD, "utimensat\nfilename", [{tv_sec=1492358706, tv_nsec=123456789} /* 2017-04-16T16:05:06.123456789+0000 */, {tv_sec=1492357068, tv_nsec=234567890} /* 2017-04-16T15:37:48.234567890+0000 */], AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "utimes", -int64(unix.EINVAL), [6]uint64{0x1000, 0x2000},
		wire.Cap{Arg: 0, Data: []byte("utimes_sample")}, wire.Cap{Arg: 1, Data: u64s(0xdeadbeef, 0xfacefeed, 0xcafef00ddeadbeef, 0xbadc0dedfacefeed)}),
		`utimes("utimes_sample", [{tv_sec=3735928559, tv_usec=4207869677}, {tv_sec=-3819351491602432273, tv_usec=13464652301697220333}]) = -1 EINVAL (Invalid argument)`)
}

// setxattr's value is printed as strace's print_xattr_val: a NUL ending it
// left out, a size over XATTR_SIZE_MAX as the address; errno 95 is
// EOPNOTSUPP, as strace names it.
func TestFamFileXattrValue(t *testing.T) {
	name := wire.Cap{Arg: 1, Data: []byte("strace.test")}
	checkLine(t, decodeLine(t, "fsetxattr", -int64(unix.E2BIG), [6]uint64{0xffffffff, 0x1000, 0x7f175ed6efff, 65537, 1},
		name, wire.Cap{Arg: 2, Data: []byte{0xff, 0xff}}),
		`fsetxattr(-1, "strace.test", 0x7f175ed6efff, 65537, XATTR_CREATE) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "setxattr", -int64(unix.EOPNOTSUPP), [6]uint64{0x2000, 0x1000, 0x3000, 8, 1},
		wire.Cap{Arg: 0, Data: []byte(".")}, name, wire.Cap{Arg: 2, Data: []byte("foo\x00bar\x00")}),
		`setxattr(".", "strace.test", "foo\0bar", 8, XATTR_CREATE) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "lsetxattr", -int64(unix.EOPNOTSUPP), [6]uint64{0x2000, 0x1000, 0x3000, 7, 1},
		wire.Cap{Arg: 0, Data: []byte(".")}, name, wire.Cap{Arg: 2, Data: []byte("foo\x00bar")}),
		`lsetxattr(".", "strace.test", "foo\0bar", 7, XATTR_CREATE) = -1 EOPNOTSUPP (Operation not supported)`)
}

// creat's and open's mode is an unsigned short as %#03o (kOctal).
func TestFamFileCreatMode(t *testing.T) {
	path := wire.Cap{Arg: 0, Data: []byte("../creat")}
	checkLine(t, decodeLine(t, "creat", -int64(unix.ETXTBSY), [6]uint64{0x1000, 0xffffffffffff0000}, path),
		`creat("../creat", 000) = -1 ETXTBSY (Text file busy)`)
	checkLine(t, decodeLine(t, "creat", -int64(unix.ETXTBSY), [6]uint64{0x1000, 0xffffffffffffffff}, path),
		`creat("../creat", 0177777) = -1 ETXTBSY (Text file busy)`)
	checkLine(t, decodeLine(t, "creat", -int64(unix.ETXTBSY), [6]uint64{0x1000, 0o40006}, path),
		`creat("../creat", 040006) = -1 ETXTBSY (Text file busy)`)
}

// A path capture cut at PATH_MAX - 1 bytes is whole when the kernel took
// it (the call succeeded, or failed otherwise than ENAMETOOLONG and takes
// no other path), and cut ("...") otherwise.
func TestFamFilePathMax(t *testing.T) {
	long := make([]byte, pathShown)
	for i := range long {
		long[i] = '/'
	}
	cut := wire.Cap{Arg: 0, Data: long, Flags: wire.CapTrunc}
	checkLine(t, decodeLine(t, "chdir", 0, [6]uint64{0x1000}, cut), `chdir("`+string(long)+`") = 0`)
	checkLine(t, decodeLine(t, "chdir", -int64(unix.ENAMETOOLONG), [6]uint64{0x1000}, cut),
		`chdir("`+string(long)+`"...) = -1 ENAMETOOLONG (File name too long)`)
	fcut := cut
	fcut.Arg = 1
	checkLine(t, decodeLine(t, "fspick", -int64(unix.EINVAL), [6]uint64{4, 0x1000, 0xfffffff0}, fcut),
		`fspick(4, "`+string(long)+`", 0xfffffff0 /* FSPICK_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "move_mount", -int64(unix.ENOENT), [6]uint64{4, 0x1000, atCwd, 0x2000, 1}, fcut, wire.Cap{Arg: 3, Data: []byte("")}),
		`move_mount(4, "`+string(long)+`"..., AT_FDCWD, "", MOVE_MOUNT_F_SYMLINKS) = -1 ENOENT (No such file or directory)`)
}
