package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// SOL_NETLINK options: names and values as strace 6.1 prints them
// (expectations from strace 6.1 on tests/sockopt-sol_netlink and on
// `ip addr` / `ss -tan`).

func TestFamSockoptNetlink(t *testing.T) {
	i4 := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 270, 11, 0x1000, 4}, wire.Cap{Arg: 3, Data: i4(1)}),
		`setsockopt(3, SOL_NETLINK, NETLINK_EXT_ACK, [1], 4) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 270, 12, 0x1000, 4}, wire.Cap{Arg: 3, Data: i4(1)}),
		`setsockopt(3, SOL_NETLINK, NETLINK_GET_STRICT_CHK, [1], 4) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", -22, [6]uint64{4, 270, 8, 0x1000, 0xffffffff}),
		`setsockopt(4, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 0x1000, -1) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "setsockopt", -92, [6]uint64{4, 270, 13, 0x1000, 4}, wire.Cap{Arg: 3, Data: i4(0xdefaced)}),
		`setsockopt(4, SOL_NETLINK, 0xd /* NETLINK_??? */, [233811181], 4) = -1 ENOPROTOOPT (Protocol not available)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "setsockopt", 0, [6]uint64{3, 270, 1, 0x1000, 4}, wire.Cap{Arg: 3, Data: i4(2)}),
		`setsockopt(3, 0x10e /* SOL_NETLINK */, 0x1 /* NETLINK_ADD_MEMBERSHIP */, [2], 4) = 0`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "setsockopt", 0, [6]uint64{3, 270, 1, 0x1000, 4}, wire.Cap{Arg: 3, Data: i4(2)}),
		`setsockopt(3, 0x10e, 0x1, [2], 4) = 0`)

	get := func(ret int64, name, addr uint64, ulen, rlen uint32, val []byte, flags uint8) string {
		caps := []wire.Cap{{Arg: 4, Idx: wire.EntryIdx, Data: i4(ulen)}, {Arg: 4, Data: i4(rlen)}}
		if val != nil || flags != 0 {
			caps = append(caps, wire.Cap{Arg: 3, Data: val, Flags: flags})
		}
		return decodeLine(t, "getsockopt", ret, [6]uint64{4, 270, name, addr, 0x2000}, caps...)
	}
	checkLine(t, get(0, 3, 0x1000, 5, 4, i4(0), 0),
		`getsockopt(4, SOL_NETLINK, NETLINK_PKTINFO, [0], [5 => 4]) = 0`)
	checkLine(t, get(0, 12, 0x1000, 4, 4, i4(1), 0),
		`getsockopt(4, SOL_NETLINK, NETLINK_GET_STRICT_CHK, [1], [4]) = 0`)
	// NETLINK_LIST_MEMBERSHIPS: min(ulen, rlen)/4 groups; the kernel
	// returns what all of them need (here 8 bytes, into 4 at a page's end).
	checkLine(t, get(0, 9, 0x1000, 4, 8, i4(0), wire.CapFault|wire.CapPart),
		`getsockopt(4, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, [0], [4 => 8]) = 0`)
	checkLine(t, get(0, 9, 0x1000, 3, 8, nil, wire.CapFault),
		`getsockopt(4, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, [], [3 => 8]) = 0`)
	checkLine(t, get(0, 9, 0, 0, 8, nil, 0),
		`getsockopt(4, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, NULL, [0 => 8]) = 0`)
	checkLine(t, get(0, 9, 0x1000, 16, 8, append(i4(0x11), i4(0xfffffffe)...), 0),
		`getsockopt(4, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, [17, 4294967294], [16 => 8]) = 0`)
	checkLine(t, get(-14, 9, 0x1000, 4, 4, nil, 0),
		`getsockopt(4, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, 0x1000, [4]) = -1 EFAULT (Bad address)`)
}
