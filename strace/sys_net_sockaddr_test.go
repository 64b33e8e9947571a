package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Decoder tests of socket addresses (strace's print_sockaddr), with the
// lines strace's sockaddr_xlat and net-sockaddr tests expect.

func connectLine(t *testing.T, style ConstStyle, sa []byte) string {
	t.Helper()
	return decodeLineOpt(t, Options{StrSize: 32, ConstStyle: style}, "connect", -9,
		[6]uint64{0xffffffff, 0x1000, uint64(len(sa))}, wire.Cap{Arg: 1, Data: sa})
}

const ebadf = ` = -1 EBADF (Bad file descriptor)`

func TestFamSockaddrFamilies(t *testing.T) {
	vm := []byte{40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}
	checkLine(t, connectLine(t, ConstAbbrev, vm),
		`connect(-1, {sa_family=AF_VSOCK, svm_cid=VMADDR_CID_LOCAL, svm_port=0x1, svm_flags=VMADDR_FLAG_TO_HOST}, 16)`+ebadf)
	ieee := []byte{36, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xf8, 0xf9, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, connectLine(t, ConstAbbrev, ieee),
		`connect(-1, {sa_family=AF_IEEE802154, addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, pan_id=0xffff /* IEEE802154_PANID_BROADCAST */, short_addr=0xf9f8}}, 20)`+ebadf)
	checkLine(t, connectLine(t, ConstAbbrev, ieee[:19]),
		`connect(-1, {sa_family=AF_IEEE802154, sa_data="\0\0\2\0\0\0\377\377\370\371\0\0\0\0\0\0\0"}, 19)`+ebadf)
	alg := make([]byte, 32)
	alg[0] = 38
	copy(alg[2:], "hash")
	alg[17] = 0x10
	copy(alg[24:], "12345678")
	checkLine(t, connectLine(t, ConstAbbrev, alg),
		`connect(-1, {sa_family=AF_ALG, salg_type="hash", salg_feat=0x1000 /* CRYPTO_ALG_KERN_DRIVER_ONLY */, salg_mask=0, salg_name="1234567"...}, 32)`+ebadf)
	nfc := []byte{39, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, connectLine(t, ConstAbbrev, nfc),
		`connect(-1, {sa_family=AF_NFC, dev_idx=0, target_idx=0x1, nfc_protocol=0 /* NFC_PROTO_??? */, ...}, 17)`+ebadf)
	ll := []byte{17, 0, 0, 3, 0xed, 0xfe, 0xce, 0xfa, 1, 0, 0, 1, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
	checkLine(t, connectLine(t, ConstAbbrev, ll),
		`connect(-1, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=4207869677, sll_hatype=ARPHRD_ETHER, sll_pkttype=PACKET_HOST, sll_halen=1, sll_addr=[0x61]}, 20)`+ebadf)
	checkLine(t, connectLine(t, ConstAbbrev, []byte{0xff, 0, '0', '0'}),
		`connect(-1, {sa_family=0xff /* AF_??? */, sa_data="00"}, 4)`+ebadf)
}

func TestFamSockaddrStyles(t *testing.T) {
	in := []byte{2, 0, 0x30, 0x39, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	checkLine(t, connectLine(t, ConstRaw, in),
		`connect(-1, {sa_family=0x2, sin_port="\x30\x39", sin_addr="\x7f\x00\x00\x01"}, 16)`+ebadf)
	checkLine(t, connectLine(t, ConstVerbose, in),
		`connect(-1, {sa_family=0x2 /* AF_INET */, sin_port="\x30\x39" /* htons(12345) */, sin_addr="\x7f\x00\x00\x01" /* inet_addr("127.0.0.1") */}, 16)`+ebadf)
	rx := make([]byte, 36)
	copy(rx, []byte{33, 0, 0xc4, 0x09, 3, 0, 7, 0, 2, 0, 0xad, 0xde, 0xed, 0xfe, 0xce})
	checkLine(t, connectLine(t, ConstVerbose, rx),
		`connect(-1, {sa_family=0x21 /* AF_RXRPC */, srx_service=0x9c4 /* YFS_FS_SERVICE */, transport_type=0x3 /* SOCK_RAW */, transport_len=7, transport={sin={sin_family=0x2 /* AF_INET */, "\255\336\355\376\316"}}}, 36)`+ebadf)
	checkLine(t, connectLine(t, ConstRaw, rx),
		`connect(-1, {sa_family=0x21, srx_service=0x9c4, transport_type=0x3, transport_len=7, transport={sin={sin_family=0x2, "\255\336\355\376\316"}}}, 36)`+ebadf)
	// Link-local IPv6 scope ids are interface indexes.
	v6 := make([]byte, 28)
	v6[0], v6[8], v6[9], v6[24] = 10, 0xfe, 0x80, 0xff
	checkLine(t, connectLine(t, ConstAbbrev, v6),
		`connect(-1, {sa_family=AF_INET6, sin6_port=htons(0), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "fe80::", &sin6_addr), sin6_scope_id=255}, 28)`+ebadf)
}

func TestFamSockaddrHam(t *testing.T) {
	ipx := []byte{4, 0, 0x30, 0x39, 0xfa, 0xce, 0xfe, 0xed, 'A', 'B', 'C', 'D', 'E', 'F', 0xff, 0x42}
	checkLine(t, connectLine(t, ConstAbbrev, ipx),
		`connect(-1, {sa_family=AF_IPX, sipx_port=htons(12345), sipx_network=htonl(0xfacefeed), sipx_node=[0x41, 0x42, 0x43, 0x44, 0x45, 0x46], sipx_type=0xff, sipx_zero=0x42}, 16)`+ebadf)
	x25 := append([]byte{9, 0}, "0123456789abcdef"...)
	checkLine(t, connectLine(t, ConstAbbrev, x25),
		`connect(-1, {sa_family=AF_X25, sx25_addr={x25_addr="0123456789abcde"...}}, 18)`+ebadf)
	// VALID-13, then digipeaters "SPA CE" (a space inside: verbose) and
	// none (*).
	ax := []byte{3, 0, 'V' << 1, 'A' << 1, 'L' << 1, 'I' << 1, 'D' << 1, ' ' << 1, 13 << 1, 0, 0, 0, 8, 0, 0, 0,
		0xa6, 0xa0, 0x82, 0x40, 0x86, 0x8a, 0x00, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0}
	checkLine(t, connectLine(t, ConstAbbrev, ax[:16]),
		`connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=8}, fsa_digipeater=[...]}, 16)`+ebadf)
	checkLine(t, connectLine(t, ConstAbbrev, append(ax, 1)),
		`connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=8}, fsa_digipeater=[{ax25_call="\xa6\xa0\x82\x40\x86\x8a\x00"} /* SPA CE-0 */, *, ...], ...}, 31)`+ebadf)
	ax[12] = 0
	checkLine(t, connectLine(t, ConstAbbrev, ax[:16]),
		`connect(-1, {sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}, 16)`+ebadf)
}
