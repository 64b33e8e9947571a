package strace

// Traffic control's and the bridge MDB's attributes (strace 6.1's
// rtnl_tc.c, rtnl_tc_action.c, rtnl_mdb.c).

// nlF is one field of a struct an attribute holds: its name, offset,
// size and form ('u', 'd', 'x').
type nlF struct {
	name      string
	off, size int
	f         byte
}

// nlaStruct decodes an attribute of at least size bytes as the struct
// fields describe (its first size bytes).
func nlaStruct(size uint64, fields ...nlF) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < size {
			return false
		}
		if b, ok := d.fetch(addr, size); ok {
			d.structFields(b, fields)
		}
		return true
	}
}

func (d *nlDec) structFields(b []byte, fields []nlF) {
	p := d.p
	p.c('{')
	for k, f := range fields {
		nlField(p, k == 0, f.name)
		var v uint64
		for j := f.size - 1; j >= 0; j-- {
			v = v<<8 | uint64(b[f.off+j])
		}
		switch f.f {
		case 'd':
			p.d(int64(v<<(64-8*f.size)) >> (64 - 8*f.size))
		case 'x':
			hexOrZero(p, v)
		default:
			p.u(v)
		}
	}
	p.c('}')
}

// nlaNested decodes an attribute holding attributes of table t.
func nlaNested(t *nlAttrTable) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		d.attrs(addr, n, *t)
		return true
	}
}

// nlaU16Array is an array of u16 (decode_tca_stab_data).
var nlaU16Array nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 2 {
		return false
	}
	d.array(addr, n, 2, func(b []byte) { d.p.u(uint64(le.Uint16(b))) })
	return true
}

// nlaClockT is decode_nla_clock_t: up to 8 bytes of ticks.
var nlaClockT nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n > 8 {
		return false
	}
	if b, ok := d.fetch(addr, n); ok {
		var v uint64
		for k := len(b) - 1; k >= 0; k-- {
			v = v<<8 | uint64(b[k])
		}
		clockT(d.p, v)
	}
	return true
}

// nlaFlagsN is decode_nla_flags with its size: at least size bytes (at
// most 8), the first size bytes' flags.
func nlaFlagsN(tab []flag, dflt string, size uint64) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n > 8 || n < size {
			return false
		}
		if b, ok := d.fetch(addr, size); ok {
			var v uint64
			for k := len(b) - 1; k >= 0; k-- {
				v = v<<8 | uint64(b[k])
			}
			nlFlagsOut(d.p, v, tab, dflt)
		}
		return true
	}
}

var (
	tcStatsAttrs = nlAttrTable{names: rtnlTcaStatsAttrs, dflt: "TCA_STATS_???", decoders: map[uint16]nlaDecoder{
		1: nlaStruct(12, nlF{"bytes", 0, 8, 'u'}, nlF{"packets", 8, 4, 'u'}), // TCA_STATS_BASIC
		2: nlaStruct(8, nlF{"bps", 0, 4, 'u'}, nlF{"pps", 4, 4, 'u'}),        // TCA_STATS_RATE_EST
		3: nlaStruct(20, nlF{"qlen", 0, 4, 'u'}, nlF{"backlog", 4, 4, 'u'}, nlF{"drops", 8, 4, 'u'}, // TCA_STATS_QUEUE
			nlF{"requeues", 12, 4, 'u'}, nlF{"overlimits", 16, 4, 'u'}),
		5: nlaStruct(16, nlF{"bps", 0, 8, 'u'}, nlF{"pps", 8, 8, 'u'}),       // TCA_STATS_RATE_EST64
		7: nlaStruct(12, nlF{"bytes", 0, 8, 'u'}, nlF{"packets", 8, 4, 'u'}), // TCA_STATS_BASIC_HW
		8: nlaU64,                                                            // TCA_STATS_PKT64
	}}
	tcStabAttrs = nlAttrTable{names: rtnlTcaStabAttrs, dflt: "TCA_STAB_???", decoders: map[uint16]nlaDecoder{
		1: nlaStruct(24, nlF{"cell_log", 0, 1, 'u'}, nlF{"size_log", 1, 1, 'u'}, nlF{"cell_align", 2, 2, 'd'},
			nlF{"overhead", 4, 4, 'd'}, nlF{"linklayer", 8, 4, 'u'}, nlF{"mpu", 12, 4, 'u'}, nlF{"mtu", 16, 4, 'u'},
			nlF{"tsize", 20, 4, 'u'}),
		2: nlaU16Array,
	}}
	tcStatsStruct = nlaStruct(36, nlF{"bytes", 0, 8, 'u'}, nlF{"packets", 8, 4, 'u'}, nlF{"drops", 12, 4, 'u'},
		nlF{"overlimits", 16, 4, 'u'}, nlF{"bps", 20, 4, 'u'}, nlF{"pps", 24, 4, 'u'}, nlF{"qlen", 28, 4, 'u'},
		nlF{"backlog", 32, 4, 'u'})
)

