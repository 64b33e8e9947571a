package strace

// NETLINK_ROUTE's payloads (strace's netlink_route.c and rtnl_*.c): each
// message type's header struct, then its attributes. The attribute
// tables are in znetlink_route_xlat.go.

func init() {
	nlPayloads[nlRoute] = routePayload
}

// rtmBase is RTM_BASE: route message types index routeDecoders from it.
const rtmBase = 16

// routeDecoder decodes a route message whose first byte is fam.
type routeDecoder func(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64)

// routeDecoders are by type, from RTM_BASE.
var routeDecoders = map[uint16]routeDecoder{}

// routeTypes registers dec for the named types.
func routeTypes(dec routeDecoder, names ...string) {
	for _, name := range names {
		v, ok := nlTypeValue(nlRoute, name)
		if !ok {
			panic("strace: no route type " + name)
		}
		routeDecoders[v] = dec
	}
}

func routePayload(d *nlDec, h nlmsghdr, addr, n uint64) bool {
	if h.typ == nlmsgDone {
		return false
	}
	b, ok := d.fetch(addr, 1)
	if !ok {
		return true
	}
	if dec := routeDecoders[h.typ]; dec != nil {
		dec(d, h, b[0], addr, n)
		return true
	}
	d.p.s("{family=")
	d.p.xlat(uint64(b[0]), addressFamilies, "/AF_???")
	if n > 1 {
		d.p.s(", data=")
		d.hexStr(addr+1, n-1)
	}
	d.p.c('}')
	return true
}

// famMsg is the shape of most route (and sock_diag) headers: a struct of
// size bytes whose first byte is an address family, named famField. Its
// other fields are printed by fields when the buffer holds it all ("..."
// when not), then the attributes after it (at its aligned size) by
// attrs, with d.hdr the struct's bytes.
func (d *nlDec) famMsg(fam uint8, addr, n, size uint64, famField string, fields func(b []byte), attrs nlAttrTable) {
	p := d.p
	p.s("{" + famField + "=")
	p.xlat(uint64(fam), addressFamilies, "/AF_???")
	decoded := false
	var b []byte
	if size > 1 {
		p.s(", ")
		if n >= size {
			// The rest is read apart from the family (umoven_or_printaddr
			// of addr+1): its address is printed when it cannot be.
			if rest, ok := d.fetch(addr+1, size-1); ok {
				b = append([]byte{fam}, rest...)
				fields(b)
				decoded = true
			}
		} else {
			p.s("...")
		}
	} else {
		b, decoded = []byte{fam}, true
	}
	p.c('}')
	off := (size + 3) &^ 3
	if decoded && n > off {
		p.s(", ")
		old := d.hdr
		d.hdr = b
		d.attrs(addr+off, n-off, attrs)
		d.hdr = old
	}
}

// nlField prints ", name=" before all fields but the first.
func nlField(p *printer, first bool, name string) {
	if !first {
		p.s(", ")
	}
	p.s(name)
	p.c('=')
}

// inetAttr is decode_inet_addr: an address of the family, as bytes
// when the family has none or it is too short.
func (d *nlDec) inetAddr(addr, n uint64, fam uint8) {
	size := map[uint8]uint64{2: 4, 10: 16}[fam]
	if size == 0 || n < size {
		d.hexStr(addr, n)
		return
	}
	b, ok := d.fetch(addr, size)
	if !ok {
		return
	}
	p := d.p
	if fam == 2 {
		rawOr(p, b, func() { inetAddr(p, b) })
		return
	}
	rawOr(p, b, func() {
		p.s(`inet_pton(AF_INET6, "`)
		p.s(netipAddr16(b))
		p.s(`")`)
	})
}

// Attribute decoders shared by route messages.
var (
	nlaS32                = nlaInt(4, 'd')
	nlaU8                 = nlaInt(1, 'u')
	nlaU16                = nlaInt(2, 'u')
	nlaU64                = nlaInt(8, 'u')
	nlaIfindex nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 4 {
			return false
		}
		if b, ok := d.fetch(addr, 4); ok {
			ifindex(d.p, le.Uint32(b))
		}
		return true
	}
	// nlaHdrAddr is an address of the family the message's header names.
	nlaHdrAddr nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		d.inetAddr(addr, n, d.hdr[0])
		return true
	}
)

// nlaFlags32 is decode_nla_flags-like: a u32 of flags (at least 4 bytes).
func nlaFlags32(tab []flag, dflt string) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 4 {
			return false
		}
		if b, ok := d.fetch(addr, 4); ok {
			nlFlagsOut(d.p, uint64(le.Uint32(b)), tab, dflt)
		}
		return true
	}
}

