package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// waiter is a struct futex_waitv.
func waiter(val, uaddr uint64, flags, reserved uint32) []byte {
	b := u64s(val, uaddr, 0)
	le.PutUint32(b[16:], flags)
	le.PutUint32(b[20:], reserved)
	return b
}

// Lines from strace 6.1's test futex_waitv (-s256).
func TestFamFutexWaitv(t *testing.T) {
	opt := Options{StrSize: 256}
	checkLine(t, decodeLineOpt(t, opt, "futex_waitv", -22, [6]uint64{0, 1, 0xffffffff, 0, 1}), `futex_waitv(NULL, 1, 0xffffffff, NULL, CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "futex_waitv", -22, [6]uint64{0x7fb8749e3000, 0, 1, 0x7fb8749dd000, 0xffffffff}),
		`futex_waitv([], 0, 0x1, 0x7fb8749dd000, 0xffffffff /* CLOCK_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLineOpt(t, opt, "futex_waitv", -22, [6]uint64{0x1000, 1, 0, 0, 1}, wire.Cap{Arg: 0, Data: waiter(^uint64(0), 0, 0xffffffff, 0xffffffff)}),
		`futex_waitv([{val=0xffffffffffffffff, uaddr=NULL, flags=FUTEX_32|FUTEX_PRIVATE_FLAG|0xffffff7d, __reserved=0xffffffff}], 1, 0, NULL, CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)`)
	two := append(waiter(0, 0x7fb874bd1ffc, 130, 0), waiter(1, 0x7fb874bd2000, 130, 0)...)
	checkLine(t, decodeLineOpt(t, opt, "futex_waitv", -110, [6]uint64{0x1000, 2, 0, 0x2000, 1}, wire.Cap{Arg: 0, Data: two}, wire.Cap{Arg: 3, Data: u64s(1, 2)}),
		`futex_waitv([{val=0, uaddr=0x7fb874bd1ffc, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}, {val=0x1, uaddr=0x7fb874bd2000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}], 2, 0, {tv_sec=1, tv_nsec=2}, CLOCK_MONOTONIC) = -1 ETIMEDOUT (Connection timed out)`)
}
