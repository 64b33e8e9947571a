package strace

import (
	"testing"
	"time"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's tests time, xettimeofday, xetitimer,
// timer_create, timer_xettime and timerfd_xettime.
func TestFamTimers(t *testing.T) {
	if _, off := time.Now().Zone(); off == 0 {
		checkLine(t, decodeLine(t, "time", 1795939494, [6]uint64{0}), `time(NULL) = 1795939494 (2026-11-29T08:04:54+0000)`)
		checkLine(t, decodeLine(t, "time", 1795939494, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: u64s(1795939494)}),
			`time([1795939494 /* 2026-11-29T08:04:54+0000 */]) = 1795939494 (2026-11-29T08:04:54+0000)`)
	}
	checkLine(t, decodeLine(t, "time", -14, [6]uint64{0x7f153ac7e000}), `time(0x7f153ac7e000) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "gettimeofday", 0, [6]uint64{0x1000, 0}, wire.Cap{Arg: 0, Data: u64s(1795939499, 801192)}),
		`gettimeofday({tv_sec=1795939499, tv_usec=801192}, NULL) = 0`)
	checkLine(t, decodeLine(t, "settimeofday", -22, [6]uint64{0x1000, 0x2000}, wire.Cap{Arg: 0, Data: u64s(0xcafef00ddeadbeef, 0xbadc0dedfacefeed)}, wire.Cap{Arg: 1, Data: make([]byte, 8)}),
		`settimeofday({tv_sec=-3819351491602432273, tv_usec=13464652301697220333}, {tz_minuteswest=0, tz_dsttime=0}) = -1 EINVAL (Invalid argument)`)
	its := u64s(789985, 789986, 789987, 789988)
	checkLine(t, decodeLine(t, "setitimer", 0, [6]uint64{0, 0x1000, 0}, wire.Cap{Arg: 1, Data: its}),
		`setitimer(ITIMER_REAL, {it_interval={tv_sec=789985, tv_usec=789986}, it_value={tv_sec=789987, tv_usec=789988}}, NULL) = 0`)
	checkLine(t, decodeLine(t, "getitimer", -22, [6]uint64{0xfacefeeddeadbeef, 0x7efebb95dfe0}), `getitimer(0xdeadbeef /* ITIMER_??? */, 0x7efebb95dfe0) = -1 EINVAL (Invalid argument)`)
	sev := u64s(0xdeadbeefbadc0ded, 14|2<<32, 0xdeadbeefbadc0ded, 0xcafef00dfacefeed)
	checkLine(t, decodeLine(t, "timer_create", 0, [6]uint64{0, 0x1000, 0x2000}, wire.Cap{Arg: 1, Data: sev}, wire.Cap{Arg: 2, Data: []byte{4, 0, 0, 0}}),
		`timer_create(CLOCK_REALTIME, {sigev_value={sival_int=-1159983635, sival_ptr=0xdeadbeefbadc0ded}, sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD, sigev_notify_function=0xdeadbeefbadc0ded, sigev_notify_attributes=0xcafef00dfacefeed}, [4]) = 0`)
	checkLine(t, decodeLine(t, "timer_create", 0, [6]uint64{1, 0x1000, 0x2000}, wire.Cap{Arg: 1, Data: u64s(0, 1<<32, 0, 0)}, wire.Cap{Arg: 2, Data: []byte{0, 0, 0, 0}}),
		`timer_create(CLOCK_MONOTONIC, {sigev_signo=0, sigev_notify=SIGEV_NONE}, [0]) = 0`)
	checkLine(t, decodeLine(t, "timer_settime", -22, [6]uint64{0xdefaced, 1, 0, 0}), `timer_settime(233811181, TIMER_ABSTIME, NULL, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "timerfd_create", 0, [6]uint64{1, 0x80800}), `timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 0`)
	checkLine(t, decodeLine(t, "timerfd_gettime", 0, [6]uint64{0, 0x1000}, wire.Cap{Arg: 1, Data: u64s(233811169, 233811170, 233811171, 233807947)}),
		`timerfd_gettime(0, {it_interval={tv_sec=233811169, tv_nsec=233811170}, it_value={tv_sec=233811171, tv_nsec=233807947}}) = 0`)
}
