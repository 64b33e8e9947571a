package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of setsockopt and getsockopt values (strace's
// print_setsockopt and print_getsockopt).

func TestFamSetsockoptStructs(t *testing.T) {
	ff := make([]byte, 16)
	for k := range ff {
		ff[k] = 0xff
	}
	// net-tpacket_req
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 263, 5, 0x1000, 16}, wire.Cap{Arg: 3, Data: ff}),
		`setsockopt(-1, SOL_PACKET, PACKET_RX_RING, {tp_block_size=4294967295, tp_block_nr=4294967295, tp_frame_size=4294967295, tp_frame_nr=4294967295}, 16) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 263, 13, 0x1000, 17}, wire.Cap{Arg: 3, Data: append(ff, 0)}),
		`setsockopt(-1, SOL_PACKET, PACKET_TX_RING, 0x1000, 17) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 263, 0xffffffff, 0, 0}),
		`setsockopt(-1, SOL_PACKET, 0xffffffff /* PACKET_??? */, NULL, 0) = -1 EBADF (Bad file descriptor)`)
	// net-packet_mreq
	mreq := append([]byte{0, 0, 0, 0, 0xff, 0xff, 7, 0}, ff[:8]...)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 263, 1, 0x1000, 16}, wire.Cap{Arg: 3, Data: mreq}),
		`setsockopt(-1, SOL_PACKET, PACKET_ADD_MEMBERSHIP, {mr_ifindex=0, mr_type=0xffff /* PACKET_MR_??? */, mr_alen=7, mr_address=ff:ff:ff:ff:ff:ff:ff}, 16) = -1 EBADF (Bad file descriptor)`)
	mreq[4], mreq[5], mreq[6] = 1, 0, 2
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstVerbose}, "setsockopt", -9, [6]uint64{0xffffffff, 263, 2, 0x1000, 16}, wire.Cap{Arg: 3, Data: mreq}),
		`setsockopt(-1, 0x107 /* SOL_PACKET */, 0x2 /* PACKET_DROP_MEMBERSHIP */, {mr_ifindex=0, mr_type=0x1 /* PACKET_MR_PROMISC */, mr_alen=2, mr_address="\xff\xff" /* ff:ff */}, 16) = -1 EBADF (Bad file descriptor)`)
	// group_req: the interface is not known here (index 0xffffffff).
	gr := make([]byte, 136)
	copy(gr, []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 2, 0, 0xff, 0xff, 224, 0, 0, 3})
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{0, 0, 42, 0x1000, 136}, wire.Cap{Arg: 3, Data: gr}),
		`setsockopt(0, SOL_IP, MCAST_JOIN_GROUP, {gr_interface=4294967295, gr_group={sa_family=AF_INET, sin_port=htons(65535), sin_addr=inet_addr("224.0.0.3")}}, 136) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", -22, [6]uint64{0, 0, 45, 0x1000, 0xffffffff}),
		`setsockopt(0, SOL_IP, MCAST_LEAVE_GROUP, 0x1000, -1) = -1 EINVAL (Invalid argument)`)
	// ip_mreq, ipv6_mreq
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{0, 0, 35, 0x1000, 8}, wire.Cap{Arg: 3, Data: []byte{224, 0, 0, 3, 127, 0, 0, 1}}),
		`setsockopt(0, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr("224.0.0.3"), imr_interface=inet_addr("127.0.0.1")}, 8) = 0`)
	m6 := []byte{0xff, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "setsockopt", -92, [6]uint64{0, 41, 20, 0x1000, 20}, wire.Cap{Arg: 3, Data: m6}),
		`setsockopt(0, SOL_IPV6, IPV6_ADD_MEMBERSHIP, {inet_pton(AF_INET6, "ff01::c", &ipv6mr_multiaddr), ipv6mr_interface=0}, 20) = -1 ENOPROTOOPT (Protocol not available)`)
	// SO_LINGER, ICMP_FILTER
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 13, 0x1000, 8}, wire.Cap{Arg: 3, Data: []byte{0xf1, 0xff, 0xff, 0xff, 0xd6, 0xff, 0xff, 0xff}}),
		`setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=-15, l_linger=-42}, 8) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", -22, [6]uint64{3, 1, 13, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{1, 0, 0, 0}}),
		`setsockopt(3, SOL_SOCKET, SO_LINGER, 0x1000, 4) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 255, 1, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{0x39, 0x18, 0, 0}}),
		`setsockopt(-1, SOL_RAW, ICMP_FILTER, [ICMP_ECHOREPLY ICMP_DEST_UNREACH ICMP_SOURCE_QUENCH ICMP_REDIRECT ICMP_TIME_EXCEEDED ICMP_PARAMETERPROB], 4) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 255, 1, 0x1000, 4}, wire.Cap{Arg: 3, Data: []byte{0xff, 0xff, 0xff, 0xff}}),
		`setsockopt(-1, SOL_RAW, ICMP_FILTER, ~[], 4) = -1 EBADF (Bad file descriptor)`)
}

