package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// schedAttrBuf is a struct sched_attr of size bytes (56 written).
func schedAttrBuf(size uint32, flags uint64) []byte {
	b := make([]byte, schedAttrSize)
	le.PutUint32(b, size)
	le.PutUint64(b[8:], flags)
	le.PutUint64(b[24:], 1400000)
	return b
}

// Lines from strace 6.1's test sched_xetattr.
func TestFamSchedAttr(t *testing.T) {
	checkLine(t, decodeLine(t, "sched_getattr", -22, [6]uint64{23764, 0, 0, 0}), `sched_getattr(23764, NULL, 0, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_getattr", -22, [6]uint64{0xffffffff, 0x7f254f81cfc8, 0xcafef00d, 0xdeadc0de}),
		`sched_getattr(-1, 0x7f254f81cfc8, 3405705229, 3735929054) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "sched_getattr", 0, [6]uint64{0, 0x1000, 48, 0}, wire.Cap{Arg: 1, Data: schedAttrBuf(48, 0)[:48]}),
		`sched_getattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0}, 48, 0) = 0`)
	checkLine(t, decodeLine(t, "sched_setattr", 0, [6]uint64{23764, 0x1000, 0}, wire.Cap{Arg: 1, Data: schedAttrBuf(56, 1)}),
		`sched_setattr(23764, {size=56, sched_policy=SCHED_OTHER, sched_flags=SCHED_FLAG_RESET_ON_FORK, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0}, 0) = 0`)
	checkLine(t, decodeLine(t, "sched_setattr", 0, [6]uint64{0, 0x1000, 0}, wire.Cap{Arg: 1, Data: schedAttrBuf(0, 1)}),
		`sched_setattr(0, {size=0, sched_policy=SCHED_OTHER, sched_flags=SCHED_FLAG_RESET_ON_FORK, sched_nice=0, sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0}, 0) = 0`)
	checkLine(t, decodeLine(t, "sched_setattr", -22, [6]uint64{0xfacefeed, 0x1000, 0xdeadc0de}, wire.Cap{Arg: 1, Data: schedAttrBuf(56, 0xcaffee90)}),
		`sched_setattr(-87097619, {size=56, sched_flags=SCHED_FLAG_KEEP_PARAMS|0xcaffee80, sched_util_min=0, sched_util_max=0}, 3735929054) = -1 EINVAL (Invalid argument)`)
}

// TestSchedSetattrE2BIG: the size as the call entered (an entry capture),
// and after E2BIG the size the kernel wrote back (sched_xetattr).
func TestSchedSetattrE2BIG(t *testing.T) {
	written := wire.Cap{Arg: 1, Data: schedAttrBuf(56, 1)}
	given := wire.Cap{Arg: 1, Idx: wire.EntryIdx, Data: []byte{47, 0, 0, 0}}
	checkLine(t, decodeLine(t, "sched_setattr", -7, [6]uint64{0, 0x1000, 0}, written, given),
		`sched_setattr(0, {size=47} => {size=56}, 0) = -1 E2BIG (Argument list too long)`)
}
