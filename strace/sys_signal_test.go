package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the signal calls (see family_test.go).

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
