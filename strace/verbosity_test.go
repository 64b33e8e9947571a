package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// -v (Options.Abbrev empty) and -e verbose= (Options.Verbose) against
// lines strace 6.1 printed (its tests lstat, statx, getrusage, wait4-v).

var (
	optNoAbbrev   = Options{StrSize: 32, Abbrev: []uint32{}}
	optNonVerbose = Options{StrSize: 32, Verbose: []uint32{}}
)

// statAmd64 is x86_64's struct stat of /dev/full.
func statAmd64() []byte {
	b := make([]byte, 144)
	le.PutUint64(b[0:], 6)        // st_dev makedev(0, 6)
	le.PutUint64(b[8:], 5)        // st_ino
	le.PutUint64(b[16:], 1)       // st_nlink
	le.PutUint32(b[24:], 0o20666) // st_mode
	le.PutUint64(b[40:], 0x107)   // st_rdev makedev(1, 7)
	le.PutUint64(b[56:], 4096)    // st_blksize
	for k := 0; k < 3; k++ {
		le.PutUint64(b[72+16*k:], 1795146593)
		le.PutUint64(b[80+16*k:], 303152835)
	}
	return b
}

func TestVerboseStat(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("x86_64's struct stat")
	}
	args := [6]uint64{0x1000, 0x2000}
	caps := []wire.Cap{{Arg: 0, Data: []byte("/dev/full")}, {Arg: 1, Data: statAmd64()}}
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "lstat", 0, args, caps...),
		`lstat("/dev/full", {st_dev=makedev(0, 0x6), st_ino=5, st_mode=S_IFCHR|0666, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=0, st_rdev=makedev(0x1, 0x7), st_atime=1795146593 /* 2026-11-20T03:49:53.303152835+0000 */, st_atime_nsec=303152835, st_mtime=1795146593 /* 2026-11-20T03:49:53.303152835+0000 */, st_mtime_nsec=303152835, st_ctime=1795146593 /* 2026-11-20T03:49:53.303152835+0000 */, st_ctime_nsec=303152835}) = 0`)
	checkLine(t, decodeLine(t, "lstat", 0, args, caps...),
		`lstat("/dev/full", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x7), ...}) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "lstat", 0, args, caps...),
		`lstat("/dev/full", 0x2000) = 0`)
	// -e abbrev=SET: only the calls of SET are abbreviated.
	nr, _ := Number("lstat")
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, Abbrev: []uint32{nr}}, "lstat", 0, args, caps...),
		`lstat("/dev/full", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x7), ...}) = 0`)
}

func TestVerboseStatx(t *testing.T) {
	b := make([]byte, 256)
	le.PutUint32(b[0:], 0x1fff) // STATX_ALL|STATX_MNT_ID
	le.PutUint32(b[4:], 4096)
	le.PutUint32(b[16:], 1)
	le.PutUint16(b[28:], 0o20666)
	le.PutUint64(b[32:], 5)
	le.PutUint64(b[56:], 0x203070)
	for k := 0; k < 4; k++ {
		le.PutUint64(b[64+16*k:], 1795146593)
		le.PutUint32(b[72+16*k:], 303152835)
	}
	le.PutUint32(b[128:], 1)
	le.PutUint32(b[132:], 7)
	le.PutUint32(b[140:], 6)
	le.PutUint64(b[144:], 0x18)
	args := [6]uint64{atCwd, 0x1000, 0, 0xfff, 0x2000}
	caps := []wire.Cap{{Arg: 1, Data: []byte("/dev/full")}, {Arg: 4, Data: b}}
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "statx", 0, args, caps...),
		`statx(AT_FDCWD, "/dev/full", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_blksize=4096, stx_attributes=0, stx_nlink=1, stx_uid=0, stx_gid=0, stx_mode=S_IFCHR|0666, stx_ino=5, stx_size=0, stx_blocks=0, stx_attributes_mask=STATX_ATTR_IMMUTABLE|STATX_ATTR_APPEND|STATX_ATTR_NODUMP|STATX_ATTR_AUTOMOUNT|STATX_ATTR_MOUNT_ROOT|STATX_ATTR_DAX, stx_atime={tv_sec=1795146593, tv_nsec=303152835} /* 2026-11-20T03:49:53.303152835+0000 */, stx_btime={tv_sec=1795146593, tv_nsec=303152835} /* 2026-11-20T03:49:53.303152835+0000 */, stx_ctime={tv_sec=1795146593, tv_nsec=303152835} /* 2026-11-20T03:49:53.303152835+0000 */, stx_mtime={tv_sec=1795146593, tv_nsec=303152835} /* 2026-11-20T03:49:53.303152835+0000 */, stx_rdev_major=1, stx_rdev_minor=7, stx_dev_major=0, stx_dev_minor=6, stx_mnt_id=0x18}) = 0`)
	checkLine(t, decodeLine(t, "statx", 0, args, caps...),
		`statx(AT_FDCWD, "/dev/full", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFCHR|0666, stx_size=0, ...}) = 0`)
}

func TestVerboseRusage(t *testing.T) {
	ru := make([]byte, rusageSize)
	le.PutUint64(ru[8:], 750)
	le.PutUint64(ru[32:], 30180) // ru_maxrss
	le.PutUint64(ru[64:], 55)    // ru_minflt
	le.PutUint64(ru[136:], 1)    // ru_nivcsw
	args := [6]uint64{0, 0x1000}
	cp := wire.Cap{Arg: 1, Data: ru}
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "getrusage", 0, args, cp),
		`getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=750}, ru_stime={tv_sec=0, tv_usec=0}, ru_maxrss=30180, ru_ixrss=0, ru_idrss=0, ru_isrss=0, ru_minflt=55, ru_majflt=0, ru_nswap=0, ru_inblock=0, ru_oublock=0, ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=0, ru_nivcsw=1}) = 0`)
	checkLine(t, decodeLine(t, "getrusage", 0, args, cp),
		`getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=750}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "getrusage", 0, args, cp), `getrusage(RUSAGE_SELF, 0x1000) = 0`)
}

