package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's tests sched_xetparam, sched_xetscheduler,
// sched_rr_get_interval and sched_xetaffinity.
func TestFamSchedParam(t *testing.T) {
	four := func(v uint32) []byte { b := make([]byte, 4); le.PutUint32(b, v); return b }
	checkLine(t, decodeLine(t, "sched_getparam", 0, [6]uint64{0x6d42, 0x1000}, wire.Cap{Arg: 1, Data: four(0)}), `sched_getparam(27970, [0]) = 0`)
	checkLine(t, decodeLine(t, "sched_setparam", -22, [6]uint64{0x6d42, 0x1000}, wire.Cap{Arg: 1, Data: four(0xffffffff)}), `sched_setparam(27970, [-1]) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_getscheduler", 0, [6]uint64{0x6dd7}), `sched_getscheduler(28119) = 0 (SCHED_OTHER)`)
	checkLine(t, decodeLine(t, "sched_getscheduler", -22, [6]uint64{0xffffffff}), `sched_getscheduler(-1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_setscheduler", -22, [6]uint64{0x6dd7, 0xfaceda7a, 0x1000}, wire.Cap{Arg: 2, Data: four(0xffffffff)}),
		`sched_setscheduler(28119, 0xfaceda7a /* SCHED_??? */, [-1]) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_setscheduler", -22, [6]uint64{0x6dd7, 1, 0}), `sched_setscheduler(28119, SCHED_FIFO, NULL) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_rr_get_interval", -14, [6]uint64{0, 0}), `sched_rr_get_interval(0, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "sched_rr_get_interval", 0, [6]uint64{0, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0, 0)}), `sched_rr_get_interval(0, {tv_sec=0, tv_nsec=0}) = 0`)
	checkLine(t, decodeLine(t, "sched_setaffinity", -22, [6]uint64{0x6b7b, 0, 0x7fe01abba000}), `sched_setaffinity(27515, 0, []) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_setaffinity", 0, [6]uint64{0x6b7b, 8, 0x1000}, wire.Cap{Arg: 2, Data: u64s(2)}), `sched_setaffinity(27515, 8, [1]) = 0`)
}
