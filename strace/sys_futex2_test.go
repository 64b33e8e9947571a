package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines strace 7.2 printed for the futex2 calls (strace 6.1 knows them
// not): a C program's calls, its own output copied here.
func TestFamFutex2(t *testing.T) {
	const f = 0x555555558020
	ts := wire.Cap{Arg: 4, Data: u64s(0, 1000)}
	for _, tc := range []struct {
		name string
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{"futex_wake", 0, [6]uint64{f, 0xffffffff, 1, 0x82}, nil,
			`futex_wake(0x555555558020, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_SIZE_U32|FUTEX2_PRIVATE) = 0`},
		{"futex_wake", -22, [6]uint64{f, 5, 0xffffffffffffffff, 0}, nil,
			`futex_wake(0x555555558020, 0x5, -1, FUTEX2_SIZE_U8) = -1 EINVAL (Invalid argument)`},
		{"futex_wake", -22, [6]uint64{f, 0xffffffffffffffff, 0x7fffffff, 0x87}, nil,
			`futex_wake(0x555555558020, 0xffffffffffffffff, 2147483647, FUTEX2_SIZE_U64|FUTEX2_NUMA|FUTEX2_PRIVATE) = -1 EINVAL (Invalid argument)`},
		{"futex_wake", -22, [6]uint64{f, 1, 1, 0xff00}, nil,
			`futex_wake(0x555555558020, 0x1, 1, FUTEX2_SIZE_U8|0xff00) = -1 EINVAL (Invalid argument)`},
		{"futex_wake", -14, [6]uint64{0, 1, 1, 0xa}, nil,
			`futex_wake(NULL, 0x1, 1, FUTEX2_SIZE_U32|FUTEX2_MPOL) = -1 EFAULT (Bad address)`},
		{"futex_wake", -22, [6]uint64{f, 0, 0, 0x7f}, nil,
			`futex_wake(0x555555558020, 0, 0, FUTEX2_SIZE_U64|FUTEX2_NUMA|FUTEX2_MPOL|0x70) = -1 EINVAL (Invalid argument)`},
		{"futex_wait", -11, [6]uint64{f, 4, 0xffffffff, 0x82, 0x1000, 1}, []wire.Cap{ts},
			`futex_wait(0x555555558020, 4, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U32|FUTEX2_PRIVATE, {tv_sec=0, tv_nsec=1000}, CLOCK_MONOTONIC) = -1 EAGAIN (Resource temporarily unavailable)`},
		{"futex_wait", -11, [6]uint64{f, 4, 1, 2, 0, 99}, nil,
			`futex_wait(0x555555558020, 4, 0x1, FUTEX2_SIZE_U32, NULL, 0x63 /* CLOCK_??? */) = -1 EAGAIN (Resource temporarily unavailable)`},
		{"futex_wait", -22, [6]uint64{f, 5, 1, 2, 1, 7}, []wire.Cap{{Arg: 4, Flags: wire.CapFault}},
			`futex_wait(0x555555558020, 5, 0x1, FUTEX2_SIZE_U32, 0x1, CLOCK_BOOTTIME) = -1 EINVAL (Invalid argument)`},
		{"futex_wait", -22, [6]uint64{f, 0xffffffffffffffff, 0, 0x80000000, 0x1000, 1}, []wire.Cap{ts},
			`futex_wait(0x555555558020, 18446744073709551615, 0, FUTEX2_SIZE_U8|0x80000000, {tv_sec=0, tv_nsec=1000}, CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)`},
		{"futex_wait", -22, [6]uint64{f, 0x80000000, 0xffffffffffffffff, 0xffffffff, 0x1000, 0xffffffff}, []wire.Cap{ts},
			`futex_wait(0x555555558020, 2147483648, 0xffffffffffffffff, FUTEX2_SIZE_U64|FUTEX2_NUMA|FUTEX2_MPOL|FUTEX2_PRIVATE|0xffffff70, {tv_sec=0, tv_nsec=1000}, 0xffffffff /* CLOCK_??? */) = -1 EINVAL (Invalid argument)`},
		{"futex_wait", -22, [6]uint64{f, 5, 1, 2, 0x1000, 11}, []wire.Cap{{Arg: 4, Data: u64s(0, 0xffffffffffffffff)}},
			`futex_wait(0x555555558020, 5, 0x1, FUTEX2_SIZE_U32, {tv_sec=0, tv_nsec=18446744073709551615}, CLOCK_TAI) = -1 EINVAL (Invalid argument)`},
		{"futex_requeue", -22, [6]uint64{0x1000, 0x82, 1, 0}, []wire.Cap{{Arg: 0, Data: append(waiter(5, f, 0x82, 0), waiter(6, f+4, 2, 0)...)}},
			`futex_requeue([{val=0x5, uaddr=0x555555558020, flags=FUTEX2_SIZE_U32|FUTEX2_PRIVATE}, {val=0x6, uaddr=0x555555558024, flags=FUTEX2_SIZE_U32}], 0x82, 1, 0) = -1 EINVAL (Invalid argument)`},
		{"futex_requeue", -22, [6]uint64{0, 1, 1, 1}, nil, `futex_requeue(NULL, 0x1, 1, 1) = -1 EINVAL (Invalid argument)`},
		{"futex_requeue", -14, [6]uint64{1, 0, 0xffffffff, 2}, []wire.Cap{{Arg: 0, Flags: wire.CapFault}}, `futex_requeue(0x1, 0, -1, 2) = -1 EFAULT (Bad address)`},
		{"futex_requeue", -22, [6]uint64{0x7ffff7fbefe8, 0, 0, 1},
			[]wire.Cap{{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: waiter(0xffffffffffffffff, 0, 0xffffff00, 7)}},
			`futex_requeue([{val=0xffffffffffffffff, uaddr=NULL, flags=FUTEX2_SIZE_U8|0xffffff00, __reserved=0x7}, ... /* 0x7ffff7fbf000 */], 0, 0, 1) = -1 EINVAL (Invalid argument)`},
		{"futex_requeue", -22, [6]uint64{0x1000, 0xffffffff, 0x7fffffff, 0xffffffff},
			[]wire.Cap{{Arg: 0, Data: append(waiter(0, 0, 0x80000003, 0), waiter(1, 0, 0x84, 0xffffffff)...)}},
			`futex_requeue([{val=0, uaddr=NULL, flags=FUTEX2_SIZE_U64|0x80000000}, {val=0x1, uaddr=NULL, flags=FUTEX2_SIZE_U8|FUTEX2_NUMA|FUTEX2_PRIVATE, __reserved=0xffffffff}], 0xffffffff, 2147483647, -1) = -1 EINVAL (Invalid argument)`},
	} {
		checkLine(t, decodeLine(t, tc.name, tc.ret, tc.args, tc.caps...), tc.want)
	}
	// strace 7.2 -X raw and -X verbose.
	raw, verbose := Options{StrSize: 32, ConstStyle: ConstRaw}, Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, raw, "futex_wake", 0, [6]uint64{f, 0xffffffff, 1, 0x82}), `futex_wake(0x555555558020, 0xffffffff, 1, 0x82) = 0`)
	checkLine(t, decodeLineOpt(t, raw, "futex_wake", -22, [6]uint64{f, 5, 0xffffffffffffffff, 0}), `futex_wake(0x555555558020, 0x5, -1, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, verbose, "futex_wake", 0, [6]uint64{f, 0xffffffff, 1, 0x82}),
		`futex_wake(0x555555558020, 0xffffffff /* FUTEX_BITSET_MATCH_ANY */, 1, 0x82 /* FUTEX2_SIZE_U32|FUTEX2_PRIVATE */) = 0`)
	checkLine(t, decodeLineOpt(t, verbose, "futex_wake", -22, [6]uint64{f, 1, 1, 0xff00}),
		`futex_wake(0x555555558020, 0x1, 1, 0xff00 /* FUTEX2_SIZE_U8|0xff00 */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, verbose, "futex_wait", -11, [6]uint64{f, 4, 1, 2, 0, 99}),
		`futex_wait(0x555555558020, 4, 0x1, 0x2 /* FUTEX2_SIZE_U32 */, NULL, 0x63 /* CLOCK_??? */) = -1 EAGAIN (Resource temporarily unavailable)`)
}
