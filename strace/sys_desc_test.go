package strace

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the descriptor calls (see family_test.go).

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
	// strace 6.1's test fcntl: a struct f_owner_ex 8 bytes before an
	// unreadable page (captured by command).
	checkLine(t, decodeLine(t, "fcntl", 0, [6]uint64{0, 15, 0x7f73b5e00ff8}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0, 0x4d, 2, 0, 0}}),
		`fcntl(0, F_SETOWN_EX, {type=F_OWNER_TID, pid=589}) = 0`)
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

func TestFamDescMisc(t *testing.T) {
	checkLine(t, decodeLine(t, "pipe2", 0, [6]uint64{0x1000, unix.O_CLOEXEC | unix.O_NONBLOCK}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 8, 0, 0, 0}}),
		`pipe2([7, 8], O_NONBLOCK|O_CLOEXEC) = 0`)
	checkLine(t, decodeLine(t, "lseek", -int64(unix.EINVAL), [6]uint64{3, 0, 9}), `lseek(3, 0, 0x9 /* SEEK_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "lseek", 1220, [6]uint64{3, ^uint64(0), 1}), `lseek(3, -1, SEEK_CUR) = 1220`)
	checkLine(t, decodeLine(t, "dup3", 31, [6]uint64{3, 31, unix.O_CLOEXEC}), `dup3(3, 31, O_CLOEXEC) = 31`)
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

// TestDents: getdents' entries are counted in the kernel (CKDents), over
// all the bytes returned, however many more than one capture holds.
func TestDents(t *testing.T) {
	cnt := func(n uint32) []byte { return binary.LittleEndian.AppendUint32(nil, n) }
	args := [6]uint64{3, 0x5624ffd7a790, 32768}
	checkLine(t, decodeLine(t, "getdents64", 16048, args, wire.Cap{Arg: 1, Data: cnt(502)}),
		`getdents64(3, 0x5624ffd7a790 /* 502 entries */, 32768) = 16048`)
	checkLine(t, decodeLine(t, "getdents64", 0, args, wire.Cap{Arg: 1, Data: cnt(0)}),
		`getdents64(3, 0x5624ffd7a790 /* 0 entries */, 32768) = 0`)
	// Past wire.DentsMax entries, or memory that could not be read.
	checkLine(t, decodeLine(t, "getdents64", 32768, args, wire.Cap{Arg: 1, Flags: wire.CapTrunc, Data: cnt(wire.DentsMax)}),
		`getdents64(3, 0x5624ffd7a790 /* 16384+ entries */, 32768) = 32768`)
	checkLine(t, decodeLine(t, "getdents64", -int64(unix.EBADF), [6]uint64{^uint64(0), 0x5624ffd7a790, 32768}),
		`getdents64(-1, 0x5624ffd7a790, 32768) = -1 EBADF (Bad file descriptor)`)
	// More than the buffer: strace shows the address alone.
	checkLine(t, decodeLine(t, "getdents64", 40000, args, wire.Cap{Arg: 1, Data: cnt(9)}),
		`getdents64(3, 0x5624ffd7a790, 32768) = 40000`)
	checkLine(t, decodeLine(t, "getdents", 16048, args, wire.Cap{Arg: 1, Data: cnt(502)}),
		`getdents(3, 0x5624ffd7a790 /* 502 entries */, 32768) = 16048`)
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

// dup3's flags are open's (less the access mode); sendfile's offset is
// unsigned and shows => [new] only when the call returned more than 0;
// memfd_create reads the name as strace does (MFD_NAME_MAX_LEN + 1 bytes)
// and prints the huge page size as N<<MFD_HUGE_SHIFT.
func TestFamDescDup3SendfileMemfd(t *testing.T) {
	einval := -int64(unix.EINVAL)
	checkLine(t, decodeLine(t, "dup3", einval, [6]uint64{0xfffffffe, 0xffffffff, 0x200}),
		`dup3(-2, -1, O_TRUNC) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "dup3", einval, [6]uint64{0xfffffffd, 0, 0x80200}),
		`dup3(-3, 0, O_TRUNC|O_CLOEXEC) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "dup3", einval, [6]uint64{0xfffffffb, 7, 1}),
		`dup3(-5, 7, 0x1 /* O_??? */) = -1 EINVAL (Invalid argument)`)

	checkLine(t, decodeLine(t, "sendfile", einval, [6]uint64{4, 5, 0x1000, 1}, wire.Cap{Arg: 2, Data: u64s(0xcafef00dfacefeed)}),
		`sendfile(4, 5, [14627392582579060461], 1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sendfile", 0, [6]uint64{4, 5, 0x1000, 1}, wire.Cap{Arg: 2, Data: u64s(233811181)}),
		`sendfile(4, 5, [233811181], 1) = 0`)
	checkLine(t, decodeLine(t, "sendfile", 1, [6]uint64{4, 5, 0x1000, 1}, wire.Cap{Arg: 2, Data: u64s(1)}),
		`sendfile(4, 5, [0] => [1], 1) = 1`)

	name := make([]byte, memfdNameMax)
	for i := range name {
		name[i] = '0' + byte(i%10)
	}
	opt := Options{StrSize: 256}
	checkLine(t, decodeLineOpt(t, opt, "memfd_create", einval, [6]uint64{0x1000, 0xfacefeed00000007}, wire.Cap{Arg: 0, Data: name}),
		`memfd_create("`+string(name)+`"..., MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB) = -1 EINVAL (Invalid argument)`)
	name[memfdNameMax-1] = 0
	checkLine(t, decodeLineOpt(t, opt, "memfd_create", einval, [6]uint64{0x1000, 30 << 26}, wire.Cap{Arg: 0, Data: name}),
		`memfd_create("`+string(name[:memfdNameMax-1])+`", 30<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "memfd_create", einval, [6]uint64{0x1000, 0}, wire.Cap{Arg: 0, Data: name}),
		`memfd_create("01234567890123456789012345678901"..., 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "memfd_create", einval, [6]uint64{0, 0xffffffffffffffff}),
		`memfd_create(NULL, MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{ConstStyle: ConstVerbose}, "memfd_create", einval, [6]uint64{0, 0xffffffffffffffff}),
		`memfd_create(NULL, 0xffffffff /* MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT */) = -1 EINVAL (Invalid argument)`)
}

// openat2's struct open_how: under 24 bytes the address; flags of all 64
// bits; the mode with O_CREAT, __O_TMPFILE, or not 0.
func TestFamDescOpenat2(t *testing.T) {
	einval := -int64(unix.EINVAL)
	path := wire.Cap{Arg: 1, Data: []byte("openat2.sample")}
	how := func(fl, mode, res uint64) wire.Cap { return wire.Cap{Arg: 2, Data: u64s(fl, mode, res)} }
	checkLine(t, decodeLine(t, "openat2", einval, [6]uint64{0xffffffff, 0x1000, 0x7f01506abfe8, 11}, path, how(0xffffffff, 0, 0)),
		`openat2(-1, "openat2.sample", 0x7f01506abfe8, 11) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "openat2", einval, [6]uint64{0xffffffff, 0x1000, 0x2000, 24}, path, how(0xdeadface80000000, 0o777, 0)),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|0xdeadface80000000, mode=0777, resolve=0}, 24) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "openat2", einval, [6]uint64{0xffffffff, 0x1000, 0x2000, 24}, path, how(0x400000, 0, 0)),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|__O_TMPFILE, mode=000, resolve=0}, 24) = -1 EINVAL (Invalid argument)`)
	// Bytes past 24 (strace 6.1's test openat2): not readable, not zero.
	part := wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: u64s(0x80, 0, 0)}
	checkLine(t, decodeLine(t, "openat2", -int64(unix.EFAULT), [6]uint64{0xffffffff, 0x1000, 0x2000, 32}, path, part),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|O_EXCL, resolve=0, ???}, 32) = -1 EFAULT (Bad address)`)
	tail := wire.Cap{Arg: 2, Data: append(u64s(0x80, 0, 0), 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87)}
	checkLine(t, decodeLine(t, "openat2", -int64(unix.E2BIG), [6]uint64{0xffffffff, 0x1000, 0x2000, 32}, path, tail),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|O_EXCL, resolve=0, /* bytes 24..31 */ "\x80\x81\x82\x83\x84\x85\x86\x87"}, 32) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 4}, "openat2", -int64(unix.E2BIG), [6]uint64{0xffffffff, 0x1000, 0x2000, 32}, path, tail),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|O_EXCL, resolve=0, /* bytes 24..31 */ "\x80\x81\x82\x83"...}, 32) = -1 E2BIG (Argument list too long)`)
	zero := wire.Cap{Arg: 2, Data: u64s(0x80, 0, 0, 0)}
	checkLine(t, decodeLine(t, "openat2", 3, [6]uint64{0xffffffff, 0x1000, 0x2000, 32}, path, zero),
		`openat2(-1, "openat2.sample", {flags=O_RDONLY|O_EXCL, resolve=0}, 32) = 3`)
}
