package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's test modify_ldt.
func TestFamModifyLdt(t *testing.T) {
	checkLine(t, decodeLine(t, "modify_ldt", 0, [6]uint64{0, 0, 0}), `modify_ldt(0, NULL, 0) = 0`)
	checkLine(t, decodeLine(t, "modify_ldt", 4294967258, [6]uint64{0xbadc0dedda7a1057, 0x7fb213b6eff0, 42}),
		`modify_ldt(-629534633, 0x7fb213b6eff0, 42) = 4294967258 ENOSYS (Function not implemented)`)
	desc := []byte{0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0, 0, 0}
	checkLine(t, decodeLine(t, "modify_ldt", 4294967258, [6]uint64{0xbadc0dedda7a1057, 0x1000, 16}, wire.Cap{Arg: 1, Data: desc}),
		`modify_ldt(-629534633, {entry_number=2206368128, base_addr=0x87868584, limit=0x8b8a8988, seg_32bit=0, contents=2, read_exec_only=1, limit_in_pages=0, seg_not_present=0, useable=0, lm=1}, 16) = 4294967258 ENOSYS (Function not implemented)`)
	desc = []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x61, 0, 0, 0}
	checkLine(t, decodeLine(t, "modify_ldt", 4294967258, [6]uint64{0xbadc0dedda7a1057, 0x1000, 16}, wire.Cap{Arg: 1, Data: desc}),
		`modify_ldt(-629534633, {entry_number=-1, base_addr=00000000, limit=00000000, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=0, seg_not_present=1, useable=1, lm=0}, 16) = 4294967258 ENOSYS (Function not implemented)`)
}
