package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Decoder tests of the ioctl calls (see family_test.go).

func TestFamDescIoctl(t *testing.T) {
	tio := make([]byte, 36)
	binary.LittleEndian.PutUint32(tio[0:], 0o2400)    // ICRNL|IXON
	binary.LittleEndian.PutUint32(tio[4:], 0o5)       // OPOST|ONLCR
	binary.LittleEndian.PutUint32(tio[8:], 0o277)     // B38400|CS8|CREAD
	binary.LittleEndian.PutUint32(tio[12:], 0o105073) // ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5401, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5402, 0x1000}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", -int64(unix.ENOTTY), [6]uint64{1, 0x5401, 0x7ffc00585820}, wire.Cap{Arg: 2, Data: tio}),
		`ioctl(1, TCGETS, 0x7ffc00585820) = -1 ENOTTY (Inappropriate ioctl for device)`)
	ws := []byte{24, 0, 80, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x5413, 0x1000}, wire.Cap{Arg: 2, Data: ws}),
		`ioctl(0, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x541b, 0x1000}, wire.Cap{Arg: 2, Data: []byte{0xc5, 4, 0, 0}}),
		`ioctl(3, FIONREAD, [1221]) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{3, 0x5451}), `ioctl(3, FIOCLEX) = 0`)
	checkLine(t, decodeLine(t, "ioctl", 0, [6]uint64{0, 0x540a, 1}), `ioctl(0, TCXONC, TCOON) = 0`)
	checkLine(t, decodeLine(t, "ioctl", -int64(unix.ENOTTY), [6]uint64{3, 0x12345678, 5}),
		`ioctl(3, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0x5) = -1 ENOTTY (Inappropriate ioctl for device)`)
}

// TestIoctlPlanCases: each request strace decodes has its own capture
// case, keyed without its size bits; no two requests share a key with
// different captures; a request without a case captures nothing.
func TestIoctlPlanCases(t *testing.T) {
	nr, ok := Number("ioctl")
	if !ok {
		t.Skip("no ioctl on this architecture")
	}
	pl := Plans()[nr]
	if pl.Flags&wire.PFSelect == 0 || pl.SelArg != 1 || pl.SelMask != ioctlSelMask {
		t.Fatalf("ioctl's plan: flags %#x, selects by arg %d mask %#x", pl.Flags, pl.SelArg, pl.SelMask)
	}
	if pl.Caps[0].Kind != wire.CKNone {
		t.Errorf("ioctl's base plan captures %+v: an undecoded request should cost no copy", pl.Caps[0])
	}
	keys := map[uint32]capRule{}
	check := func(req uint32, r capRule) {
		if prev, ok := keys[req&ioctlSelMask]; ok && prev != r {
			t.Errorf("request %#x shares its case %#x with another request of other captures", req, req&ioctlSelMask)
		}
		keys[req&ioctlSelMask] = r
	}
	for req, e := range ioctls {
		check(req, ioctlCaseRule(req, ioctlCapBytes[e.arg]))
	}
	cases := ioctlCases()
	for req := range ioctlDefs {
		check(req, cases[req&ioctlSelMask][2])
	}
	for req, want := range map[uint32]wire.CapSpec{
		0x5401:     {Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzConst, Elem: 36, Max: 36, When: wire.CWIn},
		0x80045430: {Kind: wire.CKMem, Arg: 2, SizeFrom: wire.SzIoc, SizeArg: 1, Elem: 1, Max: wire.MaxCap, When: wire.CWIn},
		0xae80:     {},
	} {
		c, ok := pl.Cases[req&ioctlSelMask]
		if !ok {
			t.Errorf("request %#x: no case", req)
			continue
		}
		if c.Caps[0] != want {
			t.Errorf("request %#x: case captures %+v, want %+v", req, c.Caps[0], want)
		}
	}
}
