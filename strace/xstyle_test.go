package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestConstStyleX checks -X raw, abbrev and verbose against lines strace
// 6.1 printed for the same calls (strace -X STYLE on a test program).
func TestConstStyleX(t *testing.T) {
	sigact := u64s(1, 0x14000000, 0x7f4038807050, 1<<9) // SIG_IGN, SA_RESTORER|SA_RESTART, [USR1]
	cases := []struct {
		name string
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want [3]string // abbrev, raw, verbose
	}{
		{"openat", 3, [6]uint64{atCwd, 0x1000, 0x241, 0o666}, []wire.Cap{{Arg: 1, Data: []byte("f")}}, [3]string{
			`openat(AT_FDCWD, "f", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3`,
			`openat(-100, "f", 0x241, 0666) = 3`,
			`openat(-100 /* AT_FDCWD */, "f", 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0666) = 3`}},
		{"openat", -2, [6]uint64{atCwd, 0x1000, 0}, []wire.Cap{{Arg: 1, Data: []byte("/nonexistent")}}, [3]string{
			`openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)`,
			`openat(-100, "/nonexistent", 0) = -1 ENOENT (No such file or directory)`,
			`openat(-100 /* AT_FDCWD */, "/nonexistent", 0 /* O_RDONLY */) = -1 ENOENT (No such file or directory)`}},
		{"fcntl", 0, [6]uint64{3, 2, 1}, nil, [3]string{
			`fcntl(3, F_SETFD, FD_CLOEXEC) = 0`,
			`fcntl(3, 0x2, 0x1) = 0`,
			`fcntl(3, 0x2 /* F_SETFD */, 0x1 /* FD_CLOEXEC */) = 0`}},
		{"socket", 4, [6]uint64{2, 0x80001, 0}, nil, [3]string{
			`socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 4`,
			`socket(0x2, 0x1|0x80000, 0) = 4`,
			`socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */, 0 /* IPPROTO_IP */) = 4`}},
		{"socket", -22, [6]uint64{2, 0x100, 0}, nil, [3]string{
			`socket(AF_INET, 0x100 /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)`,
			`socket(0x2, 0x100, 0) = -1 EINVAL (Invalid argument)`,
			`socket(0x2 /* AF_INET */, 0x100 /* SOCK_??? */, 0 /* IPPROTO_IP */) = -1 EINVAL (Invalid argument)`}},
		{"mmap", 0x7f40389b6000, [6]uint64{0, 4096, 3, 0x22, 0xffffffffffffffff, 0}, nil, [3]string{
			`mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f40389b6000`,
			`mmap(NULL, 4096, 0x3, 0x22, -1, 0) = 0x7f40389b6000`,
			`mmap(NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f40389b6000`}},
		{"mprotect", 0, [6]uint64{0x7f40389b6000, 4096, 0}, nil, [3]string{
			`mprotect(0x7f40389b6000, 4096, PROT_NONE) = 0`,
			`mprotect(0x7f40389b6000, 4096, 0) = 0`,
			`mprotect(0x7f40389b6000, 4096, 0 /* PROT_NONE */) = 0`}},
		{"kill", 0, [6]uint64{19693, 10}, nil, [3]string{
			`kill(19693, SIGUSR1) = 0`,
			`kill(19693, 10) = 0`,
			`kill(19693, 10 /* SIGUSR1 */) = 0`}},
		{"kill", -22, [6]uint64{0, 99}, nil, [3]string{
			`kill(0, 99) = -1 EINVAL (Invalid argument)`,
			`kill(0, 99) = -1 EINVAL (Invalid argument)`,
			`kill(0, 99) = -1 EINVAL (Invalid argument)`}},
		{"lseek", 0, [6]uint64{3, 0, 2}, nil, [3]string{
			`lseek(3, 0, SEEK_END) = 0`,
			`lseek(3, 0, 0x2) = 0`,
			`lseek(3, 0, 0x2 /* SEEK_END */) = 0`}},
		{"access", 0, [6]uint64{0x1000, 0}, []wire.Cap{{Arg: 0, Data: []byte("/tmp")}}, [3]string{
			`access("/tmp", F_OK) = 0`,
			`access("/tmp", 0) = 0`,
			`access("/tmp", 0 /* F_OK */) = 0`}},
		{"rt_sigprocmask", 0, [6]uint64{0, 0x1000, 0, 8}, []wire.Cap{{Arg: 1, Data: u64s(1<<16 | 1<<35)}}, [3]string{
			`rt_sigprocmask(SIG_BLOCK, [CHLD RT_4], NULL, 8) = 0`,
			`rt_sigprocmask(0, [17 36], NULL, 8) = 0`,
			`rt_sigprocmask(0 /* SIG_BLOCK */, [17 /* CHLD */ 36 /* RT_4 */], NULL, 8) = 0`}},
		{"rt_sigaction", 0, [6]uint64{10, 0x1000, 0, 8}, []wire.Cap{{Arg: 1, Data: sigact}}, [3]string{
			`rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f4038807050}, NULL, 8) = 0`,
			`rt_sigaction(10, {sa_handler=0x1, sa_mask=[10], sa_flags=0x14000000, sa_restorer=0x7f4038807050}, NULL, 8) = 0`,
			`rt_sigaction(10 /* SIGUSR1 */, {sa_handler=0x1 /* SIG_IGN */, sa_mask=[10 /* USR1 */], sa_flags=0x14000000 /* SA_RESTORER|SA_RESTART */, sa_restorer=0x7f4038807050}, NULL, 8) = 0`}},
		{"prlimit64", 0, [6]uint64{0, 3, 0, 0x1000}, []wire.Cap{{Arg: 3, Data: u64s(8388608, ^uint64(0))}}, [3]string{
			`prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0`,
			`prlimit64(0, 0x3, NULL, {rlim_cur=8388608, rlim_max=18446744073709551615}) = 0`,
			`prlimit64(0, 0x3 /* RLIMIT_STACK */, NULL, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */}) = 0`}},
		{"times", 1720859327, [6]uint64{0x1000}, []wire.Cap{{Arg: 0, Data: u64s(33, 156, 0, 0)}}, [3]string{
			`times({tms_utime=33 /* 0.33 s */, tms_stime=156 /* 1.56 s */, tms_cutime=0, tms_cstime=0}) = 1720859327`,
			`times({tms_utime=33, tms_stime=156, tms_cutime=0, tms_cstime=0}) = 1720859327`,
			`times({tms_utime=33 /* 0.33 s */, tms_stime=156 /* 1.56 s */, tms_cutime=0, tms_cstime=0}) = 1720859327`}},
	}
	for _, tc := range cases {
		for k, style := range []ConstStyle{ConstAbbrev, ConstRaw, ConstVerbose} {
			got := decodeLineOpt(t, Options{StrSize: 32, ConstStyle: style}, tc.name, tc.ret, tc.args, tc.caps...)
			checkLine(t, got, tc.want[k])
		}
	}
}

func TestParseConstStyleX(t *testing.T) {
	for s, want := range map[string]ConstStyle{"raw": ConstRaw, "abbrev": ConstAbbrev, "verbose": ConstVerbose} {
		if got, err := ParseConstStyle(s); err != nil || got != want {
			t.Errorf("ParseConstStyle(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := ParseConstStyle("bogus"); err == nil {
		t.Error("ParseConstStyle(bogus): no error")
	}
}
