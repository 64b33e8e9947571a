package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of -s (32 here) as strace applies it: strings are cut at
// -s bytes, with "..." only when there was more (the capture reads one
// byte more than shown, so a string of exactly -s bytes arrives whole);
// arrays show at most -s elements. The lines are what strace 6.1 printed.

const (
	s31 = "0123456789012345678901234567890"
	s32 = "01234567890123456789012345678901"
	s33 = "012345678901234567890123456789012"
)

func TestLimitStrings(t *testing.T) {
	str := func(arg uint8, s string, trunc bool) wire.Cap {
		c := wire.Cap{Arg: arg, Data: []byte(s)}
		if trunc {
			c.Flags = wire.CapTrunc
		}
		return c
	}
	checkLine(t, decodeLine(t, "memfd_create", 4, [6]uint64{0x1000, 0}, str(0, s32, false)),
		`memfd_create("`+s32+`", 0) = 4`)
	checkLine(t, decodeLine(t, "memfd_create", 5, [6]uint64{0x1000, 0}, str(0, s33, true)),
		`memfd_create("`+s32+`"..., 0) = 5`)
	checkLine(t, decodeLine(t, "removexattr", -2, [6]uint64{0x1000, 0x2000}, str(0, "/nonexistent", false), str(1, "user.3456789012345678901234567890", true)),
		`removexattr("/nonexistent", "user.345678901234567890123456789"...) = -1 ENOENT (No such file or directory)`)
	argv := []wire.Cap{str(1, "x", false), str(1, s31, false), str(1, s32, false), str(1, s33, true)}
	for i := range argv {
		argv[i].Idx = uint16(i)
	}
	caps := append([]wire.Cap{str(0, "/nonexistent", false), {Arg: 2, Data: []byte{0, 0, 0, 0}}}, argv...)
	checkLine(t, decodeLine(t, "execve", -2, [6]uint64{0x1000, 0x2000, 0x7ffc51212538}, caps...),
		`execve("/nonexistent", ["x", "`+s31+`", "`+s32+`", "`+s32+`"...], 0x7ffc51212538 /* 0 vars */) = -1 ENOENT (No such file or directory)`)
}
