package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the process calls (see family_test.go).

func TestFamProcess(t *testing.T) {
	checkLine(t, decodeLine(t, "prlimit64", 0, [6]uint64{0, 3, 0, 0x2000}, wire.Cap{Arg: 3, Data: u64s(8192*1024, ^uint64(0))}),
		`prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0`)
	checkLine(t, decodeLine(t, "prlimit64", 0, [6]uint64{0, 7, 0x1000, 0}, wire.Cap{Arg: 2, Data: u64s(1000, 20000)}),
		`prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1000, rlim_max=20000}, NULL) = 0`)
	checkLine(t, decodeLine(t, "rseq", 0, [6]uint64{0x7fae2b892120, 0x20, 0, 0x53053053}), `rseq(0x7fae2b892120, 0x20, 0, 0x53053053) = 0`)
	checkLine(t, decodeLine(t, "set_robust_list", 0, [6]uint64{0x7fae2b891ae0, 24}), `set_robust_list(0x7fae2b891ae0, 24) = 0`)
	checkLine(t, decodeLine(t, "getrandom", 8, [6]uint64{0x1000, 8, 1}, wire.Cap{Arg: 0, Data: []byte{0x10, 0xa5, 0x6c, 0x5a, 0x4c, 0xf7, 0xca, 0xf2}}),
		`getrandom("\x10\xa5\x6c\x5a\x4c\xf7\xca\xf2", 8, GRND_NONBLOCK) = 8`)
	checkLine(t, decodeLine(t, "futex", 0, [6]uint64{0x7fae2bb02a4c, 129, 2147483647}), `futex(0x7fae2bb02a4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0`)
	checkLine(t, decodeLine(t, "futex", 0, [6]uint64{0x7f886b2ac990, 9 | 256, 22155, 0, 0, 0xffffffff}),
		`futex(0x7f886b2ac990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 22155, NULL, FUTEX_BITSET_MATCH_ANY) = 0`)
	checkLine(t, decodeLine(t, "wait4", 3690, [6]uint64{0xffffffffffffffff, 0x1000, 1, 0}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}),
		`wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], WNOHANG, NULL) = 3690`)
	checkLine(t, decodeLine(t, "wait4", 3690, [6]uint64{3690, 0x1000, 0, 0}, wire.Cap{Arg: 1, Data: []byte{0x86, 0, 0, 0}}),
		`wait4(3690, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}], 0, NULL) = 3690`)
	checkLine(t, decodeLine(t, "wait4", 22654, [6]uint64{0xffffffffffffffff, 0x1000, 0, 0x2000}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}, wire.Cap{Arg: 3, Data: u64s(0, 156, 0, 0)}),
		`wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, {ru_utime={tv_sec=0, tv_usec=156}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 22654`)
	checkLine(t, decodeLine(t, "wait4", 0, [6]uint64{27807, 0x7ffff32d918c, 1, 0x7ffff32d9190}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}, wire.Cap{Arg: 3, Data: u64s(0, 0, 0, 0)}),
		`wait4(27807, 0x7ffff32d918c, WNOHANG, 0x7ffff32d9190) = 0`)
	checkLine(t, decodeLine(t, "wait4", -10, [6]uint64{0xffffffffffffffff, 0x7ffff32d918c, 0, 1}), `wait4(-1, 0x7ffff32d918c, 0, 0x1) = -1 ECHILD (No child processes)`)
	checkLine(t, decodeLine(t, "setresuid", 0, [6]uint64{0xffffffff, 0, 0xffffffff}), `setresuid(-1, 0, -1) = 0`)
	checkLine(t, decodeLine(t, "getresgid", 0, [6]uint64{1, 2, 3}, wire.Cap{Arg: 0, Data: []byte{0, 0, 0, 0}}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0}}),
		`getresgid([0], [0], [0]) = 0`)
	if runtime.GOARCH == "amd64" {
		checkLine(t, decodeLine(t, "clone", 3690, [6]uint64{0x1200011, 0, 0, 0x7f865af90a10, 0}),
			`clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f865af90a10) = 3690`)
	}
	checkLine(t, decodeLine(t, "clock_nanosleep", 0, [6]uint64{1, 0, 0x1000, 0}, wire.Cap{Arg: 2, Data: u64s(0, 1000000)}),
		`clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0`)
	checkLine(t, decodeLine(t, "sigaltstack", 0, [6]uint64{0, 0x1000}, wire.Cap{Arg: 1, Data: append(u64s(0), append([]byte{2, 0, 0, 0, 0, 0, 0, 0}, u64s(0)...)...)}),
		`sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0`)
}

