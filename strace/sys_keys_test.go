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

// keyctl, as strace 6.1's test keyctl (-s10) prints it.
func TestFamKeyctl(t *testing.T) {
	opt := Options{StrSize: 10}
	line := func(ret int64, args [6]uint64, caps ...wire.Cap) string {
		return decodeLineOpt(t, opt, "keyctl", ret, args, caps...)
	}
	checkLine(t, line(-95, [6]uint64{0xfacefeed, 0xdeadfee1badc0de5, 0xdeadfee2badc0de6, 0xdeadfee3badc0de7, 0xdeadfee4badc0de8}),
		`keyctl(0xfacefeed /* KEYCTL_??? */, 0xdeadfee1badc0de5, 0xdeadfee2badc0de6, 0xdeadfee3badc0de7, 0xdeadfee4badc0de8) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, line(161452835, [6]uint64{0, 0xffffffff, 0xbb4180004d4d4d4d}), `keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1296911693) = 161452835`)
	checkLine(t, line(1, [6]uint64{1, 0x1000}, wire.Cap{Arg: 1, Data: []byte("very long "), Flags: wire.CapTrunc}),
		`keyctl(KEYCTL_JOIN_SESSION_KEYRING, "very long "...) = 1`)
	checkLine(t, line(-22, [6]uint64{2, 0xdec0ded2, 0x1000, 9}, wire.Cap{Arg: 2, Data: []byte("shrt desc")}),
		`keyctl(KEYCTL_UPDATE, -557785390, "shrt desc", 9) = -1 EINVAL (Invalid argument)`)
	checkLine(t, line(0, [6]uint64{4, 0xfffffff8, 0xffffffff, 0xffffffff}), `keyctl(KEYCTL_CHOWN, KEY_SPEC_REQUESTOR_KEYRING, -1, -1) = 0`)
	checkLine(t, line(-22, [6]uint64{5, 0xdec0ded2, 0xc0c0c0c0}), `keyctl(KEYCTL_SETPERM, -557785390, 0xc0c0c0c0 /* KEY_??? */) = -1 EINVAL (Invalid argument)`)
	checkLine(t, line(26, [6]uint64{6, 0xffffffff, 0x1000, 9}, wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: []byte("\377\377\377\377\377\377\377\377\377")}),
		`keyctl(KEYCTL_DESCRIBE, KEY_SPEC_THREAD_KEYRING, "\377\377\377\377\377\377\377\377\377", 9) = 26`)
	checkLine(t, line(26, [6]uint64{6, 0xffffffff, 0x1000, 256}, wire.Cap{Arg: 2, Data: []byte("keyring;0;")}),
		`keyctl(KEYCTL_DESCRIBE, KEY_SPEC_THREAD_KEYRING, "keyring;0;"..., 256) = 26`)
	checkLine(t, line(1, [6]uint64{17, 0xffffffff, 0x1000, 9}, wire.Cap{Arg: 2, Data: []byte{0}}),
		`keyctl(KEYCTL_GET_SECURITY, KEY_SPEC_THREAD_KEYRING, "", 9) = 1`)
	checkLine(t, line(0, [6]uint64{14, 0xffffffff}), `keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_NO_CHANGE) = 0`)
	checkLine(t, line(0, [6]uint64{18}), `keyctl(KEYCTL_SESSION_TO_PARENT) = 0`)
	checkLine(t, line(-1, [6]uint64{19, 0xdec0ded2, 0xbadc0ded, 19, 0xdec0ded2}),
		`keyctl(KEYCTL_REJECT, -557785390, 3134983661, ENODEV, -557785390) = -1 EPERM (Operation not permitted)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 10, ConstStyle: ConstVerbose}, "keyctl", -1, [6]uint64{19, 0, 0, 19, 0}),
		`keyctl(0x13 /* KEYCTL_REJECT */, 0, 0, 19 /* ENODEV */, 0) = -1 EPERM (Operation not permitted)`)
	checkLine(t, line(-22, [6]uint64{30, 0xffffffff, 0xbadc0ded, 0xffffffff, 0xffffffff}),
		`keyctl(KEYCTL_MOVE, KEY_SPEC_THREAD_KEYRING, -1159983635, KEY_SPEC_THREAD_KEYRING, KEYCTL_MOVE_EXCL|0xfffffffe) = -1 EINVAL (Invalid argument)`)
	params := []byte{0xfa, 0xff, 0xff, 0xff, 0xd2, 0x02, 0x96, 0x49, 0x4d, 0xe6, 0x40, 0xbb}
	checkLine(t, line(-95, [6]uint64{23, 0x1000, 0x2000, 9, 0}, wire.Cap{Arg: 1, Data: params}),
		`keyctl(KEYCTL_DH_COMPUTE, {private=KEY_SPEC_GROUP_KEYRING, prime=1234567890, base=-1153374643}, 0x2000, 9, NULL) = -1 EOPNOTSUPP (Operation not supported)`)
	pk := make([]byte, 40)
	le.PutUint32(pk, 0xdeadbeee)
	le.PutUint32(pk[4:], 36)
	le.PutUint32(pk[8:], 8)
	le.PutUint32(pk[36:], 0xdec0ded)
	checkLine(t, line(-22, [6]uint64{25, 0x1000, 0x2000, 0x3000, 0x4000}, wire.Cap{Arg: 1, Data: pk}, wire.Cap{Arg: 2, Data: []byte{}},
		wire.Cap{Arg: 3, Data: []byte("AbCdEfGhIj")}),
		`keyctl(KEYCTL_PKEY_ENCRYPT, {key_id=-559038738, in_len=36, out_len=8, __spare=[0, 0, 0, 0, 0, 0, 0xdec0ded]}, "", "AbCdEfGhIj"..., 0x4000) = -1 EINVAL (Invalid argument)`)
	checkLine(t, line(-22, [6]uint64{28, 0x1000, 0x2000, 0x3000, 0x4000}, wire.Cap{Arg: 1, Data: pk}, wire.Cap{Arg: 2, Data: []byte{}},
		wire.Cap{Arg: 3, Data: []byte("AbCdEfGhIj")}, wire.Cap{Arg: 4, Data: []byte("\x01\x02HAI\xad\x00\x01\x00\x00")}),
		`keyctl(KEYCTL_PKEY_VERIFY, {key_id=-559038738, in_len=36, in2_len=8, __spare=[0, 0, 0, 0, 0, 0, 0xdec0ded]}, "", "AbCdEfGhIj"..., "\1\2HAI\255\0\1") = -1 EINVAL (Invalid argument)`)
	checkLine(t, line(2, [6]uint64{31, 0x1000, 4}, wire.Cap{Arg: 1, Data: []byte{0xeb, 0x03}}),
		`keyctl(KEYCTL_CAPABILITIES, [KEYCTL_CAPS0_CAPABILITIES|KEYCTL_CAPS0_PERSISTENT_KEYRINGS|KEYCTL_CAPS0_PUBLIC_KEY|KEYCTL_CAPS0_INVALIDATE|KEYCTL_CAPS0_RESTRICT_KEYRING|KEYCTL_CAPS0_MOVE, KEYCTL_CAPS1_NS_KEYRING_NAME|KEYCTL_CAPS1_NS_KEY_TAG], 4) = 2`)
	checkLine(t, line(-14, [6]uint64{31, 0x7f96cfb07fff, 2}), `keyctl(KEYCTL_CAPABILITIES, 0x7f96cfb07fff, 2) = -1 EFAULT (Bad address)`)
}
