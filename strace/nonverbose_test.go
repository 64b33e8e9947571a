package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// -e verbose=none (Options.Verbose empty): what strace 6.1 prints as an
// address because it fetches it with umove_or_printaddr, printnum_*,
// tfetch_mem or print_array, while strings and data buffers still print.
// The lines are strace 6.1's under -e verbose=none (the oracle workloads
// *-nv, oracle_nonverbose_test.go, compare them whole).

var nvOpts = Options{StrSize: 32, Verbose: []uint32{}}

func nvWords(vs ...uint32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		le.PutUint32(b[4*i:], v)
	}
	return b
}

func TestNotVerboseSockets(t *testing.T) {
	sin := []byte{2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	len16, len128 := nvWords(16), nvWords(128)
	for _, tc := range []struct {
		name string
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{"connect", 0, [6]uint64{3, 0x7000, 16}, []wire.Cap{{Arg: 1, Data: sin}}, `connect(3, 0x7000, 16) = 0`},
		{"bind", 0, [6]uint64{3, 0x7000, 16}, []wire.Cap{{Arg: 1, Data: sin}}, `bind(3, 0x7000, 16) = 0`},
		{"connect", -14, [6]uint64{3, 0, 16}, nil, `connect(3, NULL, 16) = -1 EFAULT (Bad address)`},
		{"getsockname", 0, [6]uint64{3, 0x7000, 0x7100}, []wire.Cap{{Arg: 1, Data: sin}, {Arg: 2, Idx: wire.EntryIdx, Data: len16}, {Arg: 2, Data: len16}},
			`getsockname(3, 0x7000, 0x7100) = 0`},
		{"accept", 5, [6]uint64{3, 0x7000, 0x7100}, []wire.Cap{{Arg: 1, Data: sin}, {Arg: 2, Idx: wire.EntryIdx, Data: len128}, {Arg: 2, Data: len16}},
			`accept(3, 0x7000, 0x7100) = 5`},
		{"getpeername", -107, [6]uint64{3, 0x7000, 0x7100}, []wire.Cap{{Arg: 2, Idx: wire.EntryIdx, Data: len128}},
			`getpeername(3, 0x7000, 0x7100) = -1 ENOTCONN (Transport endpoint is not connected)`},
		{"sendto", 2, [6]uint64{7, 0x6000, 2, 0, 0x7000, 16}, []wire.Cap{{Arg: 1, Data: []byte("hi")}, {Arg: 4, Data: sin}},
			`sendto(7, "hi", 2, 0, 0x7000, 16) = 2`},
		{"recvfrom", 2, [6]uint64{6, 0x6000, 8, 0, 0x7000, 0x7100}, []wire.Cap{{Arg: 1, Data: []byte("hi")}, {Arg: 4, Data: sin},
			{Arg: 5, Idx: wire.EntryIdx, Data: len128}, {Arg: 5, Data: len16}},
			`recvfrom(6, "hi", 8, 0, 0x7000, 0x7100) = 2`},
		{"socketpair", 0, [6]uint64{1, 2, 0, 0x7000}, []wire.Cap{{Arg: 3, Data: nvWords(6, 7)}}, `socketpair(AF_UNIX, SOCK_DGRAM, 0, 0x7000) = 0`},
		{"pipe2", 0, [6]uint64{0x7000, 0}, []wire.Cap{{Arg: 0, Data: nvWords(3, 4)}}, `pipe2(0x7000, 0) = 0`},
		{"setsockopt", 0, [6]uint64{4, 1, 16, 0x7000, 4}, []wire.Cap{{Arg: 3, Data: nvWords(1)}}, `setsockopt(4, SOL_SOCKET, SO_PASSCRED, 0x7000, 4) = 0`},
		{"setsockopt", 0, [6]uint64{4, 1, 16, 0, 4}, nil, `setsockopt(4, SOL_SOCKET, SO_PASSCRED, NULL, 4) = 0`},
		{"getsockopt", 0, [6]uint64{5, 1, 3, 0x7000, 0x7100}, []wire.Cap{{Arg: 3, Data: nvWords(1)}, {Arg: 4, Idx: wire.EntryIdx, Data: nvWords(4)}, {Arg: 4, Data: nvWords(4)}},
			`getsockopt(5, SOL_SOCKET, SO_TYPE, 0x7000, 0x7100) = 0`},
	} {
		checkLine(t, decodeLineOpt(t, nvOpts, tc.name, tc.ret, tc.args, tc.caps...), tc.want)
	}
}

type nvCase struct {
	name string
	ret  int64
	args [6]uint64
	caps []wire.Cap
	want string
}

func checkNotVerbose(t *testing.T, cases []nvCase) {
	t.Helper()
	for _, tc := range cases {
		checkLine(t, decodeLineOpt(t, nvOpts, tc.name, tc.ret, tc.args, tc.caps...), tc.want)
	}
}

func TestNotVerboseProcess(t *testing.T) {
	si := make([]byte, 48)
	copy(si, nvWords(17, 0, 1, 1234, 0, 0))
	clone := make([]byte, 88)
	le.PutUint64(clone, 0x4100) // CLONE_VM|CLONE_VFORK
	le.PutUint64(clone[32:], 17)
	checkNotVerbose(t, []nvCase{
		{"wait4", 1234, [6]uint64{^uint64(0), 0x7000, 0, 0}, []wire.Cap{{Arg: 1, Data: nvWords(0)}}, `wait4(-1, 0x7000, 0, NULL) = 1234`},
		{"wait4", 1234, [6]uint64{^uint64(0), 0, 0, 0}, nil, `wait4(-1, NULL, 0, NULL) = 1234`},
		{"waitid", 0, [6]uint64{1, 1234, 0x7000, 4, 0}, []wire.Cap{{Arg: 2, Data: si}}, `waitid(P_PID, 1234, 0x7000, WEXITED, NULL) = 0`},
		{"clone3", 1234, [6]uint64{0x7000, 88}, []wire.Cap{{Arg: 0, Data: clone}}, `clone3(0x7000, 88) = 1234`},
		{"sysinfo", 0, [6]uint64{0x7000}, []wire.Cap{{Arg: 0, Data: make([]byte, 112)}}, `sysinfo(0x7000) = 0`},
		{"prlimit64", 0, [6]uint64{0, 3, 0, 0x7000}, []wire.Cap{{Arg: 3, Data: make([]byte, 16)}}, `prlimit64(0, RLIMIT_STACK, NULL, 0x7000) = 0`},
		{"getgroups", 2, [6]uint64{64, 0x7000}, []wire.Cap{{Arg: 1, Data: nvWords(100, 101)}}, `getgroups(64, 0x7000) = 2`},
		{"getgroups", 0, [6]uint64{0, 0x7000}, nil, `getgroups(0, []) = 0`},
	})
}

func TestNotVerboseDesc(t *testing.T) {
	flock := make([]byte, 32)
	checkNotVerbose(t, []nvCase{
		{"getdents64", 80, [6]uint64{3, 0x7000, 32768}, []wire.Cap{{Arg: 1, Data: nvWords(3)}}, `getdents64(3, 0x7000, 32768) = 80`},
		{"getdents", 0, [6]uint64{3, 0x7000, 32768}, []wire.Cap{{Arg: 1, Data: nvWords(0)}}, `getdents(3, 0x7000, 32768) = 0`},
		{"poll", 1, [6]uint64{0x7000, 1, 0}, []wire.Cap{{Arg: 0, Data: nvWords(3, 0x10001)}}, `poll(0x7000, 1, 0) = 1`},
		{"poll", 0, [6]uint64{0x7000, 1, 0}, []wire.Cap{{Arg: 0, Data: nvWords(3, 1)}}, `poll(0x7000, 1, 0) = 0 (Timeout)`},
		{"poll", 0, [6]uint64{0x7000, 0, 0}, []wire.Cap{{Arg: 0, Data: []byte{}}}, `poll([], 0, 0) = 0 (Timeout)`},
		{"fcntl", 0, [6]uint64{3, 6, 0x7000}, []wire.Cap{{Arg: 2, Data: flock}}, `fcntl(3, F_SETLK, 0x7000) = 0`},
		{"fcntl", 0, [6]uint64{3, 16, 0x7000}, []wire.Cap{{Arg: 2, Data: nvWords(0, 1)}}, `fcntl(3, F_GETOWN_EX, 0x7000) = 0`},
		{"pipe2", -14, [6]uint64{0, 0}, nil, `pipe2(NULL, 0) = -1 EFAULT (Bad address)`},
	})
}

func TestNotVerboseIPCIoctl(t *testing.T) {
	msg := append(make([]byte, 8), "hello ipc\x00\x00\x00\x00\x00\x00\x00"...)
	msg[0] = 7
	kbs := append([]byte{1}, "hello\x00"...)
	checkNotVerbose(t, []nvCase{
		{"msgsnd", 0, [6]uint64{5, 0x7000, 16, 0}, []wire.Cap{{Arg: 1, Data: msg}}, `msgsnd(5, 0x7000, 16, 0) = 0`},
		{"msgrcv", 16, [6]uint64{5, 0x7000, 16, 7, 0}, []wire.Cap{{Arg: 1, Data: msg}}, `msgrcv(5, 0x7000, 16, 7, 0) = 16`},
		{"msgctl", 0, [6]uint64{5, 2, 0x7000}, []wire.Cap{{Arg: 2, Data: make([]byte, 256)}}, `msgctl(5, IPC_STAT, 0x7000) = 0`},
		{"shmctl", 0, [6]uint64{5, 2, 0x7000}, []wire.Cap{{Arg: 2, Data: make([]byte, 256)}}, `shmctl(5, IPC_STAT, 0x7000) = 0`},
		{"ioctl", -9, [6]uint64{^uint64(0), 0x80685600, 0}, nil, `ioctl(-1, VIDIOC_QUERYCAP, 0) = -1 EBADF (Bad file descriptor)`},
		{"ioctl", -9, [6]uint64{^uint64(0), 0x80685600, 0x7000}, nil, `ioctl(-1, VIDIOC_QUERYCAP, 0x7000) = -1 EBADF (Bad file descriptor)`},
		{"ioctl", -9, [6]uint64{^uint64(0), 0x4b49, 0x7000}, []wire.Cap{{Arg: 2, Data: kbs}}, `ioctl(-1, KDSKBSENT, 0x7000) = -1 EBADF (Bad file descriptor)`},
		{"ioctl", -9, [6]uint64{^uint64(0), 0x4b4b, 0x7000}, []wire.Cap{{Arg: 2, Data: nvWords(0)}}, `ioctl(-1, KDSKBDIACR, 0x7000) = -1 EBADF (Bad file descriptor)`},
	})
}

func TestNotVerboseMore(t *testing.T) {
	two := make([]byte, 32)
	checkNotVerbose(t, []nvCase{
		{"statfs", 0, [6]uint64{0x6000, 0x7000}, []wire.Cap{{Arg: 0, Data: []byte("/")}, {Arg: 1, Data: make([]byte, 120)}}, `statfs("/", 0x7000) = 0`},
		{"times", 100, [6]uint64{0x7000}, []wire.Cap{{Arg: 0, Data: make([]byte, 32)}}, `times(0x7000) = 100`},
		{"adjtimex", 5, [6]uint64{0x7000}, []wire.Cap{{Arg: 0, Data: make([]byte, 208)}}, `adjtimex(0x7000) = 5`},
		{"epoll_ctl", 0, [6]uint64{4, 1, 5, 0x7000}, []wire.Cap{{Arg: 3, Data: make([]byte, 12)}}, `epoll_ctl(4, EPOLL_CTL_ADD, 5, 0x7000) = 0`},
		{"epoll_wait", 1, [6]uint64{4, 0x7000, 1, 0}, []wire.Cap{{Arg: 1, Data: make([]byte, 12)}}, `epoll_wait(4, 0x7000, 1, 0) = 1`},
		{"epoll_wait", 0, [6]uint64{4, 0x7000, 1, 0}, nil, `epoll_wait(4, [], 1, 0) = 0`},
		{"ioctl", 0, [6]uint64{5, 0x541b, 0x7000}, []wire.Cap{{Arg: 2, Data: nvWords(1)}}, `ioctl(5, FIONREAD, 0x7000) = 0`},
		{"getresuid", 0, [6]uint64{0x7000, 0x7004, 0x7008}, []wire.Cap{{Arg: 0, Data: nvWords(0)}, {Arg: 1, Data: nvWords(0)}, {Arg: 2, Data: nvWords(0)}},
			`getresuid(0x7000, 0x7004, 0x7008) = 0`},
		{"sendfile", 1, [6]uint64{6, 7, 0x7000, 1}, []wire.Cap{{Arg: 2, Idx: wire.EntryIdx, Data: make([]byte, 8)}, {Arg: 2, Data: []byte{1, 0, 0, 0, 0, 0, 0, 0}}},
			`sendfile(6, 7, 0x7000, 1) = 1`},
		{"splice", 1, [6]uint64{7, 0x7000, 6, 0, 1, 0}, []wire.Cap{{Arg: 1, Data: make([]byte, 8)}}, `splice(7, 0x7000, 6, NULL, 1, 0) = 1`},
		{"prctl", 0, [6]uint64{2, 0x7000}, []wire.Cap{{Arg: 1, Data: nvWords(0)}}, `prctl(PR_GET_PDEATHSIG, 0x7000) = 0`},
		{"mq_getsetattr", 0, [6]uint64{3, 0x7000, 0x7100}, []wire.Cap{{Arg: 1, Data: make([]byte, 64)}, {Arg: 2, Data: make([]byte, 64)}},
			`mq_getsetattr(3, 0x7000, 0x7100) = 0`},
		{"get_mempolicy", 0, [6]uint64{0x7000, 0x7100, 64, 0, 0}, []wire.Cap{{Arg: 0, Data: nvWords(0)}}, `get_mempolicy(0x7000, 0x7100, 64, NULL, 0) = 0`},
		{"io_getevents", 0, [6]uint64{0x7000, 0, 1, 0x7100, 0}, nil, `io_getevents(0x7000, 0, 1, [], NULL) = 0`},
		{"utimensat", -2, [6]uint64{0xffffff9c, 0x6000, 0x7000, 0}, []wire.Cap{{Arg: 1, Data: []byte("/nonexistent")}, {Arg: 2, Data: two}},
			`utimensat(AT_FDCWD, "/nonexistent", 0x7000, 0) = -1 ENOENT (No such file or directory)`},
	})
}
