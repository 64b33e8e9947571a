package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the GPIO ioctls (lines from strace 6.1's ioctl_gpio
// tests).

func TestIoctlGpio(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	li := make([]byte, 72)
	copy(li, i32(50))
	copy(li[4:], i32(0x4))
	copy(li[8:], "name")
	copy(li[40:], "consumer")
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc048b402, 0x1000}, wire.Cap{Arg: 2, Data: li}),
		`ioctl(-1, GPIO_GET_LINEINFO_IOCTL, {line_offset=50}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", 42, [6]uint64{^uint64(0), 0xc048b402, 0x1000}, wire.Cap{Arg: 2, Data: li}),
		`ioctl(-1, GPIO_GET_LINEINFO_IOCTL, {line_offset=50} => {flags=GPIOLINE_FLAG_ACTIVE_LOW, name="name", consumer="consumer"}) = 42`)
	er := make([]byte, 0x30)
	copy(er, i32(4))
	copy(er[4:], i32(0x14))
	copy(er[8:], i32(3))
	copy(er[12:], "line consumer")
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc030b404, 0x1000}, wire.Cap{Arg: 2, Data: er}),
		`ioctl(-1, GPIO_GET_LINEEVENT_IOCTL, {lineoffset=4, handleflags=GPIOHANDLE_REQUEST_ACTIVE_LOW|GPIOHANDLE_REQUEST_OPEN_SOURCE, eventflags=GPIOEVENT_REQUEST_BOTH_EDGES, consumer_label="line consumer"}) = -1 EBADF (Bad file descriptor)`)
	lc := make([]byte, 0x110)
	copy(lc, i32(0x102))
	copy(lc[8:], i32(1))
	copy(lc[32:], i32(1))
	copy(lc[36:], i32(0xfeedface))
	copy(lc[40:], []byte{0xda, 0xc0, 0x11, 0xba, 0xef, 0xbe, 0xad, 0xde})
	copy(lc[48:], i32(1))
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0xc110b40d, 0x1000}, wire.Cap{Arg: 2, Data: lc}),
		`ioctl(-1, GPIO_V2_LINE_SET_CONFIG_IOCTL, {flags=GPIO_V2_LINE_FLAG_ACTIVE_LOW|GPIO_V2_LINE_FLAG_BIAS_PULL_UP, num_attrs=1, attrs=[{attr={id=1, padding=0xfeedface, data=0xdeadbeefba11c0da}, mask=0x1}]}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8044b401, 0}), `ioctl(-1, GPIO_GET_CHIPINFO_IOCTL, NULL) = -1 EBADF (Bad file descriptor)`)
}
