package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the RTC ioctls (lines from strace 6.1's ioctl_rtc
// tests).

func TestIoctlRtc(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	tm := make([]byte, 36)
	for j := range tm {
		tm[j] = byte(0x80 + j)
	}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x4024700a, 0x1000}, wire.Cap{Arg: 2, Data: tm}),
		`ioctl(-1, RTC_SET_TIME, {tm_sec=-2088599168, tm_min=-2021227132, tm_hour=-1953855096, tm_mday=-1886483060, tm_mon=-1819111024, tm_year=-1751738988, ...}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x7004}), `ioctl(-1, PHN_NOT_OH or RTC_UIE_OFF) = -1 EBADF (Bad file descriptor)`)
	param := make([]byte, 24)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40187013, 0x7fcd3bc7bfe8}, wire.Cap{Arg: 2, Data: param}),
		`ioctl(-1, RTC_PARAM_GET, {param=RTC_PARAM_FEATURES, index=0} => 0x7fcd3bc7bfe8) = -1 EBADF (Bad file descriptor)`)
	copy(param[8:], i32(0xbeef00))
	copy(param[20:], i32(1))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40187014, 0x1000}, wire.Cap{Arg: 2, Data: param}),
		`ioctl(-1, RTC_PARAM_SET, {param=RTC_PARAM_FEATURES, uvalue=0xbeef00 /* 1<<RTC_FEATURE_??? */, index=0, __pad=0x1}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0x40187013, 0x1000}, wire.Cap{Arg: 2, Data: param}),
		`ioctl(-1, RTC_PARAM_GET, {param=RTC_PARAM_FEATURES, index=0, __pad=0x1} => {uvalue=0xbeef00 /* 1<<RTC_FEATURE_??? */, __pad=0x1}) = 42`)
}
