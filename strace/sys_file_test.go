package strace

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the file and descriptor families for what the oracle
// workloads do not reach. Each expected line is what strace 6.1 printed for
// the same call (see the report of the helper that wrote these).

// decodeLine decodes one complete call and returns its line without the
// newline and with the result column's padding collapsed.
func decodeLine(t *testing.T, name string, ret int64, args [6]uint64, caps ...wire.Cap) string {
	t.Helper()
	nr, ok := Number(name)
	if !ok {
		t.Skipf("no %s on %s", name, runtime.GOARCH)
	}
	d, txt := newText(Options{StrSize: 32})
	if err := d.Feed(benchRecord(nr, 100, ret, args, caps...)); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(string(txt.TakeInto(nil)), "\n")
	if i := strings.Index(out, ") "); i >= 0 {
		j := i + 2
		for j < len(out) && out[j] == ' ' {
			j++
		}
		out = out[:i+2] + out[j:]
	}
	return out
}

func checkLine(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
}

const atCwd = uint64(0xffffffffffffff9c)

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

func TestFamDescFcntl(t *testing.T) {
	checkLine(t, decodeLine(t, "fcntl", 1, [6]uint64{3, 1, 0x1000}), `fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)`)
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{3, 1}), `fcntl(3, F_GETFD) = 0`)
	lf := uint64(0x8000)
	if runtime.GOARCH == "arm64" {
		lf = 0x20000
	}
	want := `fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)`
	if runtime.GOARCH == "arm64" {
		want = `fcntl(3, F_GETFL) = 0x20002 (flags O_RDWR|O_LARGEFILE)`
	}
	checkLine(t, decodeLine(t, "fcntl", int64(lf|2), [6]uint64{3, 3}), want)
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{3, 3}), `fcntl(3, F_GETFL) = 0 (flags O_RDONLY)`)
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{3, 4, unix.O_NONBLOCK}), `fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0`)
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{3, 2, 5}), `fcntl(3, F_SETFD, FD_CLOEXEC|0x4) = 0`)
	checkLine(t, decodeLine(t, "fcntl", 11, [6]uint64{3, 1030, 10}), `fcntl(3, F_DUPFD_CLOEXEC, 10) = 11`)
	checkLine(t, decodeLine(t, "fcntl", -int64(unix.EINVAL), [6]uint64{3, 0x270f, 5}), `fcntl(3, 0x270f /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)`)
	fl := make([]byte, 32)
	binary.LittleEndian.PutUint16(fl[0:], 2)
	binary.LittleEndian.PutUint64(fl[16:], 10)
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{3, 5, 0x1000}, wire.Cap{Arg: 2, Data: fl}),
		`fcntl(3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0}) = 0`)
	checkLine(t, decodeLine(t, "fcntl", 10, [6]uint64{3, 11}), `fcntl(3, F_GETSIG) = 10 (SIGUSR1)`)
	checkLine(t, decodeLine(t, "fcntl", 6, [6]uint64{8, 1034}), `fcntl(8, F_GET_SEALS) = 0x6 (seals F_SEAL_SHRINK|F_SEAL_GROW)`)
	checkLine(t, decodeLine(t, "fcntl", 2, [6]uint64{7, 1025}), `fcntl(7, F_GETLEASE) = 0x2 (F_UNLCK)`)
}

