package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the random, watchdog, inotify, nsfs and lirc ioctls,
// and of the request's name in each -X style (lines from strace 6.1's
// tests ioctl_random, ioctl_watchdog, ioctl_inotify, ioctl_nsfs,
// ioctl_lirc, ioctl_hdio-Xraw, ioctl_hdio-Xverbose).

func i32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func TestIoctlChardev(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	const a = 0x7fff2f7744bc
	for _, tc := range []struct {
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{ebadf, [6]uint64{^uint64(0), 0x80045200, a}, []wire.Cap{{Arg: 2, Data: i32(6)}}, `ioctl(-1, RNDGETENTCNT, 0x7fff2f7744bc) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40045201, a}, []wire.Cap{{Arg: 2, Data: i32(6)}}, `ioctl(-1, RNDADDTOENTCNT, [6]) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40085203, 0}, nil, `ioctl(-1, RNDADDENTROPY, NULL) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40085203, a}, []wire.Cap{{Arg: 2, Data: append(append(i32(3), i32(8)...), "12345678"...)}},
			`ioctl(-1, RNDADDENTROPY, {entropy_count=3, buf_size=8, buf="12345678"}) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x5204}, nil, `ioctl(-1, FASTRPC_IOCTL_INIT_ATTACH or RNDZAPENTCNT) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x52ff, 0}, nil, `ioctl(-1, _IOC(_IOC_NONE, 0x52, 0xff, 0), 0) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0xc0045706, a}, []wire.Cap{{Arg: 2, Data: i32(123)}}, `ioctl(-1, WDIOC_SETTIMEOUT, [123]) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x80045705, 0}, nil, `ioctl(-1, WDIOC_KEEPALIVE) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40044900, 0xdeadbeefbadc0ded}, nil, `ioctl(-1, INOTIFY_IOC_SETNEXTWD, -1159983635) = -1 EBADF (Bad file descriptor)`},
		{5, [6]uint64{3, 0xb701}, nil, `ioctl(3, NS_GET_USERNS) = 5`},
		{0x10000000, [6]uint64{5, 0xb703}, nil, `ioctl(5, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)`},
		{0, [6]uint64{5, 0xb704, a}, []wire.Cap{{Arg: 2, Data: i32(0)}}, `ioctl(5, NS_GET_OWNER_UID, [0]) = 0`},
		{ebadf, [6]uint64{^uint64(0), 0x4004691f, a}, []wire.Cap{{Arg: 2, Data: i32(40000)}},
			`ioctl(-1, IPMICTL_SET_MAINTENANCE_MODE_CMD or LIRC_SET_REC_CARRIER_RANGE, [40000]) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40046912, a}, []wire.Cap{{Arg: 2, Data: i32(3)}}, `ioctl(-1, LIRC_SET_REC_MODE, [0x3 /* LIRC_MODE_??? */]) = -1 EBADF (Bad file descriptor)`},
		{ebadf, [6]uint64{^uint64(0), 0x40046917, a}, []wire.Cap{{Arg: 2, Data: i32(0x1f)}}, `ioctl(-1, LIRC_SET_TRANSMITTER_MASK, [0x1f]) = -1 EBADF (Bad file descriptor)`},
		{42, [6]uint64{^uint64(0), 0x80046900, a}, []wire.Cap{{Arg: 2, Data: i32(0x2 | 0x200 | 0x4000000 | 0x20000000 | 0x8000000)}},
			`ioctl(-1, LIRC_GET_FEATURES, [LIRC_CAN_SEND_PULSE|LIRC_CAN_SET_SEND_DUTY_CYCLE|LIRC_CAN_USE_WIDEBAND_RECEIVER|LIRC_CAN_GET_REC_RESOLUTION|0x8000000]) = 42`},
		{ebadf, [6]uint64{^uint64(0), 0x80046900, a}, []wire.Cap{{Arg: 2, Data: i32(1)}}, `ioctl(-1, LIRC_GET_FEATURES, 0x7fff2f7744bc) = -1 EBADF (Bad file descriptor)`},
	} {
		checkLine(t, decodeLine(t, "ioctl", tc.ret, tc.args, tc.caps...), tc.want)
	}
	raw := Options{StrSize: 32, ConstStyle: ConstRaw}
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, raw, "ioctl", ebadf, [6]uint64{^uint64(0), 0x305, 0}), `ioctl(-1, 0x305, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", ebadf, [6]uint64{^uint64(0), 0x305, 0}),
		`ioctl(-1, 0x305 /* HDIO_GET_QDMA */, 0) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLineOpt(t, verbose, "ioctl", ebadf, [6]uint64{^uint64(0), 0x52ff, 0}),
		`ioctl(-1, 0x52ff /* _IOC(_IOC_NONE, 0x52, 0xff, 0) */, 0) = -1 EBADF (Bad file descriptor)`)
}

// TestIoctlOutAtExit: an output argument waits for the call's return (an
// injected call's entry is announced first).
func TestIoctlOutAtExit(t *testing.T) {
	s := lookup(mustNumber(t, "ioctl")).signature()
	if got := s.split(&Call{Call: wire.Call{Args: [6]uint64{0, 0x80046900, 1}}}, 3); got != 2 {
		t.Errorf("LIRC_GET_FEATURES: split %d, want 2", got)
	}
	if got := s.split(&Call{Call: wire.Call{Args: [6]uint64{0, 0x40046912, 1}}}, 3); got != 3 {
		t.Errorf("LIRC_SET_REC_MODE: split %d, want 3", got)
	}
}

func mustNumber(t *testing.T, name string) uint32 {
	nr, ok := Number(name)
	if !ok {
		t.Skipf("no %s", name)
	}
	return uint32(nr)
}

func TestIoctlTiocm(t *testing.T) {
	ebadf := -int64(unix.EBADF)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x5416, 0x1000}, wire.Cap{Arg: 2, Data: i32(0xffff1e00)}),
		`ioctl(-1, TIOCMBIS, [0xffff1e00 /* TIOCM_??? */]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x5418, 0x1000}, wire.Cap{Arg: 2, Data: i32(0xe1ff)}),
		`ioctl(-1, TIOCMSET, [TIOCM_LE|TIOCM_DTR|TIOCM_RTS|TIOCM_ST|TIOCM_SR|TIOCM_CTS|TIOCM_CAR|TIOCM_RNG|TIOCM_DSR|TIOCM_OUT1|TIOCM_OUT2|TIOCM_LOOP]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "ioctl", ebadf, [6]uint64{^uint64(0), 0x5415, 0x1000}, wire.Cap{Arg: 2, Data: i32(1)}),
		`ioctl(-1, TIOCMGET, 0x1000) = -1 EBADF (Bad file descriptor)`)
}

func TestIoctlTermio(t *testing.T) {
	efault := -int64(unix.EFAULT)
	checkLine(t, decodeLine(t, "ioctl", efault, [6]uint64{3, 0x5457, 0}), `ioctl(3, TIOCSLCKTRMIOS, NULL) = -1 EFAULT (Bad address)`)
	tio := []byte{0x01, 0x40, 0x45, 0x5c, 0x52, 0x00, 0x11, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x5406, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(3, TCSETA, {c_iflag=IGNBRK|IUTF8, c_oflag=NL0|CR2|XTABS|BS0|VT1|FF0|OPOST|ONLCR|OFILL, c_cflag=B75|CS6|CSTOPB, c_lflag=ISIG|ECHOE|FLUSHO, ...}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", efault, [6]uint64{3, 0x802c542a, 0x1000}, wire.Cap{Arg: 2, Data: make([]byte, 44)}),
		`ioctl(3, TCGETS2, 0x1000) = -1 EFAULT (Bad address)`)
}
