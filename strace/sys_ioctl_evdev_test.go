package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the evdev ioctls (lines from strace 6.1's ioctl_evdev
// and ioctl_evdev-success tests).

func TestIoctlEvdev(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x800e4521, 0}), `ioctl(-1, EVIOCGBIT(EV_KEY, 14), NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x80004526, 0}), `ioctl(-1, EVIOCGBIT(0x6 /* EV_??? */, 0), NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x401845ce, 0}), `ioctl(-1, EVIOCSABS(0xe /* ABS_??? */), NULL) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x8008450a, 0}), `ioctl(-1, EVIOCGMTSLOTS(8), NULL) = -1 EBADF (Bad file descriptor)`)
	bits := make([]byte, 8)
	copy(bits, i32(1<<3|1<<4|1<<17|1<<18|1<<22))
	checkLine(t, decodeLine(t, "ioctl", 16, [6]uint64{^uint64(0), 0x80004520, 0x1000}, wire.Cap{Arg: 2, Data: bits}),
		`ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC EV_LED EV_SND ...]) = 16`)
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", 8, [6]uint64{^uint64(0), 0x80004520, 0x1000}, wire.Cap{Arg: 2, Data: bits}),
		`ioctl(-1, 0x80004520 /* EVIOCGBIT(0, 0) */, [0x3 /* EV_ABS */ 0x4 /* EV_MSC */ 0x11 /* EV_LED */ 0x12 /* EV_SND */ ...] /* [0x460018] */) = 8`)
	slots := append(append(i32(0x2f), i32(1)...), i32(3)...)
	checkLine(t, decodeLine(t, "ioctl", 2, [6]uint64{^uint64(0), 0x800c450a, 0x1000}, wire.Cap{Arg: 2, Data: slots}),
		`ioctl(-1, EVIOCGMTSLOTS(12), {code=ABS_MT_SLOT, values=[1, 3]}) = 2`)
	abs := append(append(i32(2206368128), i32(2273740164)...), make([]byte, 16)...)
	checkLine(t, decodeLine(t, "ioctl", 2, [6]uint64{^uint64(0), 0x80184541, 0x1000}, wire.Cap{Arg: 2, Data: abs}),
		`ioctl(-1, EVIOCGABS(ABS_Y), {value=2206368128, minimum=2273740164, ...}) = 2`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40084504, 0x1000}, wire.Cap{Arg: 2, Data: append(i32(3735928559), i32(1)...)}),
		`ioctl(-1, EVIOCSKEYCODE, [3735928559, KEY_ESC]) = -1 EBADF (Bad file descriptor)`)
	ff := []byte{0x52, 0, 0x82, 0x83, 0x84, 0x85}
	ff = append(ff, make([]byte, 42)...)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40304580, 0x1000}, wire.Cap{Arg: 2, Data: ff}),
		`ioctl(-1, EVIOCSFF, {type=FF_CONSTANT, id=-31870, direction=34180, ...}) = -1 EBADF (Bad file descriptor)`)
}