func init() {
	routeTypes(rtIfinfomsg, "RTM_NEWLINK", "RTM_DELLINK", "RTM_GETLINK", "RTM_SETLINK")
	routeTypes(rtRtmsg, "RTM_NEWROUTE", "RTM_DELROUTE", "RTM_GETROUTE")
	routeTypes(rtNdmsg, "RTM_NEWNEIGH", "RTM_DELNEIGH")
	routeTypes(func(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
		if fam == afBridge { // decode_rtm_getneigh
			rtIfinfomsg(d, h, fam, addr, n)
			return
		}
		rtNdmsg(d, h, fam, addr, n)
	}, "RTM_GETNEIGH")
	routeTypes(rtRule, "RTM_NEWRULE", "RTM_DELRULE", "RTM_GETRULE")
	routeTypes(rtTcmsg, "RTM_NEWQDISC", "RTM_DELQDISC", "RTM_GETQDISC", "RTM_NEWTCLASS", "RTM_DELTCLASS",
		"RTM_GETTCLASS", "RTM_NEWTFILTER", "RTM_DELTFILTER", "RTM_GETTFILTER", "RTM_NEWCHAIN", "RTM_DELCHAIN", "RTM_GETCHAIN")
	routeTypes(rtTcamsg, "RTM_NEWACTION", "RTM_DELACTION", "RTM_GETACTION")
	routeTypes(rtNdtmsg, "RTM_NEWNEIGHTBL", "RTM_GETNEIGHTBL", "RTM_SETNEIGHTBL")
	routeTypes(rtBrPortMsg, "RTM_NEWMDB", "RTM_DELMDB", "RTM_GETMDB")
	routeTypes(rtIfstats, "RTM_NEWSTATS", "RTM_GETSTATS")
	routeTypes(rtNhmsg, "RTM_NEWNEXTHOP", "RTM_DELNEXTHOP", "RTM_GETNEXTHOP")
	routeTypes(rtCachereport, "RTM_NEWCACHEREPORT")
	routeTypes(rtIfaddrmsg, "RTM_NEWADDR", "RTM_DELADDR", "RTM_GETADDR", "RTM_GETMULTICAST", "RTM_GETANYCAST")
	routeTypes(rtNetconf, "RTM_NEWNETCONF", "RTM_DELNETCONF", "RTM_GETNETCONF")
	routeTypes(rtNsid, "RTM_NEWNSID", "RTM_DELNSID", "RTM_GETNSID")
	routeTypes(rtDcb, "RTM_GETDCB", "RTM_SETDCB")
	routeTypes(rtAddrlabel, "RTM_NEWADDRLABEL", "RTM_DELADDRLABEL", "RTM_GETADDRLABEL")
}

var ifaddrmsgAttrs = nlAttrTable{names: rtnlAddrAttrs, dflt: "IFA_???", decoders: map[uint16]nlaDecoder{
	1: nlaHdrAddr, 2: nlaHdrAddr, 3: nlaStr, 4: nlaHdrAddr, 5: nlaHdrAddr, 7: nlaHdrAddr,
	6: func(d *nlDec, addr, n uint64, _ uint16) bool { // IFA_CACHEINFO
		if n < 16 {
			return false
		}
		if b, ok := d.fetch(addr, 16); ok {
			d.u32Fields(b, "ifa_prefered", "ifa_valid", "cstamp", "tstamp")
		}
		return true
	},
	8: nlaFlags32(ifaddrflags, "IFA_F_???"), 9: nlaU32, 10: nlaS32,
}}

// u32Fields prints a struct of u32 fields.
func (d *nlDec) u32Fields(b []byte, names ...string) {
	d.p.c('{')
	for k, name := range names {
		nlField(d.p, k == 0, name)
		d.p.u(uint64(le.Uint32(b[4*k:])))
	}
	d.p.c('}')
}

func rtIfaddrmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 8, "ifa_family", func(b []byte) {
		p.s("ifa_prefixlen=")
		p.u(uint64(b[1]))
		p.s(", ifa_flags=")
		nlFlagsOut(p, uint64(b[2]), ifaddrflags, "IFA_F_???")
		p.s(", ifa_scope=")
		p.xlat(uint64(b[3]), routingScopes, "")
		p.s(", ifa_index=")
		ifindex(p, le.Uint32(b[4:]))
	}, ifaddrmsgAttrs)
}

func rtNetconf(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 1, "ncm_family", nil, nlAttrTable{names: rtnlNetconfAttrs, dflt: "NETCONFA_???",
		decoders: map[uint16]nlaDecoder{1: nlaIfindex, 2: nlaS32, 3: nlaS32, 4: nlaS32, 5: nlaS32, 6: nlaS32, 7: nlaS32, 8: nlaS32}})
}