func init() {
	tcmsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaStr, 3: tcStatsStruct, 5: nlaStruct(2, nlF{"interval", 0, 1, 'd'}, nlF{"ewma_log", 1, 1, 'u'}),
		6: nlaU32, 7: nlaNested(&tcStatsAttrs), 8: nlaNested(&tcStabAttrs), 11: nlaU32, 12: nlaU8,
		13: nlaU32, 14: nlaU32, 15: nlaU32,
	}
	tcamsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaStr, 3: nlaU32, 4: nlaNested(&tcStatsAttrs),
		7: nlaFlagsN(rtnlTcaActFlags, "TCA_ACT_FLAGS_???", 4), 8: nlaFlagsN(rtnlTcaActHwStats, "TCA_ACT_HW_STATS_???", 4),
		9: nlaFlagsN(rtnlTcaActHwStats, "TCA_ACT_HW_STATS_???", 4), 10: nlaU32,
	}
	brPortMsgAttrs.decoders = map[uint16]nlaDecoder{1: nlaNested(&mdbaMdbAttrs), 2: nlaNested(&mdbaRouterAttrs)}
}

var (
	mdbaMdbAttrs      = nlAttrTable{names: rtnlMdbaMdbAttrs, dflt: "MDBA_MDB_???", decoders: map[uint16]nlaDecoder{1: nlaNested(&mdbaMdbEntryAttrs)}}
	mdbaMdbEntryAttrs = nlAttrTable{names: rtnlMdbaMdbEntryAttrs, dflt: "MDBA_MDB_ENTRY_???", decoders: map[uint16]nlaDecoder{1: mdbEntryInfo}}
	mdbaRouterAttrs   = nlAttrTable{names: rtnlMdbaRouterAttrs, dflt: "MDBA_ROUTER_???", decoders: map[uint16]nlaDecoder{1: mdbRouterPort}}
	mdbaEattrAttrs    = nlAttrTable{names: rtnlMdbaMdbEattrAttrs, dflt: "MDBA_MDB_EATTR_???", decoders: map[uint16]nlaDecoder{1: nlaClockT}}
	mdbaPattrAttrs    = nlAttrTable{names: rtnlMdbaRouterPattrAttrs, dflt: "MDBA_ROUTER_PATTR_???", decoders: map[uint16]nlaDecoder{
		1: nlaClockT, 3: nlaClockT, 4: nlaClockT,
		2: func(d *nlDec, addr, n uint64, _ uint16) bool { // MDBA_ROUTER_PATTR_TYPE
			if b, ok := d.fetch(addr, 1); ok {
				d.p.xlat(uint64(b[0]), multicastRouterTypes, "/MDB_RTR_TYPE_???")
			}
			return true
		},
	}}
)

// mdbEntryInfo is decode_mdba_mdb_entry_info: struct br_mdb_entry, then
// its attributes.
var mdbEntryInfo nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	const size = 28 // struct br_mdb_entry: ifindex, state, flags, vid, addr {u (16), proto}, pad
	if n < size {
		return false
	}
	if b, ok := d.fetch(addr, size); ok {
		p := d.p
		p.s("{ifindex=")
		ifindex(p, le.Uint32(b))
		p.s(", state=")
		p.xlat(uint64(b[4]), mdbStates, "/MDB_???")
		p.s(", flags=")
		nlFlagsOut(p, uint64(b[5]), mdbFlags, "MDB_FLAGS_???")
		p.s(", vid=")
		p.u(uint64(le.Uint16(b[6:])))
		proto := uint16(b[24])<<8 | uint16(b[25])
		p.s(", addr={")
		u := b[8:24]
		switch proto {
		case 2:
			inetField(p, "u", u)
		case 10:
			inet6Field(p, u, "u")
		default:
			p.s("u=")
			p.quoteHex(u, false)
		}
		p.s(", proto=htons(")
		p.xlat(uint64(proto), addressFamilies, "/AF_???")
		p.s(")}}")
	}
	if n > 28 {
		d.p.s(", ")
		d.attrs(addr+28, n-28, mdbaEattrAttrs)
	}
	return true
}

// mdbRouterPort is decode_mdba_router_port: an ifindex, then attributes.
var mdbRouterPort nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 4 {
		return false
	}
	if b, ok := d.fetch(addr, 4); ok {
		ifindex(d.p, le.Uint32(b))
	}
	if n > 4 {
		d.p.s(", ")
		d.attrs(addr+4, n-4, mdbaPattrAttrs)
	}
	return true
}