func TestFamDescIoctl(t *testing.T) {
	tio := make([]byte, 36)
	binary.LittleEndian.PutUint32(tio[0:], 0o2400)    // ICRNL|IXON
	binary.LittleEndian.PutUint32(tio[4:], 0o5)       // OPOST|ONLCR
	binary.LittleEndian.PutUint32(tio[8:], 0o277)     // B38400|CS8|CREAD
	binary.LittleEndian.PutUint32(tio[12:], 0o105073) // ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5401, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5402, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", -int64(unix.ENOTTY), [6]uint64{1, 0x5401, 0x7ffc00585820}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(1, TCGETS, 0x7ffc00585820) = -1 ENOTTY (Inappropriate ioctl for device)`)
	ws := []byte{24, 0, 80, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5413, 0x1000}, wire.Cap{Arg: 2, Data: ws}),
		`ioctl(0, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x541b, 0x1000}, wire.Cap{Arg: 2, Data: []byte{0xc5, 4, 0, 0}}),
		`ioctl(3, FIONREAD, [1221]) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x5451}), `ioctl(3, FIOCLEX) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x540a, 1}), `ioctl(0, TCXONC, TCOON) = 0`)
	checkLine(t, decodeLine(t, "ioctl", -int64(unix.ENOTTY), [6]uint64{3, 0x12345678, 5}),
		`ioctl(3, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0x5) = -1 ENOTTY (Inappropriate ioctl for device)`)
}

func TestFamDescMisc(t *testing.T) {
	checkLine(t, decodeLine(t, "pipe2", 0, [6]uint64{0x1000, unix.O_CLOEXEC | unix.O_NONBLOCK}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 8, 0, 0, 0}}),
		`pipe2([7, 8], O_NONBLOCK|O_CLOEXEC) = 0`)
	checkLine(t, decodeLine(t, "lseek", -int64(unix.EINVAL), [6]uint64{3, 0, 9}), `lseek(3, 0, 0x9 /* SEEK_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "lseek", 1220, [6]uint64{3, ^uint64(0), 1}), `lseek(3, -1, SEEK_CUR) = 1220`)
	checkLine(t, decodeLine(t, "dup3", 31, [6]uint64{3, 31, unix.O_CLOEXEC}), `dup3(3, 31, O_CLOEXEC) = 31`)
	// Two linux_dirent64 records of 24 bytes.
	de := make([]byte, 48)
	binary.LittleEndian.PutUint16(de[16:], 24)
	binary.LittleEndian.PutUint16(de[40:], 24)
	checkLine(t, decodeLine(t, "getdents64", 48, [6]uint64{3, 0x5624ffd7a790, 32768}, wire.Cap{Arg: 1, Data: de}),
		`getdents64(3, 0x5624ffd7a790 /* 2 entries */, 32768) = 48`)
	checkLine(t, decodeLine(t, "getdents64", 0, [6]uint64{3, 0x5624ffd7a790, 32768}, wire.Cap{Arg: 1, Data: nil}),
		`getdents64(3, 0x5624ffd7a790 /* 0 entries */, 32768) = 0`)
	checkLine(t, decodeLine(t, "fadvise64", -int64(unix.EINVAL), [6]uint64{7, 0, 0, 99}),
		`fadvise64(7, 0, 0, 0x63 /* POSIX_FADV_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "eventfd2", 14, [6]uint64{0, unix.O_CLOEXEC | unix.O_NONBLOCK}), `eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 14`)
	checkLine(t, decodeLine(t, "sendfile", 10, [6]uint64{13, 3, 0x1000, 10}, wire.Cap{Arg: 2, Data: []byte{10, 0, 0, 0, 0, 0, 0, 0}}),
		`sendfile(13, 3, [0] => [10], 10) = 10`)
	checkLine(t, decodeLine(t, "copy_file_range", 10, [6]uint64{3, 0x1000, 13, 0x2000, 10, 0},
		wire.Cap{Arg: 1, Data: []byte{10, 0, 0, 0, 0, 0, 0, 0}}, wire.Cap{Arg: 3, Data: []byte{10, 0, 0, 0, 0, 0, 0, 0}}),
		`copy_file_range(3, [0], 13, [0], 10, 0) = 10`)
	checkLine(t, decodeLine(t, "close_range", 0, [6]uint64{100, 0xffffffff, 0}), `close_range(100, 4294967295, 0) = 0`)
	checkLine(t, decodeLine(t, "flock", 0, [6]uint64{13, 6}), `flock(13, LOCK_EX|LOCK_NB) = 0`)
	checkLine(t, decodeLine(t, "inotify_init1", 16, [6]uint64{unix.O_CLOEXEC | unix.O_NONBLOCK}), `inotify_init1(IN_NONBLOCK|IN_CLOEXEC) = 16`)
}

func TestFamDescIov(t *testing.T) {
	iov := func(elems ...uint64) []byte {
		b := make([]byte, 8*len(elems))
		for i, v := range elems {
			binary.LittleEndian.PutUint64(b[8*i:], v)
		}
		return b
	}
	checkLine(t, decodeLine(t, "writev", 11, [6]uint64{1, 0x1000, 2},
		wire.Cap{Arg: 1, Idx: 0, Data: iov(0x2000, 5, 0x3000, 6)}, wire.Cap{Arg: 1, Idx: 1, Data: []byte("hello")}, wire.Cap{Arg: 1, Idx: 2, Data: []byte("world\n")}),
		`writev(1, [{iov_base="hello", iov_len=5}, {iov_base="world\n", iov_len=6}], 2) = 11`)
	checkLine(t, decodeLine(t, "readv", 10, [6]uint64{3, 0x1000, 3},
		wire.Cap{Arg: 1, Idx: 0, Data: iov(0x2000, 3, 0x3000, 100, 0x4000, 5000)}, wire.Cap{Arg: 1, Idx: 1, Data: []byte("/bi")}, wire.Cap{Arg: 1, Idx: 2, Data: []byte("n/bash\n")}),
		`readv(3, [{iov_base="/bi", iov_len=3}, {iov_base="n/bash\n", iov_len=100}, {iov_base="", iov_len=5000}], 3) = 10`)
	checkLine(t, decodeLine(t, "readv", -int64(unix.EBADF), [6]uint64{99, 0x1000, 1},
		wire.Cap{Arg: 1, Idx: 0, Data: iov(0x7ffc33bdc46d, 3)}),
		`readv(99, [{iov_base=0x7ffc33bdc46d, iov_len=3}], 1) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "writev", 0, [6]uint64{1, 0x1000, 0}, wire.Cap{Arg: 1, Idx: 0, Data: nil}), `writev(1, [], 0) = 0`)
	checkLine(t, decodeLine(t, "writev", 40, [6]uint64{6, 0x1000, 2},
		wire.Cap{Arg: 1, Idx: 0, Data: iov(0x2000, 40, 0, 0)}, wire.Cap{Arg: 1, Idx: 1, Flags: wire.CapTrunc, Data: []byte(strings.Repeat("z", 32))}, wire.Cap{Arg: 1, Idx: 2, Data: nil}),
		`writev(6, [{iov_base="zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"..., iov_len=40}, {iov_base=NULL, iov_len=0}], 2) = 40`)
}

func TestFamDescPoll(t *testing.T) {
	pfd := []byte{7, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 4, 0}
	checkLine(t, decodeLine(t, "poll", 1, [6]uint64{0x1000, 2, 0}, wire.Cap{Arg: 0, Data: pfd}),
		`poll([{fd=7, events=POLLIN}, {fd=1, events=POLLOUT}], 2, 0) = 1 ([{fd=1, revents=POLLOUT}])`)
	checkLine(t, decodeLine(t, "poll", 0, [6]uint64{0x1000, 1, 10}, wire.Cap{Arg: 0, Data: pfd[:8]}),
		`poll([{fd=7, events=POLLIN}], 1, 10) = 0 (Timeout)`)
	neg := []byte{0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0}
	checkLine(t, decodeLine(t, "poll", 0, [6]uint64{0x1000, 1, 0}, wire.Cap{Arg: 0, Data: neg}), `poll([{fd=-1}], 1, 0) = 0 (Timeout)`)
	set := []byte{0x81}
	checkLine(t, decodeLine(t, "pselect6", 1, [6]uint64{8, 0x1000, 0, 0, 0, 0}, wire.Cap{Arg: 1, Data: set}),
		`pselect6(8, [0 7], NULL, NULL, NULL, NULL) = 1 (in [0 7])`)
	ev := make([]byte, epollEventSize)
	binary.LittleEndian.PutUint32(ev, 0x80000001)
	binary.LittleEndian.PutUint64(ev[epollEventSize-8:], 0x100000005)
	checkLine(t, decodeLine(t, "epoll_ctl", 0, [6]uint64{12, 1, 1, 0x1000}, wire.Cap{Arg: 3, Data: ev}),
		`epoll_ctl(12, EPOLL_CTL_ADD, 1, {events=EPOLLIN|EPOLLET, data={u32=5, u64=4294967301}}) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", 0, [6]uint64{12, 0x1000, 4, 0, 0, 8}), `epoll_pwait(12, [], 4, 0, NULL, 8) = 0`)
	checkLine(t, decodeLine(t, "epoll_pwait", 1, [6]uint64{12, 0x1000, 4, 0, 0, 8}, wire.Cap{Arg: 1, Data: ev}),
		`epoll_pwait(12, [{events=EPOLLIN|EPOLLET, data={u32=5, u64=4294967301}}], 4, 0, NULL, 8) = 1`)
	checkLine(t, decodeLine(t, "ppoll", 1, [6]uint64{0x1000, 1, 0, 0x2000, 8}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 1, 0, 1, 0}}, wire.Cap{Arg: 3, Data: []byte{0, 0, 1, 0, 0, 0, 0, 0}}),
		`ppoll([{fd=7, events=POLLIN}], 1, NULL, [CHLD], 8) = 1 ([{fd=7, revents=POLLIN}])`)
}

// The family decoders must not allocate once the output buffer has grown.
func TestFamAllocs(t *testing.T) {
	var recs [][]byte
	add := func(name string, ret int64, args [6]uint64, caps ...wire.Cap) {
		if nr, ok := Number(name); ok {
			recs = append(recs, benchRecord(nr, 100, ret, args, caps...))
		}
	}
	tio := make([]byte, 36)
	binary.LittleEndian.PutUint32(tio[8:], 0o277)
	sx := make([]byte, 256)
	ts := make([]byte, 32)
	binary.LittleEndian.PutUint64(ts, 1)
	add("newfstatat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: []byte("/x")}, wire.Cap{Arg: 2, Data: statBuf(0o100644, 5, 0)})
	add("statx", 0, [6]uint64{atCwd, 0x1000, 0, 0x7ff, 0x3000}, wire.Cap{Arg: 1, Data: []byte("/")}, wire.Cap{Arg: 4, Data: sx})
	add("fcntl", 0, [6]uint64{3, 2, 1})
	add("fcntl", 0x8002, [6]uint64{3, 3})
	add("ioctl", 0, [6]uint64{0, 0x5401, 0x1000}, wire.Cap{Arg: 2, Data: tio})
	add("ppoll", 1, [6]uint64{0x1000, 1, 0, 0x2000, 8}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 1, 0, 1, 0}}, wire.Cap{Arg: 3, Data: []byte{0, 0, 1, 0, 0, 0, 0, 0}})
	add("utimensat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: []byte("y")}, wire.Cap{Arg: 2, Data: ts})
	add("pselect6", 1, [6]uint64{8, 0x1000, 0, 0, 0, 0}, wire.Cap{Arg: 1, Data: []byte{0x81}})
	d, txt := newText(Options{StrSize: 32})
	var out []byte
	for i := 0; i < 100; i++ {
		for _, r := range recs {
			d.Feed(r)
		}
		out = txt.TakeInto(out[:0])
	}
	n := testing.AllocsPerRun(100, func() {
		for _, r := range recs {
			d.Feed(r)
		}
		out = txt.TakeInto(out[:0])
	})
	if n != 0 {
		t.Errorf("%v allocations per round", n)
	}
}
