package strace

import "testing"

// socket's protocol per address family, and socketpair's (always decimal):
// each line as strace 6.1 prints it (sockproto and sockneg programs,
// oracle_socket_test.go).
func TestFamSocketProtocol(t *testing.T) {
	const (
		eproto = -93 // EPROTONOSUPPORT
		eafno  = -97 // EAFNOSUPPORT
		einval = -22
	)
	for _, tc := range []struct {
		ret  int64
		args [6]uint64
		want string
	}{
		{eproto, [6]uint64{2, 2, 47}, `socket(AF_INET, SOCK_DGRAM, IPPROTO_GRE) = -1 EPROTONOSUPPORT (Protocol not supported)`},
		{eproto, [6]uint64{10, 2, 143}, `socket(AF_INET6, SOCK_DGRAM, IPPROTO_ETHERNET) = -1 EPROTONOSUPPORT (Protocol not supported)`},
		{einval, [6]uint64{2, 2, 1000}, `socket(AF_INET, SOCK_DGRAM, 0x3e8 /* IPPROTO_??? */) = -1 EINVAL (Invalid argument)`},
		{einval, [6]uint64{2, 2, 0xffffffff}, `socket(AF_INET, SOCK_DGRAM, 0xffffffff /* IPPROTO_??? */) = -1 EINVAL (Invalid argument)`},
		{4, [6]uint64{0x100000002, 0x100000002, 0x100000011}, `socket(AF_INET, SOCK_DGRAM, 4294967313) = 4`},
		{eproto, [6]uint64{2, 2, 0x100000003}, `socket(AF_INET, SOCK_DGRAM, 0x3 /* IPPROTO_??? */) = -1 EPROTONOSUPPORT (Protocol not supported)`},
		{eproto, [6]uint64{16, 2, 3}, `socket(AF_NETLINK, SOCK_DGRAM, NETLINK_FIREWALL) = -1 EPROTONOSUPPORT (Protocol not supported)`},
		{3, [6]uint64{17, 3, 8}, `socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP)) = 3`},
		{3, [6]uint64{17, 3, 0x300}, `socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = 3`},
		{5, [6]uint64{17, 3, 0x3412}, `socket(AF_PACKET, SOCK_RAW, htons(0x1234 /* ETH_P_??? */)) = 5`},
		{6, [6]uint64{17, 3, 0x12345678}, `socket(AF_PACKET, SOCK_RAW, htons(0x7856 /* ETH_P_??? */)) = 6`},
		{3, [6]uint64{17, 2, 0xffffffff}, `socket(AF_PACKET, SOCK_DGRAM, htons(0xffff /* ETH_P_??? */)) = 3`},
		{3, [6]uint64{17, 2, 0}, `socket(AF_PACKET, SOCK_DGRAM, htons(0 /* ETH_P_??? */)) = 3`},
		{5, [6]uint64{0x100000011, 2, 0x100000003}, `socket(AF_PACKET, SOCK_DGRAM, 4294967299) = 5`},
		{eafno, [6]uint64{3, 3, 0xcc}, `socket(AF_AX25, SOCK_RAW, 0xcc /* AX25_P_IP */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{3, 2, 0}, `socket(AF_AX25, SOCK_DGRAM, 0 /* AX25_P_??? */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{3, 2, 0x1000000cc}, `socket(AF_AX25, SOCK_DGRAM, 0x1000000cc /* AX25_P_??? */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{23, 2, 1}, `socket(AF_IRDA, SOCK_DGRAM, CAN_RAW) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{23, 2, 47}, `socket(AF_IRDA, SOCK_DGRAM, 0x2f /* IRDAPROTO_??? */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{29, 2, 7}, `socket(AF_CAN, SOCK_DGRAM, CAN_J1939) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{29, 2, 0}, `socket(AF_CAN, SOCK_DGRAM, 0 /* CAN_??? */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{31, 2, 3}, `socket(AF_BLUETOOTH, SOCK_DGRAM, BTPROTO_RFCOMM) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{34, 2, 3}, `socket(AF_ISDN, SOCK_DGRAM, ISDN_P_TE_E1) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{35, 2, 1}, `socket(AF_PHONET, SOCK_DGRAM, PN_PROTO_PHONET) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{37, 2, 3}, `socket(AF_CAIF, SOCK_DGRAM, CAIFPROTO_UTIL) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{39, 2, 1}, `socket(AF_NFC, SOCK_DGRAM, NFC_SOCKPROTO_LLCP) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{41, 2, 0}, `socket(AF_KCM, SOCK_DGRAM, KCMPROTO_CONNECTED) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{43, 2, 1}, `socket(AF_SMC, SOCK_DGRAM, SMCPROTO_SMC6) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{33, 2, 7}, `socket(AF_RXRPC, SOCK_DGRAM, AF_BRIDGE) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{33, 2, 0x33}, `socket(AF_RXRPC, SOCK_DGRAM, 0x33 /* AF_??? */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{eafno, [6]uint64{38, 2, 0xffffffff}, `socket(AF_ALG, SOCK_DGRAM, 4294967295) = -1 EAFNOSUPPORT (Address family not supported by protocol)`},
		{-95, [6]uint64{2, 1, 6, 0x7ffd1000}, `socketpair(AF_INET, SOCK_STREAM, 6, 0x7ffd1000) = -1 EOPNOTSUPP (Operation not supported)`},
		{eproto, [6]uint64{1, 2, 0xffffffff, 0x7ffd1000}, `socketpair(AF_UNIX, SOCK_DGRAM, 4294967295, 0x7ffd1000) = -1 EPROTONOSUPPORT (Protocol not supported)`},
	} {
		name := "socket"
		if tc.args[3] != 0 {
			name = "socketpair"
		}
		checkLine(t, decodeLine(t, name, tc.ret, tc.args), tc.want)
	}
	raw := Options{StrSize: 32, ConstStyle: ConstRaw}
	checkLine(t, decodeLineOpt(t, raw, "socket", 3, [6]uint64{17, 3, 8}), `socket(0x11, 0x3, htons(0x800)) = 3`)
	checkLine(t, decodeLineOpt(t, raw, "socket", einval, [6]uint64{3, 3, 0xcc}), `socket(0x3, 0x3, 0xcc /* AX25_P_IP */) = -1 EINVAL (Invalid argument)`)
	verb := Options{StrSize: 32, ConstStyle: ConstVerbose}
	checkLine(t, decodeLineOpt(t, verb, "socket", eafno, [6]uint64{23, 2, 1}),
		`socket(0x17 /* AF_IRDA */, 0x2 /* SOCK_DGRAM */, 0x1 /* CAN_RAW */) = -1 EAFNOSUPPORT (Address family not supported by protocol)`)
	checkLine(t, decodeLineOpt(t, verb, "socket", 5, [6]uint64{17, 3, 0x3412}),
		`socket(0x11 /* AF_PACKET */, 0x3 /* SOCK_RAW */, htons(0x1234 /* ETH_P_??? */)) = 5`)
}