func rtNsid(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 1, "rtgen_family", nil, nlAttrTable{names: rtnlNsidAttrs, dflt: "NETNSA_???",
		decoders: map[uint16]nlaDecoder{1: nlaS32, 2: nlaU32, 3: nlaFd, 4: nlaS32, 5: nlaS32}})
}

// nlaFd is decode_nla_fd: a descriptor of the process.
var nlaFd nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 4 {
		return false
	}
	if b, ok := d.fetch(addr, 4); ok {
		d.p.fd(d.c, int32(le.Uint32(b)))
	}
	return true
}

func rtDcb(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 4, "dcb_family", func(b []byte) {
		d.p.s("cmd=")
		d.p.xlat(uint64(b[1]), dcbCommands, "/DCB_CMD_???")
	}, nlAttrTable{names: rtnlDcbAttrs, dflt: "DCB_ATTR_???"})
}

func rtAddrlabel(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 12, "ifal_family", func(b []byte) {
		p.s("ifal_prefixlen=")
		p.u(uint64(b[2]))
		p.s(", ifal_flags=")
		p.u(uint64(b[3]))
		p.s(", ifal_index=")
		ifindex(p, le.Uint32(b[4:]))
		p.s(", ifal_seq=")
		p.u(uint64(le.Uint32(b[8:])))
	}, nlAttrTable{names: rtnlAddrlabelAttrs, dflt: "IFAL_???", decoders: map[uint16]nlaDecoder{1: nlaHdrAddr, 2: nlaU32}})
}

// nlaXval is decode_nla_xval: a value of size bytes (or as many as the
// attribute has, up to 8, with size 0) named by tab.
func nlaXval(tab []flag, dflt string, size uint64) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n > 8 || n < size {
			return false
		}
		if size != 0 {
			n = min(n, size)
		}
		if b, ok := d.fetch(addr, n); ok {
			var v uint64
			for k := len(b) - 1; k >= 0; k-- {
				v = v<<8 | uint64(b[k])
			}
			d.p.xlat(v, tab, "/"+dflt)
		}
		return true
	}
}

// nlaInAddr and nlaIn6Addr are decode_nla_in_addr and decode_nla_in6_addr.
var (
	nlaInAddr nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 4 {
			return false
		}
		d.inetAddr(addr, 4, 2)
		return true
	}
	nlaIn6Addr nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 16 {
			return false
		}
		d.inetAddr(addr, 16, 10)
		return true
	}
)

// cachereportAttrs are decode_cachereport's af_spec decoders, by family.
var cachereportAttrs = map[uint8]nlAttrTable{
	128: {names: rtnlIpmraCreportAttr, dflt: "IPMRA_CREPORT_???", decoders: map[uint16]nlaDecoder{
		1: nlaXval(rtnlIpmraMsgTypes, "IGMPMSG_???", 1), 2: nlaU32, 3: nlaInAddr, 4: nlaInAddr, 6: nlaU32}},
	129: {names: rtnlIp6MraCreportAttr, dflt: "IP6MRA_CREPORT_???", decoders: map[uint16]nlaDecoder{
		1: nlaXval(rtnlIp6MraMsgTypes, "MRT6MSG_???", 1), 2: nlaU32, 3: nlaIn6Addr, 4: nlaIn6Addr}},
}

func rtCachereport(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	p.s("{rtgen_family=")
	if name := lookupName(uint64(fam), rtnlFamily); name != "" {
		p.constVal(uint64(fam), 'x', name)
	} else {
		p.xlat(uint64(fam), addressFamilies, "/RTNL_FAMILY_???")
	}
	p.c('}')
	if n > 4 {
		p.s(", ")
		if t, ok := cachereportAttrs[fam]; ok {
			d.attrs(addr+4, n-4, t)
		} else {
			d.hexStr(addr+4, n-4)
		}
	}
}

// nlaInt is DECODE_NLA_INTEGER: a little-endian integer of size bytes
// (the attribute may be longer), printed as f: 'd', 'u' or 'x' (%#x).
func nlaInt(size uint64, f byte) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < size {
			return false
		}
		b, ok := d.fetch(addr, size)
		if !ok {
			return true
		}
		var v uint64
		for k := len(b) - 1; k >= 0; k-- {
			v = v<<8 | uint64(b[k])
		}
		switch f {
		case 'd':
			d.p.d(int64(v<<(64-8*size)) >> (64 - 8*size))
		case 'u':
			d.p.u(v)
		default:
			hexOrZero(d.p, v)
		}
		return true
	}
}
