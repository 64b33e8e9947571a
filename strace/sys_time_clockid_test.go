package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestFamClockIDUnknown: a clock id strace 6.1 has no name for (a CPU
// clock from pthread_getcpuclockid, as a JVM's clock_getres; a bad one)
// prints in hex with /* CLOCK_??? */ (printclockname's printxval), in
// every call taking one; clock_nanosleep's flags 0 is "0" under -X
// verbose too (printflags). Lines as strace 6.1 printed them.
func TestFamClockIDUnknown(t *testing.T) {
	ts := wire.Cap{Arg: 1, Data: u64s(0, 1)}
	checkLine(t, decodeLine(t, "clock_getres", 0, [6]uint64{0xfffda03e, 0x7f00}, ts),
		`clock_getres(0xfffda03e /* CLOCK_??? */, {tv_sec=0, tv_nsec=1}) = 0`)
	checkLine(t, decodeLine(t, "clock_gettime", -22, [6]uint64{99, 0x7ffc6aca74e0}),
		`clock_gettime(0x63 /* CLOCK_??? */, 0x7ffc6aca74e0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "clock_adjtime", -22, [6]uint64{99, 0x7ffc6aca7410}),
		`clock_adjtime(0x63 /* CLOCK_??? */, 0x7ffc6aca7410) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "timerfd_create", -22, [6]uint64{0xfffffffe, 0}),
		`timerfd_create(0xfffffffe /* CLOCK_??? */, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "clock_gettime", 0, [6]uint64{1, 0x7f00}, ts),
		`clock_gettime(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = 0`)
	ts2 := wire.Cap{Arg: 2, Data: u64s(0, 721607)}
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "clock_nanosleep", -22, [6]uint64{99, 0, 0x7f00, 0}, ts2),
		`clock_nanosleep(0x63 /* CLOCK_??? */, 0, {tv_sec=0, tv_nsec=721607}, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "clock_gettime", -22, [6]uint64{99, 0x7ffe4e151270}),
		`clock_gettime(0x63, 0x7ffe4e151270) = -1 EINVAL (Invalid argument)`)
}