// sysinfoBuf is a struct sysinfo (x86_64 and arm64: 112 bytes).
func sysinfoBuf() []byte {
	b := u64s(14097, 131488, 141792, 134528, 25276514304, 23425929216, 8998912, 29937664, 0, 0, 132, 0, 0, 1)
	return b
}

// TestFamCloneOrder: clone's child_tid and tls come in x86-64's order or
// arm64's, and print in strace's (parent_tid, tls, child_tidptr), as the
// guest's strace printed testdata/arm64/prog.c's clone in cmd/eproc's
// TestArm64Guest; parent_tid as the child's id the kernel stored there.
func TestFamCloneOrder(t *testing.T) {
	args := [6]uint64{0, 0, 0x1000, 0x2000, 0x3000}
	if ctid, tls := cloneTidTLS("amd64", args); ctid != 0x2000 || tls != 0x3000 {
		t.Errorf("amd64: child_tid %#x, tls %#x; want 0x2000, 0x3000", ctid, tls)
	}
	if ctid, tls := cloneTidTLS("arm64", args); ctid != 0x3000 || tls != 0x2000 {
		t.Errorf("arm64: child_tid %#x, tls %#x; want 0x3000, 0x2000", ctid, tls)
	}
	// CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID|SIGCHLD, in this
	// architecture's order.
	ctid, tls := uint64(0x41f010), uint64(0x7e57)
	a := [6]uint64{0x1180011, 0, 0x41f014, ctid, tls}
	if runtime.GOARCH == "arm64" {
		a[3], a[4] = tls, ctid
	}
	checkLine(t, decodeLine(t, "clone", 3691, a),
		`clone(child_stack=NULL, flags=CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID|SIGCHLD, parent_tid=[3691], tls=0x7e57, child_tidptr=0x41f010) = 3691`)
	checkLine(t, decodeLine(t, "clone", -22, a),
		`clone(child_stack=NULL, flags=CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID|SIGCHLD, parent_tid=0x41f014, tls=0x7e57, child_tidptr=0x41f010) = -1 EINVAL (Invalid argument)`)
}

