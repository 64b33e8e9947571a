package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// add_key and request_key, as strace 6.1's tests add_key (-s12) and
// request_key print them.
func TestFamKeys(t *testing.T) {
	opt := Options{StrSize: 12}
	checkLine(t, decodeLineOpt(t, opt, "add_key", -14, [6]uint64{0, 0, 0, 0, 0xffffffff}),
		`add_key(NULL, NULL, NULL, 0, KEY_SPEC_THREAD_KEYRING) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLineOpt(t, opt, "add_key", -14, [6]uint64{0, 0x1000, 0x2000, 15, 0xb669fd2e},
		wire.Cap{Arg: 1, Data: []byte("desc")}, wire.Cap{Arg: 2, Flags: wire.CapTrunc, Data: []byte("overly long ")}),
		`add_key(NULL, "desc", "overly long "..., 15, -1234567890) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLineOpt(t, opt, "add_key", -14, [6]uint64{0x7f7909a39ffb, 0, 0x7f7909844ffb, 10, 1234567890},
		wire.Cap{Arg: 0, Flags: wire.CapFault}, wire.Cap{Arg: 2, Flags: wire.CapFault}),
		`add_key(0x7f7909a39ffb, NULL, 0x7f7909844ffb, 10, 1234567890) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "request_key", -14, [6]uint64{0, 0x1000, 0x2000, 0xfffffff8},
		wire.Cap{Arg: 1, Data: []byte{025, 026, 027, 030, 031}}, wire.Cap{Arg: 2, Data: []byte("info")}),
		`request_key(NULL, "\25\26\27\30\31", "info", KEY_SPEC_REQUESTOR_KEYRING) = -1 EFAULT (Bad address)`)
}
