package strace

// socket's protocol argument, as strace 6.1's SYS_FUNC(socket) prints it:
// named by the table of the address family (the switch is on the whole
// 64-bit first argument), each with its own width:
//   - printxval (most families) takes an unsigned int: the low 32 bits;
//   - AF_AX25 prints with XLAT_STYLE_VERBOSE whatever -X says: the hex
//     number of the whole argument and its name (or AX25_P_???) in a comment;
//   - AF_PACKET prints htons(NAME), the name of ntohs of the low 16 bits;
//   - AF_IRDA looks the value up in CAN's table (strace's own slip), with
//     IRDAPROTO_??? as the unknown name;
//   - AF_RXRPC names the value as an address family;
//   - any other family prints the whole argument in decimal.
//
// socketpair prints its protocol in decimal whatever the family.

// socketProtoTabs are the printxval families: their table and unknown name.
var socketProtoTabs = map[uint64]struct {
	tab     []flag
	unknown string
}{
	2:  {inetProtocols, "IPPROTO_???"},   // AF_INET
	10: {inetProtocols, "IPPROTO_???"},   // AF_INET6
	16: {nlProtocolNames, "NETLINK_???"}, // AF_NETLINK
	23: {canProtocols, "IRDAPROTO_???"},  // AF_IRDA
	29: {canProtocols, "CAN_???"},        // AF_CAN
	31: {btProtocols, "BTPROTO_???"},     // AF_BLUETOOTH
	33: {addressFamilies, "AF_???"},      // AF_RXRPC
	34: {isdnProtocols, "ISDN_P_???"},    // AF_ISDN
	35: {phonetProtocols, "PN_PROTO_???"},
	37: {caifProtocols, "CAIFPROTO_???"},
	39: {nfcSockProtocols, "NFC_SOCKPROTO_???"},
	41: {kcmProtocols, "KCMPROTO_???"},
	43: {smcProtocols, "SMCPROTO_???"},
}

const (
	afAX25   = 3
	afPacket = 17
)

func fmtSocketProtocol(p *printer, c *Call, i int) {
	v := c.Args[i]
	switch fam := c.Args[0]; fam {
	case afAX25:
		p.val(v, 'x')
		if name := lookupName(v, ax25Protocols); name != "" {
			p.comment(name)
		} else {
			p.comment("AX25_P_???")
		}
	case afPacket:
		p.s("htons(")
		u := uint16(v)
		p.xlat(uint64(u>>8|u<<8), ethernetProtocols, "/ETH_P_???")
		p.c(')')
	default:
		if t, ok := socketProtoTabs[fam]; ok {
			p.xlat(v&0xffffffff, t.tab, "/"+t.unknown)
			return
		}
		p.u(v)
	}
}

var kSocketpairProtocol = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.u(c.Args[i]) }})
