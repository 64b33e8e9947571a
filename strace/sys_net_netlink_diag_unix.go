package strace

// sock_diag's AF_UNIX and AF_NETLINK requests and answers (strace 6.1's
// netlink_unix_diag.c, netlink_netlink_diag.c).

func init() {
	sockDiagDecoders[1] = struct {
		req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
	}{unixDiagReq, unixDiagMsg}
	sockDiagDecoders[16] = struct {
		req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
	}{netlinkDiagReq, netlinkDiagMsg}
}

// tcpStateFlags are 1<<TCP_*, strace's tcp_state_flags.
var tcpStateFlags = func() []flag {
	out := make([]flag, 0, len(tcpStates))
	for _, f := range tcpStates {
		out = append(out, flag{1 << f.v, "1<<" + f.name})
	}
	return out
}()

// diagMsg is the shape of the sock_diag structs: famMsg's, its first
// field the family.
func (d *nlDec) diagMsg(addr, n, size uint64, famField string, fields func(b []byte), attrs *nlAttrTable) {
	b, _ := d.m.at(addr, 1)
	if attrs == nil {
		attrs = &nlAttrTable{}
		n = min(n, size) // a request's attributes are not decoded
	}
	d.famMsg(b[0], addr, n, size, famField, fields, *attrs)
}

// cookie prints a __u32[2] cookie: [N, N].
func cookie(p *printer, b []byte) {
	p.c('[')
	p.u(uint64(le.Uint32(b)))
	p.s(", ")
	p.u(uint64(le.Uint32(b[4:])))
	p.c(']')
}

func unixDiagReq(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 24, "sdiag_family", func(b []byte) {
		p.s("sdiag_protocol=")
		p.u(uint64(b[1]))
		p.s(", udiag_states=")
		nlFlagsOut(p, uint64(le.Uint32(b[4:])), tcpStateFlags, "1<<TCP_???")
		p.s(", udiag_ino=")
		p.u(uint64(le.Uint32(b[8:])))
		p.s(", udiag_show=")
		nlFlagsOut(p, uint64(le.Uint32(b[12:])), unixDiagShow, "UDIAG_SHOW_???")
		p.s(", udiag_cookie=")
		cookie(p, b[16:])
	}, nil)
}

var unixDiagMsgAttrs = nlAttrTable{names: unixDiagAttrs, dflt: "UNIX_DIAG_???", decoders: map[uint16]nlaDecoder{
	0: nlaStr,
	1: func(d *nlDec, addr, n uint64, _ uint16) bool { // UNIX_DIAG_VFS
		if n < 8 {
			return false
		}
		if b, ok := d.fetch(addr, 8); ok {
			d.p.s("{udiag_vfs_dev=")
			makedev(d.p, uint64(le.Uint32(b[4:])))
			d.p.s(", udiag_vfs_ino=")
			d.p.u(uint64(le.Uint32(b)))
			d.p.c('}')
		}
		return true
	},
	2: nlaU32,
	3: func(d *nlDec, addr, n uint64, _ uint16) bool { // UNIX_DIAG_ICONS
		if n < 4 {
			return false
		}
		d.array(addr, n, 4, func(b []byte) { d.p.u(uint64(le.Uint32(b))) })
		return true
	},
	4: nlaStruct(8, nlF{"udiag_rqueue", 0, 4, 'u'}, nlF{"udiag_wqueue", 4, 4, 'u'}),
	5: nlaMeminfo, 6: nlaU8, 7: nlaUID,
}}

func unixDiagMsg(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 16, "udiag_family", func(b []byte) {
		p.s("udiag_type=")
		p.xlat(uint64(b[1]), socketTypes, "/SOCK_???")
		p.s(", udiag_state=")
		p.xlat(uint64(b[2]), tcpStates, "/TCP_???")
		p.s(", udiag_ino=")
		p.u(uint64(le.Uint32(b[4:])))
		p.s(", udiag_cookie=")
		cookie(p, b[8:])
	}, &unixDiagMsgAttrs)
}

func netlinkDiagReq(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 20, "sdiag_family", func(b []byte) {
		p.s("sdiag_protocol=")
		if b[1] == 255 {
			p.constVal(255, 'x', "NDIAG_PROTO_ALL")
		} else {
			p.xlat(uint64(b[1]), nlProtocolNames, "/NETLINK_???")
		}
		p.s(", ndiag_ino=")
		p.u(uint64(le.Uint32(b[4:])))
		p.s(", ndiag_show=")
		nlFlagsOut(p, uint64(le.Uint32(b[8:])), netlinkDiagShow, "NDIAG_SHOW_???")
		p.s(", ndiag_cookie=")
		cookie(p, b[12:])
	}, nil)
}

var netlinkDiagMsgAttrs = nlAttrTable{names: netlinkDiagAttrs, dflt: "NETLINK_DIAG_???", decoders: map[uint16]nlaDecoder{
	0: nlaMeminfo,
	1: func(d *nlDec, addr, n uint64, _ uint16) bool { // NETLINK_DIAG_GROUPS: unsigned longs
		if n < 8 {
			return false
		}
		d.array(addr, n, 8, func(b []byte) { hexOrZero(d.p, le.Uint64(b)) })
		return true
	},
	2: nlaStruct(16, nlF{"ndr_block_size", 0, 4, 'u'}, nlF{"ndr_block_nr", 4, 4, 'u'}, nlF{"ndr_frame_size", 8, 4, 'u'},
		nlF{"ndr_frame_nr", 12, 4, 'u'}),
	3: nlaStruct(16, nlF{"ndr_block_size", 0, 4, 'u'}, nlF{"ndr_block_nr", 4, 4, 'u'}, nlF{"ndr_frame_size", 8, 4, 'u'},
		nlF{"ndr_frame_nr", 12, 4, 'u'}),
	4: nlaFlagsN(netlinkSocketFlags, "NDIAG_FLAG_???", 4),
}}

func netlinkDiagMsg(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 28, "ndiag_family", func(b []byte) {
		p.s("ndiag_type=")
		p.xlat(uint64(b[1]), socketTypes, "/SOCK_???")
		p.s(", ndiag_protocol=")
		p.xlat(uint64(b[2]), nlProtocolNames, "/NETLINK_???")
		p.s(", ndiag_state=")
		p.xlat(uint64(b[3]), netlinkStates, "/NETLINK_???")
		for k, name := range []string{"ndiag_portid", "ndiag_dst_portid", "ndiag_dst_group", "ndiag_ino"} {
			p.s(", " + name + "=")
			p.u(uint64(le.Uint32(b[4+4*k:])))
		}
		p.s(", ndiag_cookie=")
		cookie(p, b[20:])
	}, &netlinkDiagMsgAttrs)
}

// nlaMeminfo is decode_nla_meminfo: u32s, each with its SK_MEMINFO_ index.
var nlaMeminfo = nlaIndexed(4, 'u', netlinkSkMeminfoIndices, "SK_MEMINFO_???")

// nlaUID is decode_nla_uid: -1 as such.
var nlaUID nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 4 {
		return false
	}
	if b, ok := d.fetch(addr, 4); ok {
		if v := le.Uint32(b); v == ^uint32(0) {
			d.p.s("-1")
		} else {
			d.p.u(uint64(v))
		}
	}
	return true
}