// TestVerboseIPCFlagsZero: msgsnd's and shmat's zero flags are "0" under
// -X verbose too (printflags with no name for zero), as ipc_msgbuf-Xverbose
// expects.
func TestVerboseIPCFlagsZero(t *testing.T) {
	opt := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, opt, "shmat", -22, [6]uint64{123456, 0, 0}), `shmat(123456, NULL, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "msgsnd", -14, [6]uint64{123456, 0, 14, 0}), `msgsnd(123456, NULL, 14, 0) = -1 EFAULT (Bad address)`)
}

// TestVerbosePoll: -v lifts -s's limit on poll's arrays (print_array and
// decode_poll_exiting's max_strlen apply under abbrev only), as ppoll-v
// expects.
func TestVerbosePoll(t *testing.T) {
	b := make([]byte, 3*8)
	for k := 0; k < 3; k++ {
		le.PutUint32(b[8*k:], 3)
		le.PutUint16(b[8*k+4:], 1)
		le.PutUint16(b[8*k+6:], 1)
	}
	in, out := "{fd=3, events=POLLIN}", "{fd=3, revents=POLLIN}"
	args := [6]uint64{0x1000, 3, 0}
	cp := wire.Cap{Arg: 0, Data: b}
	checkLine(t, decodeLineOpt(t, Options{StrSize: 2, Abbrev: []uint32{}}, "poll", 3, args, cp),
		`poll([`+in+`, `+in+`, `+in+`], 3, 0) = 3 ([`+out+`, `+out+`, `+out+`])`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 2}, "poll", 3, args, cp),
		`poll([`+in+`, `+in+`, ...], 3, 0) = 3 ([`+out+`, `+out+`, ...])`)
}

// TestVerbosePerfEventOpen: perf_event_open's scalars, as
// perf_event_open_nonverbose expects (-e verbose=none: the attr's address).
func TestVerbosePerfEventOpen(t *testing.T) {
	checkLine(t, decodeLineOpt(t, optNonVerbose, "perf_event_open", -22, [6]uint64{0, 0xfacef00d, 0xbadabba7, 0xffffffff, 0xffffffffffffffff}),
		`perf_event_open(NULL, -87101427, -1160070233, -1, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT|PERF_FLAG_PID_CGROUP|PERF_FLAG_FD_CLOEXEC|0xfffffffffffffff0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "perf_event_open", -7, [6]uint64{0x7f0546d2af00, 0xffffff9c, 0x64, 0xface1e55, 0xf}),
		`perf_event_open(0x7f0546d2af00, -100, 100, -87155115, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT|PERF_FLAG_PID_CGROUP|PERF_FLAG_FD_CLOEXEC) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "perf_event_open", 3, [6]uint64{0x1000, 0, 0xffffffff, 0xffffffff, 0}),
		`perf_event_open(0x1000, 0, -1, -1, 0) = 3`)
}

// TestVerboseMmsg: under -e verbose=none recvmmsg's timeout is its address
// and its result says nothing of the time left, as mmsg-silent expects.
func TestVerboseMmsg(t *testing.T) {
	ts := wire.Cap{Arg: 4, Data: u64s(0, 12343045)}
	checkLine(t, decodeLineOpt(t, optNonVerbose, "recvmmsg", 1, [6]uint64{3, 0x7ffd69451070, 1, 0x40, 0x7ffd69451060}, ts),
		`recvmmsg(3, 0x7ffd69451070, 1, MSG_DONTWAIT, 0x7ffd69451060) = 1`)
	checkLine(t, decodeLine(t, "recvmmsg", 1, [6]uint64{3, 0x7ffd69451070, 1, 0x40, 0x7ffd69451060}, ts),
		`recvmmsg(3, 0x7ffd69451070, 1, MSG_DONTWAIT, {tv_sec=0, tv_nsec=12343045}) = 1 (left {tv_sec=0, tv_nsec=12343045})`)
}

// TestVerboseArrays: -v lifts -s's limit on arrays (strace's print_array
// under abbrev only): setgroups' ids, writev's iovecs (strace -s2 with and
// without -v).
func TestVerboseArrays(t *testing.T) {
	ids := wire.Cap{Arg: 1, Data: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}}
	s2, s2v := Options{StrSize: 2}, Options{StrSize: 2, Abbrev: []uint32{}}
	checkLine(t, decodeLineOpt(t, s2, "setgroups", 0, [6]uint64{3, 0x1000}, ids), `setgroups(3, [1, 2, ...]) = 0`)
	checkLine(t, decodeLineOpt(t, s2v, "setgroups", 0, [6]uint64{3, 0x1000}, ids), `setgroups(3, [1, 2, 3]) = 0`)
	caps := []wire.Cap{{Arg: 1, Idx: 0, Data: u64s(0x2000, 1, 0x3000, 1, 0x4000, 1)},
		{Arg: 1, Idx: 1, Data: []byte("a")}, {Arg: 1, Idx: 2, Data: []byte("b")}, {Arg: 1, Idx: 3, Data: []byte("c")}}
	checkLine(t, decodeLineOpt(t, s2, "writev", 3, [6]uint64{1, 0x1000, 3}, caps...),
		`writev(1, [{iov_base="a", iov_len=1}, {iov_base="b", iov_len=1}, ...], 3) = 3`)
	checkLine(t, decodeLineOpt(t, s2v, "writev", 3, [6]uint64{1, 0x1000, 3}, caps...),
		`writev(1, [{iov_base="a", iov_len=1}, {iov_base="b", iov_len=1}, {iov_base="c", iov_len=1}], 3) = 3`)
}

// TestVerboseArgv: execve's argv shows at most -s elements, then "...",
// unless -v (strace's printargv; strace -s2 /bin/true a b).
func TestVerboseArgv(t *testing.T) {
	caps := []wire.Cap{{Arg: 0, Data: []byte("/bin/true")}, {Arg: 2, Data: []byte{35, 0, 0, 0}},
		{Arg: 1, Idx: 0, Data: []byte("/bin/true")}, {Arg: 1, Idx: 1, Data: []byte("a")}, {Arg: 1, Idx: 2, Data: []byte("b")}}
	args := [6]uint64{0x1000, 0x2000, 0x7ffc72303e88}
	checkLine(t, decodeLineOpt(t, Options{StrSize: 2}, "execve", -2, args, caps...),
		`execve("/bin/true", ["/b"..., "a", ...], 0x7ffc72303e88 /* 35 vars */) = -1 ENOENT (No such file or directory)`)
	// -v: the session's records took execve's whole case (WholeStructs):
	// envp's strings, not their count.
	env := []wire.Cap{caps[0], caps[2], caps[3], caps[4], {Arg: 2, Idx: 0, Data: []byte("A=1")}, {Arg: 2, Idx: 1, Data: []byte("BB")}}
	checkLine(t, decodeLineOpt(t, Options{StrSize: 2, Abbrev: []uint32{}}, "execve", -2, args, env...),
		`execve("/bin/true", ["/b"..., "a", "b"], ["A="..., "BB"]) = -1 ENOENT (No such file or directory)`)
}

// TestVerboseNoneExecve: -e verbose=none prints execve's argv and envp as
// addresses (strace -e verbose=none /bin/true a).
func TestVerboseNoneExecve(t *testing.T) {
	caps := []wire.Cap{{Arg: 0, Data: []byte("/bin/true")}, {Arg: 2, Data: []byte{35, 0, 0, 0}},
		{Arg: 1, Idx: 0, Data: []byte("/bin/true")}, {Arg: 1, Idx: 1, Data: []byte("a")}}
	checkLine(t, decodeLineOpt(t, optNonVerbose, "execve", -2, [6]uint64{0x1000, 0x7ffd1e5a1f38, 0x7ffd1e5a1f50}, caps...),
		`execve("/bin/true", 0x7ffd1e5a1f38, 0x7ffd1e5a1f50) = -1 ENOENT (No such file or directory)`)
}

// TestVerboseUname: uname's every field under -v (strace -v uname -a).
func TestVerboseUname(t *testing.T) {
	b := make([]byte, 6*65)
	for k, f := range []string{"Linux", "vm", "6.18.44-fc-v595", "#1 SMP PREEMPT_DYNAMIC @0", "x86_64", "(none)"} {
		copy(b[65*k:], f)
	}
	cp := wire.Cap{Arg: 0, Data: b}
	checkLine(t, decodeLineOpt(t, optNoAbbrev, "uname", 0, [6]uint64{0x1000}, cp),
		`uname({sysname="Linux", nodename="vm", release="6.18.44-fc-v595", version="#1 SMP PREEMPT_DYNAMIC @0", machine="x86_64", domainname="(none)"}) = 0`)
	checkLine(t, decodeLine(t, "uname", 0, [6]uint64{0x1000}, cp), `uname({sysname="Linux", nodename="vm", ...}) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "uname", 0, [6]uint64{0x1000}, cp), `uname(0x1000) = 0`)
}

