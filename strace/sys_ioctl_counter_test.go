package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

func TestFamIoctlCounter(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40063e00, 0x7f8708f04ffa}, wire.Cap{Arg: 2, Data: []byte{5, 2, 23, 42, 6, 69}}),
		`ioctl(-1, COUNTER_ADD_WATCH_IOCTL, {component={type=COUNTER_COMPONENT_EXTENSION, scope=COUNTER_SCOPE_COUNT, parent=23, id=42}, event=COUNTER_EVENT_CAPTURE, channel=69}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40063e00, 0x7f8708f04ffa}, wire.Cap{Arg: 2, Data: []byte{6, 3, 142, 160, 7, 173}}),
		`ioctl(-1, COUNTER_ADD_WATCH_IOCTL, {component={type=0x6 /* COUNTER_COMPONENT_??? */, scope=0x3 /* COUNTER_SCOPE_??? */, parent=142, id=160}, event=0x7 /* COUNTER_EVENT_??? */, channel=173}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "ioctl", ebadf, [6]uint64{^uint64(0), 0x40063e00, 0x7f8708f04ffa}, wire.Cap{Arg: 2, Data: []byte{5, 2, 23, 42, 6, 69}}),
		`ioctl(-1, 0x40063e00, {component={type=0x5, scope=0x2, parent=23, id=42}, event=0x6, channel=69}) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x3e01, 0xdeadbeefbadc0ded}), `ioctl(-1, COUNTER_ENABLE_EVENTS_IOCTL) = -1 EBADF (Bad file descriptor)`)
}
