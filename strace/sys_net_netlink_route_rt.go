package strace

// Routes' and rules' attributes (strace 6.1's rtnl_route.c, rtnl_rule.c).

var (
	// nlaRtClass is decode_nla_rt_class: a routing table's id.
	nlaRtClass nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 4 {
			return false
		}
		if b, ok := d.fetch(addr, 4); ok {
			d.p.xlat(uint64(le.Uint32(b)), routingTableIds, "")
		}
		return true
	}
	// nlaRtProto is decode_nla_rt_proto.
	nlaRtProto nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 1 {
			return false
		}
		if b, ok := d.fetch(addr, 1); ok {
			d.p.xlat(uint64(b[0]), routingProtocols, "/RTPROT_???")
		}
		return true
	}
	// nlaBe64 is decode_nla_be64: htobe64(N).
	nlaBe64 nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 8 {
			return false
		}
		if b, ok := d.fetch(addr, 8); ok {
			var v uint64
			for _, c := range b {
				v = v<<8 | uint64(c)
			}
			d.p.s("htobe64(")
			d.p.u(v)
			d.p.c(')')
		}
		return true
	}
	nlaIPProto = nlaXval(inetProtocols, "IPPROTO_???", 0)
	nlaRange   = nlaStruct(4, nlF{"start", 0, 2, 'u'}, nlF{"end", 2, 2, 'u'})
)

func init() {
	ruleAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaHdrAddr, 2: nlaHdrAddr, 3: nlaStr, 4: nlaU32, 6: nlaU32, 10: nlaU32, 11: nlaU32,
		12: nlaBe64, 13: nlaU32, 14: nlaU32, 15: nlaRtClass, 16: nlaU32, 17: nlaStr, 19: nlaU8,
		20: nlaStruct(8, nlF{"start", 0, 4, 'u'}, nlF{"end", 4, 4, 'u'}), 21: nlaRtProto, 22: nlaIPProto,
		23: nlaRange, 24: nlaRange,
	}
	rtmsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaHdrAddr, 2: nlaHdrAddr, 3: nlaIfindex, 4: nlaIfindex, 5: nlaHdrAddr, 6: nlaU32, 7: nlaHdrAddr,
		8: nlaNested(&rtaMetricsAttrs), 9: rtaMultipath, 10: nlaU32, 11: nlaU32,
		12: nlaStruct(32, nlF{"rta_clntref", 0, 4, 'u'}, nlF{"rta_lastuse", 4, 4, 'u'}, nlF{"rta_expires", 8, 4, 'u'},
			nlF{"rta_error", 12, 4, 'u'}, nlF{"rta_used", 16, 4, 'u'}, nlF{"rta_id", 20, 4, 'x'}, nlF{"rta_ts", 24, 4, 'u'},
			nlF{"rta_tsage", 28, 4, 'u'}),
		15: nlaRtClass, 16: nlaU32,
		17: nlaStruct(24, nlF{"mfcs_packets", 0, 8, 'u'}, nlF{"mfcs_bytes", 8, 8, 'u'}, nlF{"mfcs_wrong_if", 16, 8, 'u'}),
		18: rtaVia, 19: nlaHdrAddr, 20: nlaU8, 21: nlaXval(lwtunnelEncapTypes, "LWTUNNEL_ENCAP_???", 2),
		23: nlaU64, 25: nlaU32, 26: nlaU8, 27: nlaU8, 28: nlaU16, 29: nlaU16,
	}
}

var rtaMetricsAttrs = nlAttrTable{names: rtnlRtaMetricsAttrs, dflt: "RTAX_???", decoders: map[uint16]nlaDecoder{
	1: nlaU32, 2: nlaU32, 3: nlaU32, 4: nlaU32, 5: nlaU32, 6: nlaU32, 7: nlaU32, 8: nlaU32, 9: nlaU32,
	10: nlaU32, 11: nlaU32, 12: nlaU32, 13: nlaU32, 14: nlaU32, 15: nlaU32, 16: nlaStr,
}}

// rtaVia is decode_rtvia: a family and an address of it.
var rtaVia nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 2 {
		return false
	}
	b, ok := d.fetch(addr, 2)
	if !ok {
		return true
	}
	fam := le.Uint16(b)
	p := d.p
	p.s("{rtvia_family=")
	p.xlat(uint64(fam), addressFamilies, "/AF_???")
	if n > 2 {
		p.s(", ")
		d.inetAddrField(addr+2, n-2, fam, "rtvia_addr")
	}
	p.c('}')
	return true
}

// inetAddrField is decode_inet_addr with a field name.
func (d *nlDec) inetAddrField(addr, n uint64, fam uint16, name string) {
	size := map[uint16]uint64{2: 4, 10: 16}[fam]
	p := d.p
	if size == 0 || n < size {
		p.s(name + "=")
		d.hexStr(addr, n)
		return
	}
	b, ok := d.m.at(addr, size)
	if !ok {
		p.s(name + "=")
		p.ptr(addr)
		return
	}
	if fam == 2 {
		inetField(p, name, b)
		return
	}
	inet6Field(p, b, name)
}

// rtaMultipath is decode_rta_multipath: rtnexthop-headed attributes.
var rtaMultipath nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	const size = 8 // struct rtnexthop
	if n < size {
		return false
	}
	p := d.p
	isArray := false
	cur, left := addr, n
	for {
		b, ok := d.fetch(cur, size)
		if !ok {
			break
		}
		nhLen := uint64(le.Uint16(b))
		l := min(left, nhLen)
		if cur == addr && nhLen < n {
			p.c('[')
			isArray = true
		}
		if cur > addr {
			p.s(", ")
		}
		if l > size {
			p.c('[')
		}
		p.s("{rtnh_len=")
		p.u(nhLen)
		p.s(", rtnh_flags=")
		nlFlagsOut(p, uint64(b[2]), routeNexthopFlags, "RTNH_F_???")
		p.s(", rtnh_hops=")
		p.u(uint64(b[3]))
		p.s(", rtnh_ifindex=")
		ifindex(p, le.Uint32(b[4:]))
		p.c('}')
		if l > size {
			p.s(", ")
			d.attrs(cur+size, l-size, rtmsgAttrs)
			p.c(']')
		}
		if (l+3)&^3 >= left {
			break
		}
		cur += (l + 3) &^ 3
		left -= (l + 3) &^ 3
	}
	if isArray {
		p.c(']')
	}
	return true
}
