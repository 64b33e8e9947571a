package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// The module calls, as strace 6.1's tests delete_module, finit_module and
// init_module print them.
func TestFamModule(t *testing.T) {
	checkLine(t, decodeLine(t, "delete_module", -38, [6]uint64{0, 0xffffffff00000000}), `delete_module(NULL, 0) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "delete_module", -38, [6]uint64{0x1000, 0xffffffff00000800}, wire.Cap{Arg: 0, Data: []byte("0123456789:;<=>?@ABCDEFGHIJKLMNO")}),
		`delete_module("0123456789:;<=>?@ABCDEFGHIJKLMNO", O_NONBLOCK) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "delete_module", -38, [6]uint64{0x7f3a635e1000, 0xbadc0dedfacef157}, wire.Cap{Arg: 0, Flags: wire.CapFault}),
		`delete_module(0x7f3a635e1000, 0xfacef157 /* O_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "finit_module", -38, [6]uint64{0xdeb0d1edbeeff00d, 0x7f00, 0xbadc0deddefaced0}, wire.Cap{Arg: 1, Flags: wire.CapFault}),
		`finit_module(-1091571699, 0x7f00, 0xdefaced0 /* MODULE_INIT_??? */) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "init_module", -38, [6]uint64{0, 0xffffffff00000000, 0}),
		`init_module(NULL, 18446744069414584320, NULL) = -1 ENOSYS (Function not implemented)`)
}
