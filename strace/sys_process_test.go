package strace

import (
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests for the process, memory, signal and network families; each expected line
// is what strace 6.1 printed for the same call on this machine.

func u64s(vs ...uint64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func TestFamMemory(t *testing.T) {
	checkLine(t, decodeLine(t, "mmap", 0x7fae2b896000, [6]uint64{0x7fae2b896000, 438272, 5, 0x812, 3, 0x2000}),
		`mmap(0x7fae2b896000, 438272, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000) = 0x7fae2b896000`)
	checkLine(t, decodeLine(t, "mmap", 0x7f27c9cba000, [6]uint64{0, 8392704, 0, 0x20022, 0xffffffff, 0}),
		`mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f27c9cba000`)
	checkLine(t, decodeLine(t, "mmap", -12, [6]uint64{0, 2097152, 1, 0x40023, 0xffffffff, 0}),
		`mmap(NULL, 2097152, PROT_READ, MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = -1 ENOMEM (Cannot allocate memory)`)
	checkLine(t, decodeLine(t, "brk", 0x55dc344a3000, [6]uint64{0}), `brk(NULL) = 0x55dc344a3000`)
	checkLine(t, decodeLine(t, "madvise", 0, [6]uint64{0x7f27c9cba000, 8368128, 4}), `madvise(0x7f27c9cba000, 8368128, MADV_DONTNEED) = 0`)
	checkLine(t, decodeLine(t, "mprotect", 0, [6]uint64{0x7f62a7d8f000, 4096, 0}), `mprotect(0x7f62a7d8f000, 4096, PROT_NONE) = 0`)
}

func TestFamSignal(t *testing.T) {
	act := u64s(0x7f27ca544720, 0x1c000004, 0x7f27ca4fa050, 0)
	checkLine(t, decodeLine(t, "rt_sigaction", 0, [6]uint64{33, 0x1000, 0, 8}, wire.Cap{Arg: 1, Data: act}),
		`rt_sigaction(SIGRT_1, {sa_handler=0x7f27ca544720, sa_mask=[], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_SIGINFO, sa_restorer=0x7f27ca4fa050}, NULL, 8) = 0`)
	act = u64s(1, 0x14000000, 0x7f27ca4fa050, 1<<14)
	old := u64s(0, 0, 0, 0)
	checkLine(t, decodeLine(t, "rt_sigaction", 0, [6]uint64{15, 0x1000, 0x2000, 8}, wire.Cap{Arg: 1, Data: act}, wire.Cap{Arg: 2, Data: old}),
		`rt_sigaction(SIGTERM, {sa_handler=SIG_IGN, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f27ca4fa050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`)
	// All but INT, RTMIN and RT_1: printed as the complement.
	mask := ^uint64(0) &^ (1<<1 | 1<<31 | 1<<32)
	checkLine(t, decodeLine(t, "rt_sigprocmask", 0, [6]uint64{0, 0x1000, 0, 8}, wire.Cap{Arg: 1, Data: u64s(mask)}),
		`rt_sigprocmask(SIG_BLOCK, ~[INT RTMIN RT_1], NULL, 8) = 0`)
	checkLine(t, decodeLine(t, "rt_sigprocmask", 0, [6]uint64{0, 0x1000, 0x2000, 8}, wire.Cap{Arg: 1, Data: u64s(^uint64(0))}, wire.Cap{Arg: 2, Data: u64s(0)}),
		`rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0`)
	checkLine(t, decodeLine(t, "rt_sigprocmask", 0, [6]uint64{0, 0x1000, 0, 8}, wire.Cap{Arg: 1, Data: u64s(1<<1 | 1<<9)}),
		`rt_sigprocmask(SIG_BLOCK, [INT USR1], NULL, 8) = 0`)
	checkLine(t, decodeLine(t, "kill", 0, [6]uint64{3689, 0}), `kill(3689, 0) = 0`)
}

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

func TestFamNetwork(t *testing.T) {
	in := []byte{2, 0, 0xb4, 0xbd, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "connect", 0, [6]uint64{4, 0x1000, 16}, wire.Cap{Arg: 1, Data: in}),
		`connect(4, {sa_family=AF_INET, sin_port=htons(46269), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`)
	un := append([]byte{1, 0}, []byte("/var/run/nscd/socket\x00")...)
	checkLine(t, decodeLine(t, "connect", -2, [6]uint64{3, 0x1000, 110}, wire.Cap{Arg: 1, Data: un}),
		`connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "socket", 3, [6]uint64{1, 0x80801, 0}), `socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3`)
	checkLine(t, decodeLine(t, "socket", 3, [6]uint64{2, 0x80001, 0}), `socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3`)
	v6 := make([]byte, 28)
	v6[0], v6[3], v6[23] = 10, 9, 1
	checkLine(t, decodeLine(t, "sendto", 4, [6]uint64{6, 0x1000, 4, 0, 0x2000, 28}, wire.Cap{Arg: 1, Data: []byte("ping")}, wire.Cap{Arg: 4, Data: v6}),
		`sendto(6, "ping", 4, 0, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 4`)
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 2, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{1, 0, 0, 0}}),
		`setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0`)
	checkLine(t, decodeLine(t, "getsockname", 0, [6]uint64{8, 0x1000, 0x2000}, wire.Cap{Arg: 1, Data: []byte{1, 0}}, wire.Cap{Arg: 2, Data: []byte{2, 0, 0, 0}}),
		`getsockname(8, {sa_family=AF_UNIX}, [2]) = 0`)
	checkLine(t, decodeLine(t, "socketpair", 0, [6]uint64{1, 0x80001, 0, 0x1000}, wire.Cap{Arg: 3, Data: []byte{8, 0, 0, 0, 9, 0, 0, 0}}),
		`socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [8, 9]) = 0`)
	checkLine(t, decodeLine(t, "shutdown", 0, [6]uint64{4, 1}), `shutdown(4, SHUT_WR) = 0`)
}
