package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// nsIDReqBuf is a struct ns_id_req, then extra.
func nsIDReqBuf(size, spare uint32, nsID uint64, nsType, spare2 uint32, userNsID uint64, extra ...byte) []byte {
	b := make([]byte, 32)
	le.PutUint32(b, size)
	le.PutUint32(b[4:], spare)
	le.PutUint64(b[8:], nsID)
	le.PutUint32(b[16:], nsType)
	le.PutUint32(b[20:], spare2)
	le.PutUint64(b[24:], userNsID)
	return append(b, extra...)
}

// Lines strace 7.2 printed for listns (strace 6.1 knows it not) on Linux
// 6.18, which has it not (ENOSYS), and for one -e inject= answered.
func TestFamListns(t *testing.T) {
	const req, ids = 0x7fff81030db0, 0x7fff81030dd0
	const nosys = " = -1 ENOSYS (Function not implemented)"
	in := func(d []byte) wire.Cap { return wire.Cap{Arg: 0, Data: d} }
	extra := make([]byte, 16)
	extra[3], extra[15] = 0x41, 0xff
	for _, tc := range []struct {
		ret  int64
		args [6]uint64
		caps []wire.Cap
		want string
	}{
		{-38, [6]uint64{req, ids, 4, 0}, []wire.Cap{in(nsIDReqBuf(32, 0, 0, 0, 0, 0))},
			`listns({size=32, ns_id=0, ns_type=0, user_ns_id=0}, 0x7fff81030dd0, 4, 0)` + nosys},
		{-38, [6]uint64{req, ids, 0, 0xffffffff}, []wire.Cap{in(nsIDReqBuf(32, 5, 0x1234, 0x7e020080, 9, ^uint64(0)))},
			`listns({size=32, spare=0x5, ns_id=0x1234, ns_type=TIME_NS|MNT_NS|CGROUP_NS|UTS_NS|IPC_NS|USER_NS|PID_NS|NET_NS, spare2=0x9, user_ns_id=LISTNS_CURRENT_USER}, [], 0, 0xffffffff)` + nosys},
		{-38, [6]uint64{req, 0, 5, 1}, []wire.Cap{in(nsIDReqBuf(24, 0, 1, 1, 0, 5))}, `listns({size=24}, NULL, 5, 0x1)` + nosys},
		{-38, [6]uint64{req, ids, 1, 0}, []wire.Cap{in(nsIDReqBuf(48, 0, 1, 3, 0, 0xffffffff, extra...))},
			`listns({size=48, ns_id=0x1, ns_type=0x3 /* ???_NS */, user_ns_id=0xffffffff, /* bytes 32..47 */ "\x00\x00\x00\x41\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff"}, 0x7fff81030dd0, 1, 0)` + nosys},
		{-38, [6]uint64{req, ids, 1, 0}, []wire.Cap{in(nsIDReqBuf(40, 0, 1, 3, 0, 0xffffffff, extra...))},
			`listns({size=40, ns_id=0x1, ns_type=0x3 /* ???_NS */, user_ns_id=0xffffffff, /* bytes 32..39 */ "\x00\x00\x00\x41\x00\x00\x00\x00"}, 0x7fff81030dd0, 1, 0)` + nosys},
		{-38, [6]uint64{req, ids, 1, 0}, []wire.Cap{in(nsIDReqBuf(40, 0, 1, 0x20003, 0, 0, make([]byte, 8)...))},
			`listns({size=40, ns_id=0x1, ns_type=MNT_NS|0x3, user_ns_id=0}, 0x7fff81030dd0, 1, 0)` + nosys},
		// Cut by an unmapped page: in the tail, in the fields, in the size.
		{-38, [6]uint64{req, ids, 1, 0}, []wire.Cap{{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: nsIDReqBuf(8192, 0, 1, 3, 0, 0xffffffff, make([]byte, 2320)...)}},
			`listns({size=8192, ns_id=0x1, ns_type=0x3 /* ???_NS */, user_ns_id=0xffffffff, ???}, 0x7fff81030dd0, 1, 0)` + nosys},
		{-38, [6]uint64{0x7f860d0d8ff0, ids, 1, 0}, []wire.Cap{{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: nsIDReqBuf(32, 0, 0, 0, 0, 0)[:16]}},
			`listns({size=32, ???}, 0x7fff81030dd0, 1, 0)` + nosys},
		{-38, [6]uint64{0x7f860d0d8ffe, ids, 1, 0}, []wire.Cap{{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: []byte{32, 0}}},
			`listns(0x7f860d0d8ffe, 0x7fff81030dd0, 1, 0)` + nosys},
		{-38, [6]uint64{0, 0, 0, 0}, nil, `listns(NULL, NULL, 0, 0)` + nosys},
		{-38, [6]uint64{1, 1, ^uint64(0), 0}, []wire.Cap{{Arg: 0, Flags: wire.CapFault}}, `listns(0x1, 0x1, 18446744073709551615, 0)` + nosys},
		{3, [6]uint64{req, ids, 4, 0}, []wire.Cap{in(nsIDReqBuf(32, 0, 0, 0, 0, 0)), {Arg: 1, Data: u64s(0x1000000000001, 0, 7)}},
			`listns({size=32, ns_id=0, ns_type=0, user_ns_id=0}, [0x1000000000001, 0, 0x7], 4, 0) = 3`},
	} {
		checkLine(t, decodeLine(t, "listns", tc.ret, tc.args, tc.caps...), tc.want)
	}
	verbose := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, verbose, "listns", -38, [6]uint64{req, ids, 0, 0xffffffff}, in(nsIDReqBuf(32, 5, 0x1234, 0x7e020080, 9, ^uint64(0)))),
		`listns({size=32, spare=0x5, ns_id=0x1234, ns_type=0x7e020080 /* TIME_NS|MNT_NS|CGROUP_NS|UTS_NS|IPC_NS|USER_NS|PID_NS|NET_NS */, spare2=0x9, user_ns_id=0xffffffffffffffff /* LISTNS_CURRENT_USER */}, [], 0, 0xffffffff)`+nosys)
}