func TestFamSysinfo(t *testing.T) {
	checkLine(t, decodeLine(t, "sysinfo", 0, [6]uint64{0x7ffc31c9d450, 0x7ffc31c9d5f8, 7, 0, 1, 2}, wire.Cap{Arg: 0, Data: sysinfoBuf()}),
		`sysinfo({uptime=14097, loads=[131488, 141792, 134528], totalram=25276514304, freeram=23425929216, sharedram=8998912, bufferram=29937664, totalswap=0, freeswap=0, procs=132, totalhigh=0, freehigh=0, mem_unit=1}) = 0`)
	checkLine(t, decodeLine(t, "sysinfo", -14, [6]uint64{0, 0x55c257f47dd8}), `sysinfo(NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "sysinfo", -14, [6]uint64{1, 0x7f2680187829}), `sysinfo(0x1) = -1 EFAULT (Bad address)`)
}

// cldInfo is the first 48 bytes of a siginfo_t of a SIGCHLD.
func cldInfo(code, pid, status uint32) []byte {
	b := make([]byte, 48)
	le.PutUint32(b, 17)
	le.PutUint32(b[8:], code)
	le.PutUint32(b[16:], pid)
	le.PutUint32(b[24:], status)
	return b
}

func TestFamWaitid(t *testing.T) {
	ru := u64s(0, 164, 0, 0)
	checkLine(t, decodeLine(t, "waitid", 0, [6]uint64{1, 7312, 0x1000, 4, 0, 0x4c45}, wire.Cap{Arg: 2, Data: cldInfo(1, 7312, 3)}),
		`waitid(P_PID, 7312, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7312, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL) = 0`)
	checkLine(t, decodeLine(t, "waitid", 0, [6]uint64{0, 0, 0x1000, 4, 0x2000}, wire.Cap{Arg: 2, Data: cldInfo(1, 7313, 0)}, wire.Cap{Arg: 4, Data: ru}),
		`waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7313, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED, {ru_utime={tv_sec=0, tv_usec=164}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0`)
	checkLine(t, decodeLine(t, "waitid", 0, [6]uint64{1, 7314, 0x1000, 5, 0}, wire.Cap{Arg: 2, Data: make([]byte, 48)}),
		`waitid(P_PID, 7314, {}, WNOHANG|WEXITED, NULL) = 0`)
	checkLine(t, decodeLine(t, "waitid", 0, [6]uint64{2, 0, 0x1000, 6, 0}, wire.Cap{Arg: 2, Data: cldInfo(2, 7314, 9)}),
		`waitid(P_PGID, 0, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=7314, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED|WSTOPPED, NULL) = 0`)
	checkLine(t, decodeLine(t, "waitid", -10, [6]uint64{0, 0, 0x7ffc7cb4fae0, 4, 0}), `waitid(P_ALL, 0, 0x7ffc7cb4fae0, WEXITED, NULL) = -1 ECHILD (No child processes)`)
	checkLine(t, decodeLine(t, "waitid", -22, [6]uint64{7, 0, 0, 0, 0}), `waitid(0x7 /* P_??? */, 0, NULL, 0, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "waitid", -22, [6]uint64{0, 0, 0, 0xffffffff, 0}),
		`waitid(P_ALL, 0, NULL, WNOHANG|WEXITED|WSTOPPED|WCONTINUED|WNOWAIT|__WCLONE|__WALL|__WNOTHREAD|0x1efffff0, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "wait4", -10, [6]uint64{0xffffffffffffffff, 0x7ffc60fdce5c, 0xe000000b, 0}),
		`wait4(-1, 0x7ffc60fdce5c, WNOHANG|WSTOPPED|WCONTINUED|__WCLONE|__WALL|__WNOTHREAD, NULL) = -1 ECHILD (No child processes)`)
	checkLine(t, decodeLine(t, "wait4", -22, [6]uint64{0xffffffffffffffff, 0x7ffc60fdce5c, 0x7fff, 0}),
		`wait4(-1, 0x7ffc60fdce5c, WNOHANG|WEXITED|WSTOPPED|WCONTINUED|0x7ff0, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "waitid", -9, [6]uint64{3, 5, 0, 4, 1}), `waitid(P_PIDFD, 5, NULL, WEXITED, 0x1) = -1 EBADF (Bad file descriptor)`)
}

// Lines from strace 6.1 -e trace=personality.
func TestFamPersonality(t *testing.T) {
	checkLine(t, decodeLine(t, "personality", 0, [6]uint64{0xffffffff}), `personality(0xffffffff) = 0 (PER_LINUX)`)
	checkLine(t, decodeLine(t, "personality", 0, [6]uint64{0}), `personality(PER_LINUX) = 0 (PER_LINUX)`)
	checkLine(t, decodeLine(t, "personality", 0, [6]uint64{0x40000}), `personality(PER_LINUX|ADDR_NO_RANDOMIZE) = 0 (PER_LINUX)`)
	checkLine(t, decodeLine(t, "personality", 0x40000, [6]uint64{8}), `personality(PER_LINUX32) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)`)
	checkLine(t, decodeLine(t, "personality", 8, [6]uint64{0x7f}), `personality(0x7f /* PER_??? */) = 0x8 (PER_LINUX32)`)
	checkLine(t, decodeLine(t, "personality", 0x7f, [6]uint64{0x8004007f}), `personality(0x7f /* PER_??? */|ADDR_NO_RANDOMIZE|0x80000000) = 0x7f (0x7f /* PER_??? */)`)
	checkLine(t, decodeLine(t, "personality", 0x8004007f, [6]uint64{0x4100001}),
		`personality(0x1 /* PER_??? */|MMAP_PAGE_ZERO|STICKY_TIMEOUTS) = 0x8004007f (0x7f /* PER_??? */|ADDR_NO_RANDOMIZE|0x80000000)`)
	checkLine(t, decodeLine(t, "personality", 0x20000, [6]uint64{0xfffe0000}),
		`personality(PER_LINUX|UNAME26|ADDR_NO_RANDOMIZE|FDPIC_FUNCPTRS|MMAP_PAGE_ZERO|ADDR_COMPAT_LAYOUT|READ_IMPLIES_EXEC|ADDR_LIMIT_32BIT|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|ADDR_LIMIT_3GB|0xf0000000) = 0x20000 (PER_LINUX|UNAME26)`)
	checkLine(t, decodeLine(t, "personality", 0x10100, [6]uint64{0x20000}), `personality(PER_LINUX|UNAME26) = 0x10100 (PER_LINUX|0x10100)`)
	checkLine(t, decodeLine(t, "personality", 0x11, [6]uint64{0xff}), `personality(PER_MASK) = 0x11 (0x11 /* PER_??? */)`)
	checkLine(t, decodeLine(t, "personality", 0xe, [6]uint64{0xf}), `personality(PER_OSF4) = 0xe (0xe /* PER_??? */)`)
}

// clone3, as strace 6.1's test clone3 prints it: struct clone_args of 64
// bytes or more, its tail past 88 bytes, after the call what it filled.
func TestFamClone3(t *testing.T) {
	args := func(vals ...uint64) wire.Cap { return wire.Cap{Arg: 0, Data: u64s(vals...)} }
	zero := make([]uint64, 11)
	checkLine(t, decodeLine(t, "clone3", -22, [6]uint64{0x7f232435dfc8, 56}), `clone3(0x7f232435dfc8, 56) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "clone3", 14356, [6]uint64{0x1000, 64}, args(zero[:8]...)), `clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0}, 64) = 14356`)
	checkLine(t, decodeLine(t, "clone3", -14, [6]uint64{0x1000, 96}, wire.Cap{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: u64s(zero...)}),
		`clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, ???}, 96) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "clone3", -7, [6]uint64{0x1000, 96}, args(0, 0, 0, 0, 0xdeadface00000011, 0, 0, 0, 0, 0, 0, 0xfacefeeddeadc0de)),
		`clone3({flags=0, exit_signal=16045756810061152273, stack=NULL, stack_size=0, /* bytes 88..95 */ "\xde\xc0\xad\xde\xed\xfe\xce\xfa"}, 96) = -1 E2BIG (Argument list too long)`)
	checkLine(t, decodeLine(t, "clone3", -9, [6]uint64{0x1000, 88}, args(0x200000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
		`clone3({flags=CLONE_INTO_CGROUP, exit_signal=0, stack=NULL, stack_size=0, cgroup=0}, 88) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "clone3", -22, [6]uint64{0x1000, 64}, args(0xface3eefbeefc0de, 0, 0, 0, 0x1e55c0de, 0, 0, 0)),
		`clone3({flags=CLONE_VFORK|CLONE_PARENT|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_CHILD_CLEARTID|CLONE_UNTRACED|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_IO|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP|0xface3eec0040005e, child_tid=NULL, exit_signal=508936414, stack=NULL, stack_size=0, tls=NULL}, 64) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "clone3", 14362, [6]uint64{0x1000, 88}, args(0x100000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
		`clone3({flags=CLONE_PARENT_SETTID, parent_tid=NULL, exit_signal=0, stack=NULL, stack_size=0} => {parent_tid=NULL}, 88) = 14362`)
	// pidfd and parent_tid as the call stored them (wire.CKDeref captures
	// at exit); their addresses when those were not read.
	stored := func(off int, v uint32) wire.Cap {
		return wire.Cap{Arg: 0, Idx: uint16(wire.DerefIdx + off), Data: le.AppendUint32(nil, v)}
	}
	checkLine(t, decodeLine(t, "clone3", 14363, [6]uint64{0x1000, 88}, args(0x101000, 0x7f00, 0, 0x7f10, 17, 0, 0, 0, 0, 0, 0), stored(8, 5), stored(24, 14363)),
		`clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7f00, parent_tid=0x7f10, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[5], parent_tid=[14363]}, 88) = 14363`)
	checkLine(t, decodeLine(t, "clone3", 14363, [6]uint64{0x1000, 88}, args(0x101000, 0x7f00, 0, 0x7f10, 17, 0, 0, 0, 0, 0, 0)),
		`clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x7f00, parent_tid=0x7f10, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=0x7f00, parent_tid=0x7f10}, 88) = 14363`)
	// A struct longer than clone_args: its tail again after the call
	// (clone3-success).
	checkLine(t, decodeLine(t, "clone3", 42, [6]uint64{0x1000, 96}, args(0, 0, 0, 0, 0xdeadface00000011, 0, 0, 0, 0, 0, 0, 0xfacefeeddeadc0de)),
		`clone3({flags=0, exit_signal=16045756810061152273, stack=NULL, stack_size=0, /* bytes 88..95 */ "\xde\xc0\xad\xde\xed\xfe\xce\xfa"} => {/* bytes 88..95 */ "\xde\xc0\xad\xde\xed\xfe\xce\xfa"}, 96) = 42`)
	checkLine(t, decodeLine(t, "clone3", 42, [6]uint64{0x1000, 96}, wire.Cap{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: u64s(zero...)}),
		`clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, ???} => {???}, 96) = 42`)
	checkLine(t, decodeLine(t, "clone3", 42, [6]uint64{0x1000, 96}, args(0x100000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
		`clone3({flags=CLONE_PARENT_SETTID, parent_tid=NULL, exit_signal=0, stack=NULL, stack_size=0} => {parent_tid=NULL}, 96) = 42`)
	checkLine(t, decodeLine(t, "clone3", -22, [6]uint64{0x1000, 88}, args(0, 0, 0, 0, 0, 0, 0, 0, 0xfacefeedcafebabe, 33, 0)),
		`clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, set_tid=0xfacefeedcafebabe, set_tid_size=33}, 88) = -1 EINVAL (Invalid argument)`)
}

// TestCloneUnfinished: clone prints child_stack and flags as it enters
// and, when its flags use them, parent_tid, tls and child_tidptr once it
// returned, as strace's clone decoder: a clone shown unfinished (another
// process's line came between) gives them after "<... clone resumed>"; a
// clone without such flags is whole at entry.
func TestCloneUnfinished(t *testing.T) {
	const flags = 0x1200011 // CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD
	args := [6]uint64{flags, 0, 0, 0x7f865af90a10, 0}
	enter := benchRecord(unix.SYS_CLONE, 7, 0, args)
	le.PutUint16(enter, wire.EvEnter)
	plain := [6]uint64{0x11, 0x7ffd0000} // SIGCHLD alone
	enterPlain := benchRecord(unix.SYS_CLONE, 9, 0, plain)
	le.PutUint16(enterPlain, wire.EvEnter)
	recs := [][]byte{
		enter,
		benchRecord(unix.SYS_GETPID, 8, 8, [6]uint64{}),
		benchRecord(unix.SYS_CLONE, 7, 3690, args),
		enterPlain,
		benchRecord(unix.SYS_GETPID, 8, 8, [6]uint64{}),
		benchRecord(unix.SYS_CLONE, 9, 3691, plain),
	}
	d, txt := newText(Options{Prefix: PrefixFile, Align: -1})
	for _, r := range recs {
		if err := d.Feed(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "7     clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>\n" +
		"8     getpid() = 8\n" +
		"7     <... clone resumed>, child_tidptr=0x7f865af90a10) = 3690\n" +
		"9     clone(child_stack=0x7ffd0000, flags=SIGCHLD <unfinished ...>\n" +
		"8     getpid() = 8\n" +
		"9     <... clone resumed>) = 3691\n"
	if got := string(txt.TakeInto(nil)); got != want {
		t.Errorf("\n got: %q\nwant: %q", got, want)
	}
}
