package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of the time calls (see family_test.go). The lines are what
// strace 6.1 printed for nanosleep and clock_nanosleep made with syscall(2).

func TestFamSleepRem(t *testing.T) {
	req, rem := wire.Cap{Arg: 0, Data: u64s(0, 1000000)}, wire.Cap{Arg: 1, Data: u64s(7, 7)}
	// rem was not written: the call slept its whole time, or failed.
	checkLine(t, decodeLine(t, "nanosleep", 0, [6]uint64{0x1000, 0x7fff35634a50}, req, rem),
		`nanosleep({tv_sec=0, tv_nsec=1000000}, 0x7fff35634a50) = 0`)
	checkLine(t, decodeLine(t, "nanosleep", -22, [6]uint64{0x1000, 0x7fff35634a50}, wire.Cap{Arg: 0, Data: u64s(^uint64(1), ^uint64(0))}, rem),
		`nanosleep({tv_sec=-2, tv_nsec=18446744073709551615}, 0x7fff35634a50) = -1 EINVAL (Invalid argument)`)
	// Interrupted: the time left.
	checkLine(t, decodeLine(t, "nanosleep", -516, [6]uint64{0x1000, 0x7fff35634a50}, wire.Cap{Arg: 0, Data: u64s(5, 0)}, wire.Cap{Arg: 1, Data: u64s(4, 980044561)}),
		`nanosleep({tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=980044561}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)`)
	creq, crem := wire.Cap{Arg: 2, Data: u64s(0, 1000000)}, wire.Cap{Arg: 3, Data: u64s(7, 7)}
	checkLine(t, decodeLine(t, "clock_nanosleep", 0, [6]uint64{1, 0, 0x1000, 0x7ffdfb1fb850}, creq, crem),
		`clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, 0x7ffdfb1fb850) = 0`)
	checkLine(t, decodeLine(t, "clock_nanosleep", 0, [6]uint64{1, 1, 0x1000, 0x7ffdfb1fb850}, wire.Cap{Arg: 2, Data: u64s(13293, 0)}, crem),
		`clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=13293, tv_nsec=0}, 0x7ffdfb1fb850) = 0`)
	checkLine(t, decodeLine(t, "clock_nanosleep", 0, [6]uint64{1, 2, 0x1000, 0x7fff35634a50}, creq, crem),
		`clock_nanosleep(CLOCK_MONOTONIC, 0x2 /* TIMER_??? */, {tv_sec=0, tv_nsec=1000000}, 0x7fff35634a50) = 0`)
	checkLine(t, decodeLine(t, "clock_nanosleep", -516, [6]uint64{1, 0, 0x1000, 0x7ffdfb1fb850}, wire.Cap{Arg: 2, Data: u64s(5, 0)}, wire.Cap{Arg: 3, Data: u64s(4, 980115257)}),
		`clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=980115257}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)`)
	checkLine(t, decodeLine(t, "clock_nanosleep", 0, [6]uint64{0, 0, 0x1000, 0}, creq),
		`clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0`)
	// Absolute sleeps never write rem, even when interrupted.
	checkLine(t, decodeLine(t, "clock_nanosleep", -514, [6]uint64{1, 1, 0x1000, 0x7ffdfb1fb850}, wire.Cap{Arg: 2, Data: u64s(13298, 258047753)}, crem),
		`clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=13298, tv_nsec=258047753}, 0x7ffdfb1fb850) = ? ERESTARTNOHAND (To be restarted if no handler)`)
}