func TestFamGetsockoptValues(t *testing.T) {
	l4 := func(v byte) wire.Cap { return wire.Cap{Arg: 4, Data: []byte{v, 0, 0, 0}} }
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{4, 1, 4, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: []byte{111, 0, 0, 0}}, l4(4)),
		`getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{4, 1, 4, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: []byte{111}}, l4(1)),
		`getsockopt(4, SOL_SOCKET, SO_ERROR, "\x6f", [1]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{4, 1, 4, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: []byte{}}, l4(0)),
		`getsockopt(4, SOL_SOCKET, SO_ERROR, 0x1000, [0]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", -22, [6]uint64{4, 1, 4, 0x1000, 0x2000}, wire.Cap{Arg: 4, Data: []byte{0xff, 0xff, 0xff, 0xff}}),
		`getsockopt(4, SOL_SOCKET, SO_ERROR, 0x1000, [-1]) = -1 EINVAL (Invalid argument)`)
	cred := []byte{0xd9, 0x2f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{3, 1, 17, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: cred[:7]}, l4(7)),
		`getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=12249, uid="\x00\x00\x00"}, [7]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{3, 1, 17, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: cred}, l4(12)),
		`getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=12249, uid=0, gid=0}, [12]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{3, 1, 13, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: []byte{1, 0, 0}}, l4(3)),
		`getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff="\x01\x00\x00"}, [3]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", -9, [6]uint64{0xffffffff, 263, 6, 0x1000, 0x2000}, l4(12)),
		`getsockopt(-1, SOL_PACKET, PACKET_STATISTICS, 0x1000, [12]) = -1 EBADF (Bad file descriptor)`)
	checkLine(t, decodeLine(t, "getsockopt", 0, [6]uint64{3, 263, 6, 0x1000, 0x2000}, wire.Cap{Arg: 3, Data: []byte{5, 0, 0, 0, 1, 0, 0, 0}}, l4(8)),
		`getsockopt(3, SOL_PACKET, PACKET_STATISTICS, {tp_packets=5, tp_drops=1}, [8]) = 0`)
	checkLine(t, decodeLine(t, "getsockopt", -9, [6]uint64{0xffffffff, 255, 1, 0, 0}),
		`getsockopt(-1, SOL_RAW, ICMP_FILTER, NULL, NULL) = -1 EBADF (Bad file descriptor)`)
}

// A value at a page's end with a length larger than it (strace's tests
// sockopt-sol_socket, so_linger, ip_mreq, net-icmp_filter): the capture
// holds the bytes before the page that faulted, and strace reads only the
// option's size.
func TestFamSockoptPartial(t *testing.T) {
	part := func(b ...byte) wire.Cap { return wire.Cap{Arg: 3, Flags: wire.CapFault | wire.CapPart, Data: b} }
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 1, 0x1ffc, 5}, part(0x2e, 0xfd, 0x69, 0xb6)),
		`setsockopt(3, SOL_SOCKET, SO_DEBUG, [-1234567890], 5) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 13, 0x1ff8, 9}, part(0xf1, 0xff, 0xff, 0xff, 0xd6, 0xff, 0xff, 0xff)),
		`setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=-15, l_linger=-42}, 9) = 0`)
	checkLine(t, decodeLine(t, "setsockopt", -14, [6]uint64{0, 0, 35, 0x1ff8, 0x7fffffff}, part(224, 0, 0, 3, 127, 0, 0, 1)),
		`setsockopt(0, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr("224.0.0.3"), imr_interface=inet_addr("127.0.0.1")}, 2147483647) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "setsockopt", -9, [6]uint64{0xffffffff, 255, 1, 0x1ffc, 8}, part(0xc6, 0xe7, 0xff, 0xff)),
		`setsockopt(-1, SOL_RAW, ICMP_FILTER, ~[ICMP_ECHOREPLY ICMP_DEST_UNREACH ICMP_SOURCE_QUENCH ICMP_REDIRECT ICMP_TIME_EXCEEDED ICMP_PARAMETERPROB], 8) = -1 EBADF (Bad file descriptor)`)
	// Fewer bytes than the option's size: the address.
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 1, 13, 0x1ffc, 9}, part(1, 0, 0, 0)),
		`setsockopt(3, SOL_SOCKET, SO_LINGER, 0x1ffc, 9) = 0`)
	// A raw value must be whole.
	checkLine(t, decodeLine(t, "setsockopt", 0, [6]uint64{3, 0, 1, 0x1ffc, 5}, part(1, 2, 3, 4)),
		`setsockopt(3, SOL_IP, IP_TOS, 0x1ffc, 5) = 0`)
	// SO_TXREHASH's values (sockopt-sol_socket).
	checkLine(t, decodeLine(t, "setsockopt", -95, [6]uint64{3, 1, 74, 0x1ffc, 5}, part(0xff, 0, 0, 0)),
		`setsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_DEFAULT], 5) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "setsockopt", -95, [6]uint64{3, 1, 74, 0x1ffc, 4}, wire.Cap{Arg: 3, Data: []byte{0xff, 0xff, 0xff, 0xff}}),
		`setsockopt(3, SOL_SOCKET, SO_TXREHASH, [-1 /* SOCK_TXREHASH_??? */], 4) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLine(t, "getsockopt", 42, [6]uint64{3, 1, 74, 0x1ffc, 0x2000}, part(1, 0, 0, 0), wire.Cap{Arg: 4, Data: []byte{5, 0, 0, 0}}),
		`getsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_ENABLED], [5]) = 42`)
	checkLine(t, decodeLine(t, "getsockopt", 42, [6]uint64{3, 1, 2, 0x1ffc, 0x2000}, part(1, 0, 0, 0), wire.Cap{Arg: 4, Data: []byte{5, 0, 0, 0}}),
		`getsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], [5]) = 42`)
}