// TestVerboseNoneStructs: the generic struct kinds (structIn, structOut)
// print addresses under -e verbose=none (strace's umove_or_printaddr).
func TestVerboseNoneStructs(t *testing.T) {
	zero := make([]byte, 32)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "setitimer", 0, [6]uint64{0, 0x7f72e4eb5930, 0}, wire.Cap{Arg: 1, Data: zero}),
		`setitimer(ITIMER_REAL, 0x7f72e4eb5930, NULL) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "getitimer", 0, [6]uint64{0, 0x7f72e4eb5930}, wire.Cap{Arg: 1, Data: zero}),
		`getitimer(ITIMER_REAL, 0x7f72e4eb5930) = 0`)
}

// TestVerboseNoneCommon: under -e verbose=none strace prints the structs
// and sets of the calls every program makes as addresses (strace -e
// verbose=none python3: sigsets, sigaction, rlimit, CPU masks).
func TestVerboseNoneCommon(t *testing.T) {
	v := optNonVerbose
	checkLine(t, decodeLineOpt(t, v, "rt_sigprocmask", 0, [6]uint64{0, 0x7ffd3dd247e0, 0x7ffd3dd24860, 8}, wire.Cap{Arg: 1, Data: u64s(1 << 9)}, wire.Cap{Arg: 2, Data: u64s(0)}),
		`rt_sigprocmask(SIG_BLOCK, 0x7ffd3dd247e0, 0x7ffd3dd24860, 8) = 0`)
	checkLine(t, decodeLineOpt(t, v, "rt_sigaction", 0, [6]uint64{12, 0x7ffd3dd24610, 0x7ffd3dd246b0, 8}, wire.Cap{Arg: 1, Data: u64s(1, 0x04000000, 0x7f00, 0)}, wire.Cap{Arg: 2, Data: u64s(0, 0, 0, 0)}),
		`rt_sigaction(SIGUSR2, 0x7ffd3dd24610, 0x7ffd3dd246b0, 8) = 0`)
	checkLine(t, decodeLineOpt(t, v, "prlimit64", 0, [6]uint64{0, 3, 0, 0x7ffd3dd24aa0}, wire.Cap{Arg: 3, Data: u64s(8192*1024, ^uint64(0))}),
		`prlimit64(0, RLIMIT_STACK, NULL, 0x7ffd3dd24aa0) = 0`)
	checkLine(t, decodeLineOpt(t, v, "sched_getaffinity", 8, [6]uint64{0, 8, 0x560ef861c330}, wire.Cap{Arg: 2, Data: []byte{3, 0, 0, 0, 0, 0, 0, 0}}),
		`sched_getaffinity(0, 8, 0x560ef861c330) = 8`)
}
