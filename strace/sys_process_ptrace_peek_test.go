package strace

import (
	"runtime"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// ptrace's PEEK*, GETEVENTMSG and struct user offsets
// (sys_process_ptrace_peek.go), and rt_sigaction's flags: the lines strace
// 6.1 printed for the workload ptrace-peek (oracle_ptrace_peek_test.go),
// under -X abbrev, raw and verbose.
func TestFamPtracePeek(t *testing.T) {
	w := func(v uint64) wire.Cap { return wire.Cap{Arg: 3, Data: u64s(v)} }
	raw := Options{StrSize: 32, ConstStyle: ConstRaw}
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	// Not x86 specific.
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{2, 7516, 0x404038, 0x7ffd4cff5668}, w(0x2a)),
		`ptrace(PTRACE_PEEKDATA, 7516, 0x404038, [0x2a]) = 0`)
	checkLine(t, decodeLine(t, "ptrace", -5, [6]uint64{1, 7516, 0x10, 0x7ffd4cff5668}),
		`ptrace(PTRACE_PEEKTEXT, 7516, 0x10, 0x7ffd4cff5668) = -1 EIO (Input/output error)`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4201, 7516, 0, 0x7ffd4cff5668}, w(0)),
		`ptrace(PTRACE_GETEVENTMSG, 7516, NULL, [0]) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{0x4201, 7516, 0, 0x7ffd4cff5668}, w(1<<63)),
		`ptrace(PTRACE_GETEVENTMSG, 7516, NULL, [9223372036854775808]) = 0`)
	checkLine(t, decodeLineOpt(t, raw, "ptrace", 0, [6]uint64{0x4201, 7516, 0, 0x7ffd4cff5668}, w(0)),
		`ptrace(0x4201, 7516, NULL, [0]) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 0, [6]uint64{2, 7516, 0x404038, 0x7ffd4cff5668}, w(0x2a)),
		`ptrace(0x2 /* PTRACE_PEEKDATA */, 7516, 0x404038, [0x2a]) = 0`)

	act := u64s(1, 0x24000c00, 0, 0)
	old := u64s(0, 0, 0, 0)
	sa := [6]uint64{10, 0x1000, 0x2000, 8}
	checkLine(t, decodeLine(t, "rt_sigaction", 0, sa, wire.Cap{Arg: 1, Data: act}, wire.Cap{Arg: 2, Data: old}),
		`rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_INTERRUPT|0xc00, sa_restorer=NULL}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "rt_sigaction", 0, sa, wire.Cap{Arg: 1, Data: u64s(1, 0x20000000, 0, 0)}, wire.Cap{Arg: 2, Data: u64s(1, 0x4000800, 0, 0)}),
		`rt_sigaction(10 /* SIGUSR1 */, {sa_handler=0x1 /* SIG_IGN */, sa_mask=[], sa_flags=0x20000000 /* SA_INTERRUPT */}, {sa_handler=0x1 /* SIG_IGN */, sa_mask=[], sa_flags=0x4000800 /* SA_RESTORER|0x800 */, sa_restorer=NULL}, 8) = 0`)
	checkLine(t, decodeLineOpt(t, raw, "rt_sigaction", 0, sa, wire.Cap{Arg: 1, Data: act}, wire.Cap{Arg: 2, Data: old}),
		`rt_sigaction(10, {sa_handler=0x1, sa_mask=[], sa_flags=0x24000c00, sa_restorer=NULL}, {sa_handler=0, sa_mask=[], sa_flags=0}, 8) = 0`)
	// zstd's handlers: flags with junk in the upper half.
	checkLine(t, decodeLine(t, "rt_sigaction", 0, [6]uint64{6, 0x1000, 0, 8}, wire.Cap{Arg: 1, Data: u64s(0x55ac8a610a80, 0xffffffffe4000000, 0x7fd0a12e2050, 0)}),
		`rt_sigaction(SIGABRT, {sa_handler=0x55ac8a610a80, sa_mask=[], sa_flags=SA_RESTORER|SA_INTERRUPT|SA_NODEFER|SA_RESETHAND|0xffffffff00000000, sa_restorer=0x7fd0a12e2050}, NULL, 8) = 0`)

	if runtime.GOARCH != "amd64" {
		return
	}
	for _, c := range []struct {
		addr  uint64
		abbr  string
		value uint64
	}{
		{0x88, "8*CS", 0x33},
		{0xb8, "8*SS+24", 0},
		{0x90, "8*EFL", 0x246},
		{0x380, "offsetof(struct user, u_debugreg)+48", 0xffff0ff0},
		{0x390, "sizeof(struct user)", 0},
		{0x398, "0x398", 0},
	} {
		want := `ptrace(PTRACE_PEEKUSER, 7516, ` + c.abbr + `, [`
		checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{3, 7516, c.addr, 0x7ffd4cff5668}, w(c.value)),
			want+map[bool]string{true: "NULL", false: hexStr(c.value)}[c.value == 0]+`]) = 0`)
	}
	checkLine(t, decodeLine(t, "ptrace", -3, [6]uint64{3, 7516, 0x50, 0x7ffd4cff5668}),
		`ptrace(PTRACE_PEEKUSER, 7516, 8*RAX, 0x7ffd4cff5668) = -1 ESRCH (No such process)`)
	checkLine(t, decodeLine(t, "ptrace", -14, [6]uint64{3, 7516, 0x90, 0}),
		`ptrace(PTRACE_PEEKUSER, 7516, 8*EFL, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{6, 7516, 0x388, 0}),
		`ptrace(PTRACE_POKEUSER, 7516, offsetof(struct user, u_debugreg)+56, NULL) = 0`)
	checkLine(t, decodeLine(t, "ptrace", 0, [6]uint64{6, 7516, 0, 0}),
		`ptrace(PTRACE_POKEUSER, 7516, 8*R15, NULL) = 0`)
	checkLine(t, decodeLineOpt(t, raw, "ptrace", 0, [6]uint64{3, 7516, 0x380, 0x7ffd4cff5668}, w(0xffff0ff0)),
		`ptrace(0x3, 7516, 0x380, [0xffff0ff0]) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 0, [6]uint64{3, 7516, 0x380, 0x7ffd4cff5668}, w(0xffff0ff0)),
		`ptrace(0x3 /* PTRACE_PEEKUSER */, 7516, 0x380 /* offsetof(struct user, u_debugreg)+48 */, [0xffff0ff0]) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 0, [6]uint64{3, 7516, 0x390, 0x7ffd4cff5668}, w(0)),
		`ptrace(0x3 /* PTRACE_PEEKUSER */, 7516, 0x390 /* sizeof(struct user) */, [NULL]) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", 0, [6]uint64{3, 7516, 0x398, 0x7ffd4cff5668}, w(0)),
		`ptrace(0x3 /* PTRACE_PEEKUSER */, 7516, 0x398, [NULL]) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "ptrace", -3, [6]uint64{3, 7516, 0x50, 0x7ffd40d39af8}),
		`ptrace(0x3 /* PTRACE_PEEKUSER */, 7516, 0x50 /* 8*RAX */, 0x7ffd40d39af8) = -1 ESRCH (No such process)`)
}

func hexStr(v uint64) string {
	p := &printer{}
	p.x(v)
	return string(p.b)
}
