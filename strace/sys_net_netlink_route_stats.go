package strace

// Interface statistics' attributes (strace 6.1's rtnl_stats.c): the
// 64-bit link statistics, the bridge's and bond's extended ones, the
// offloaded ones and MPLS's per family.

// withRest decodes a struct of size bytes by dec, then prints the bytes
// after it as hex (strace's xstats decoders).
func withRest(size uint64, dec func(d *nlDec, b []byte)) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < size {
			return false
		}
		b, ok := d.fetch(addr, size)
		if !ok {
			return true
		}
		dec(d, b)
		if n > size {
			d.p.s(", ")
			d.hexStr(addr+size, n-size)
		}
		return true
	}
}

// nlU64Fields are consecutive uint64 fields from the start of a struct.
func nlU64Fields(names ...string) []nlF {
	fs := make([]nlF, len(names))
	for k, name := range names {
		fs[k] = nlF{name, 8 * k, 8, 'u'}
	}
	return fs
}

var (
	// struct bridge_vlan_xstats.
	brVlanXstats = withRest(40, func(d *nlDec, b []byte) {
		p := d.p
		d.structFields(b, nlU64Fields("rx_bytes", "rx_packets", "tx_bytes", "tx_packets"))
		p.b = p.b[:len(p.b)-1] // reopen the struct
		p.s(", vid=")
		p.u(uint64(le.Uint16(b[32:])))
		p.s(", flags=")
		nlFlagsOut(p, uint64(le.Uint16(b[34:])), nlBridgeVlanFlags, "BRIDGE_VLAN_INFO_???")
		if pad := le.Uint32(b[36:]); pad != 0 {
			p.s(", pad2=")
			hexOrZero(p, uint64(pad))
		}
		p.c('}')
	})
	// struct br_mcast_stats: [BR_MCAST_DIR_RX]/[TX] pairs and two counters.
	brMcastXstats = withRest(240, func(d *nlDec, b []byte) {
		p := d.p
		names := []string{"igmp_v1queries", "igmp_v2queries", "igmp_v3queries", "igmp_leaves", "igmp_v1reports",
			"igmp_v2reports", "igmp_v3reports", "igmp_parse_errors", "mld_v1queries", "mld_v2queries", "mld_leaves",
			"mld_v1reports", "mld_v2reports", "mld_parse_errors", "mcast_bytes", "mcast_packets"}
		off := 0
		p.c('{')
		for k, name := range names {
			nlField(p, k == 0, name)
			if name == "igmp_parse_errors" || name == "mld_parse_errors" {
				p.u(le.Uint64(b[off:]))
				off += 8
				continue
			}
			p.c('[')
			for j := 0; j < 2; j++ {
				if j > 0 {
					p.s(", ")
				}
				p.c('[')
				p.xlatFmt(uint64(j), ifstatsXstatsBridgeMcastIndices, 'u', "")
				p.s("]=")
				p.u(le.Uint64(b[off:]))
				off += 8
			}
			p.c(']')
		}
		p.c('}')
	})
	brStpXstats = withRest(48, func(d *nlDec, b []byte) {
		d.structFields(b, nlU64Fields("transition_blk", "transition_fwd", "rx_bpdu", "tx_bpdu", "rx_tcn", "tx_tcn"))
	})
	mplsLinkStats = withRest(72, func(d *nlDec, b []byte) {
		d.structFields(b, nlU64Fields("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
			"rx_dropped", "tx_dropped", "rx_noroute"))
	})

	ifstatsBridgeAttrs = nlAttrTable{names: ifstatsXstatsBridgeAttrs, dflt: "BRIDGE_XSTATS_???",
		decoders: map[uint16]nlaDecoder{1: brVlanXstats, 2: brMcastXstats, 4: brStpXstats}}
	ifstatsBond3adAttrs = nlAttrTable{names: ifstatsXstatsBond3AdAttrs, dflt: "BOND_XSTATS_???",
		decoders: map[uint16]nlaDecoder{0: nlaU64, 1: nlaU64, 2: nlaU64, 3: nlaU64, 4: nlaU64, 5: nlaU64, 6: nlaU64, 7: nlaU64, 8: nlaU64}}
	ifstatsBondAttrs = nlAttrTable{names: ifstatsXstatsBondAttrs, dflt: "BOND_XSTATS_???",
		decoders: map[uint16]nlaDecoder{1: nlaNested(&ifstatsBond3adAttrs)}}
	ifstatsXstatsAttrs = nlAttrTable{names: ifstatsXstatsTypeAttrs, dflt: "LINK_XSTATS_TYPE_???",
		decoders: map[uint16]nlaDecoder{1: nlaNested(&ifstatsBridgeAttrs), 2: nlaNested(&ifstatsBondAttrs)}}
	ifstatsOffloadXstats = nlAttrTable{names: ifstatsOffloadAttrs, dflt: "IFLA_OFFLOAD_XSTATS_???",
		decoders: map[uint16]nlaDecoder{1: linkStats(8)}}
	ifstatsMplsAttrs = nlAttrTable{names: ifstatsAfSpecMplsAttrs, dflt: "MPLS_STATS_???",
		decoders: map[uint16]nlaDecoder{1: mplsLinkStats}}
	// IFLA_STATS_AF_SPEC: attributes named by family, MPLS's decoded.
	ifstatsAfSpec = nlAttrTable{names: addressFamilies, dflt: "AF_???", all: func(d *nlDec, addr, n uint64, typ uint16) bool {
		if uint8(typ) == 28 { // AF_MPLS
			d.attrs(addr, n, ifstatsMplsAttrs)
		} else {
			d.hexStr(addr, n)
		}
		return true
	}}
)

func init() {
	ifstatsMsgAttrs.decoders = map[uint16]nlaDecoder{
		1: linkStats(8), 2: nlaNested(&ifstatsXstatsAttrs), 3: nlaNested(&ifstatsXstatsAttrs),
		4: nlaNested(&ifstatsOffloadXstats), 5: nlaNested(&ifstatsAfSpec),
	}
}
