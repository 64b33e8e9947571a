package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// cachestat, map_shadow_stack and mseal, as strace 7.2 printed the same
// calls (strace 6.1 predates them).
func TestFamMemRecent(t *testing.T) {
	const rng, st = 0x7ffeeb7d03c0, 0x7ffeeb7d03b0
	r := wire.Cap{Arg: 1, Data: u64s(0, 8192)}
	stat := wire.Cap{Arg: 2, Data: u64s(1, 0, 0, 0, 0)}
	checkLine(t, decodeLine(t, "cachestat", 0, [6]uint64{3, rng, st, 0}, r, stat),
		`cachestat(3, {off=0, len=8192}, {nr_cache=1, nr_dirty=0, nr_writeback=0, nr_evicted=0, nr_recently_evicted=0}, 0) = 0`)
	checkLine(t, decodeLine(t, "cachestat", 0, [6]uint64{0xffffffff00000003, rng, st, 0}, wire.Cap{Arg: 1, Data: u64s(0x1000, 0)}, wire.Cap{Arg: 2, Data: u64s(0, 2, 3, 4, 18446744073709551615)}),
		`cachestat(3, {off=0x1000, len=0}, {nr_cache=0, nr_dirty=2, nr_writeback=3, nr_evicted=4, nr_recently_evicted=18446744073709551615}, 0) = 0`)
	checkLine(t, decodeLine(t, "cachestat", -22, [6]uint64{3, rng, st, 0xffffffff00000005}, r),
		`cachestat(3, {off=0, len=8192}, 0x7ffeeb7d03b0, 0x5) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "cachestat", -9, [6]uint64{0xffffffff, rng, st, 0}, r),
		`cachestat(-1, {off=0, len=8192}, 0x7ffeeb7d03b0, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "cachestat", -14, [6]uint64{3, 0, st, 0}),
		`cachestat(3, NULL, 0x7ffeeb7d03b0, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "cachestat", -14, [6]uint64{3, rng, 0, 0}, r),
		`cachestat(3, {off=0, len=8192}, NULL, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "cachestat", -14, [6]uint64{3, 8, 16, 0}, wire.Cap{Arg: 1, Flags: wire.CapFault}),
		`cachestat(3, 0x8, 0x10, 0) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "cachestat", 0, [6]uint64{3, rng, st, 0}, r, stat),
		`cachestat(3, 0x7ffeeb7d03c0, 0x7ffeeb7d03b0, 0) = 0`)

	raw, verbose := Options{StrSize: 32, ConstStyle: ConstRaw}, Options{StrSize: 32, ConstStyle: ConstVerbose}
	for _, c := range []struct {
		opt   Options
		flags uint64
		want  string
	}{
		{Options{StrSize: 32}, 1, `SHADOW_STACK_SET_TOKEN`},
		{Options{StrSize: 32}, 0, `0`},
		{Options{StrSize: 32}, 3 | 0xff00000000, `SHADOW_STACK_SET_TOKEN|0x2`},
		{Options{StrSize: 32}, 0xfffffffff0, `0xfffffff0 /* SHADOW_STACK_??? */`},
		{Options{StrSize: 32}, 4, `0x4 /* SHADOW_STACK_??? */`},
		{verbose, 1, `0x1 /* SHADOW_STACK_SET_TOKEN */`},
		{verbose, 3, `0x3 /* SHADOW_STACK_SET_TOKEN|0x2 */`},
		{verbose, 4, `0x4 /* SHADOW_STACK_??? */`},
		{raw, 3, `0x3`},
	} {
		checkLine(t, decodeLineOpt(t, c.opt, "map_shadow_stack", -38, [6]uint64{0, 4096, c.flags}),
			`map_shadow_stack(NULL, 4096, `+c.want+`) = -1 ENOSYS (Function not implemented)`)
	}
	// The address of the stack it made: decimal, as strace 7.2 prints it
	// (-e inject=map_shadow_stack:retval=).
	checkLine(t, decodeLine(t, "map_shadow_stack", 139637976731648, [6]uint64{0x7f0000000000, 8192, 0}),
		`map_shadow_stack(0x7f0000000000, 8192, 0) = 139637976731648`)

	checkLine(t, decodeLine(t, "mseal", 0, [6]uint64{0x7f6c6343f000, 4096, 0}), `mseal(0x7f6c6343f000, 4096, 0) = 0`)
	checkLine(t, decodeLine(t, "mseal", -22, [6]uint64{0x7f6c6343f000, 4096, 0xff}), `mseal(0x7f6c6343f000, 4096, 0xff) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "mseal", -22, [6]uint64{0x7f6c6343f000, 0xffffffffffffffff, 0xffffffff00000001}),
		`mseal(0x7f6c6343f000, 18446744073709551615, 0xffffffff00000001) = -1 EINVAL (Invalid argument)`)
}
