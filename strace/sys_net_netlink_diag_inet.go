package strace

// sock_diag's AF_INET and AF_INET6 requests (strace 6.1's
// netlink_inet_diag.c): inet_diag_req (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK)
// and inet_diag_req_v2, with their bytecode and protocol attributes.
// The answers' attributes are not decoded yet: they are named.

func init() {
	for _, fam := range []uint8{2, 10} {
		sockDiagDecoders[fam] = struct {
			req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
		}{inetDiagReq, nil}
	}
}

const (
	tcpdiagGetsock  = 18
	dccpdiagGetsock = 19
)

// inetDiagSockid prints struct inet_diag_sockid (48 bytes) as id=.
func inetDiagSockid(p *printer, b []byte, fam uint8) {
	p.s("id={")
	netPort(p, "idiag_sport", b)
	p.s(", ")
	netPort(p, "idiag_dport", b[2:])
	for k, name := range []string{"idiag_src", "idiag_dst"} {
		p.s(", ")
		a := b[4+16*k : 20+16*k]
		switch fam {
		case 2:
			inetField(p, name, a)
		case 10:
			inet6Field(p, a, name)
		default:
			p.s(name + "=")
			p.quoteHex(a, false)
		}
	}
	p.s(", idiag_if=")
	ifindex(p, le.Uint32(b[36:]))
	p.s(", idiag_cookie=")
	cookie(p, b[40:])
	p.c('}')
}

var inetDiagReqAttrTable = nlAttrTable{names: inetDiagReqAttrs, dflt: "INET_DIAG_REQ_???", decoders: map[uint16]nlaDecoder{
	1: inetDiagBcOp, 3: nlaIPProto,
}}

func inetDiagReq(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	b, _ := d.m.at(addr, 1)
	fam := b[0]
	if h.typ == tcpdiagGetsock || h.typ == dccpdiagGetsock {
		d.famMsg(fam, addr, n, 60, "idiag_family", func(b []byte) {
			p.s("idiag_src_len=")
			p.u(uint64(b[1]))
			p.s(", idiag_dst_len=")
			p.u(uint64(b[2]))
			p.s(", idiag_ext=")
			nlFlagsOut(p, uint64(b[3]), inetDiagExtendedFlags, "1<<INET_DIAG_???-1")
			p.s(", ")
			inetDiagSockid(p, b[4:], fam)
			p.s(", idiag_states=")
			nlFlagsOut(p, uint64(le.Uint32(b[52:])), tcpStateFlags, "1<<TCP_???")
			p.s(", idiag_dbs=")
			p.u(uint64(le.Uint32(b[56:])))
		}, inetDiagReqAttrTable)
		return
	}
	d.famMsg(fam, addr, n, 56, "sdiag_family", func(b []byte) {
		p.s("sdiag_protocol=")
		p.xlat(uint64(b[1]), inetProtocols, "/IPPROTO_???")
		p.s(", idiag_ext=")
		nlFlagsOut(p, uint64(b[2]), inetDiagExtendedFlags, "1<<INET_DIAG_???-1")
		p.s(", idiag_states=")
		nlFlagsOut(p, uint64(le.Uint32(b[4:])), tcpStateFlags, "1<<TCP_???")
		p.s(", ")
		inetDiagSockid(p, b[8:], fam)
	}, inetDiagReqAttrTable)
}

// Bytecode codes with an operand (INET_DIAG_BC_*).
const (
	bcSGe      = 2
	bcSLe      = 3
	bcDGe      = 4
	bcDLe      = 5
	bcSCond    = 7
	bcDCond    = 8
	bcDevCond  = 9
	bcMarkCond = 10
)

func inetDiagOp(p *printer, b []byte) {
	p.s("{code=")
	p.xlat(uint64(b[0]), inetDiagBytecodes, "/INET_DIAG_BC_???")
	p.s(", yes=")
	p.u(uint64(b[1]))
	p.s(", no=")
	p.u(uint64(le.Uint16(b[2:])))
	p.c('}')
}

// inetDiagBcOp is decode_inet_diag_bc_op: an op, then its operand.
var inetDiagBcOp nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 4 {
		return false
	}
	b, ok := d.fetch(addr, 4)
	if !ok {
		return true
	}
	p := d.p
	inetDiagOp(p, b)
	if n <= 4 {
		return true
	}
	p.s(", ")
	addr, n = addr+4, n-4
	switch b[0] {
	case bcSCond, bcDCond: // struct inet_diag_hostcond, then the address
		if n < 8 {
			d.hexStr(addr, n)
			break
		}
		c, ok := d.fetch(addr, 8)
		if !ok {
			break
		}
		p.s("{family=")
		p.xlat(uint64(c[0]), addressFamilies, "/AF_???")
		p.s(", prefix_len=")
		p.u(uint64(c[1]))
		p.s(", port=")
		p.u(uint64(le.Uint32(c[4:])))
		if n > 8 {
			p.s(", ")
			d.inetAddrField(addr+8, n-8, uint16(c[0]), "addr")
		}
		p.c('}')
	case bcDevCond:
		if n < 4 {
			d.hexStr(addr, n)
		} else if c, ok := d.fetch(addr, 4); ok {
			ifindex(p, le.Uint32(c))
		}
	case bcSGe, bcSLe, bcDGe, bcDLe:
		if n < 4 {
			d.hexStr(addr, n)
		} else if c, ok := d.fetch(addr, 4); ok {
			inetDiagOp(p, c)
		}
	case bcMarkCond:
		if n < 8 {
			d.hexStr(addr, n)
		} else if c, ok := d.fetch(addr, 8); ok {
			d.structFields(c, []nlF{{"mark", 0, 4, 'u'}, {"mask", 4, 4, 'u'}})
		}
	default:
		d.hexStr(addr, n)
	}
	return true
}
