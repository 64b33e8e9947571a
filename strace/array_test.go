package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// TestPrintArray: strace's print_array on captured arrays: every element,
// the abbreviation after strsize, the elements up to the first that could
// not be read, the address when none could, NULL and [].
func TestPrintArray(t *testing.T) {
	ids := func(v ...uint32) []byte {
		b := make([]byte, 4*len(v))
		for i, x := range v {
			le.PutUint32(b[4*i:], x)
		}
		return b
	}
	many := make([]uint32, 40)
	for i := range many {
		many[i] = uint32(i)
	}
	part := wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: ids(0xffffffff)}
	for _, tc := range []struct {
		args [6]uint64
		cap  *wire.Cap
		want string
	}{
		{[6]uint64{2, 0x1000}, &wire.Cap{Arg: 1, Data: ids(1, 2)}, `setgroups(2, [1, 2]) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{2, 0x1ffc}, &part, `setgroups(2, [-1, ... /* 0x2000 */]) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{2, 0x1ffe}, &wire.Cap{Arg: 1, Flags: wire.CapFault | wire.CapPart, Data: []byte{1, 2}}, `setgroups(2, 0x1ffe) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{2, 0x1000}, &wire.Cap{Arg: 1, Flags: wire.CapFault}, `setgroups(2, 0x1000) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{0xdead00000002, 0x1000}, &wire.Cap{Arg: 1, Data: ids(1, 2)}, `setgroups(2, [1, 2]) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{40, 0x1000}, &wire.Cap{Arg: 1, Flags: wire.CapTrunc, Data: ids(many[:33]...)}, `setgroups(40, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, ...]) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{0, 0x1000}, nil, `setgroups(0, []) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{1, 0}, nil, `setgroups(1, NULL) = -1 EPERM (Operation not permitted)`},
		{[6]uint64{65537, 0x1000}, &wire.Cap{Arg: 1, Data: ids(1, 2)}, `setgroups(65537, 0x1000) = -1 EPERM (Operation not permitted)`},
	} {
		var caps []wire.Cap
		if tc.cap != nil {
			caps = append(caps, *tc.cap)
		}
		checkLine(t, decodeLine(t, "setgroups", -1, tc.args, caps...), tc.want)
	}
}
