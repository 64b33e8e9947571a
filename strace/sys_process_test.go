package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
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
