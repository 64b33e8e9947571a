package strace

// Links' attributes (strace 6.1's rtnl_link.c), those of ifinfomsg
// itself; IFLA_LINKINFO, IFLA_PROTINFO, IFLA_AF_SPEC, IFLA_VFINFO_LIST
// and the VF ports are named, not decoded yet.

// linkStatsNames are struct rtnl_link_stats's and rtnl_link_stats64's
// fields, in order.
var linkStatsNames = []string{"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
	"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors",
	"rx_frame_errors", "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors",
	"tx_fifo_errors", "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
	"rx_otherhost_dropped"}

// linkStats decodes rtnl_link_stats (size 4) or rtnl_link_stats64 (size
// 8): all of it, or exactly the fields up to tx_compressed (and, for the
// 64-bit one, rx_nohandler), as older kernels send.
func linkStats(size int) nlaDecoder {
	full := 24
	if size == 8 {
		full = 25
	}
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		count := 0
		switch {
		case n >= uint64(full*size):
			count = full
		case n == uint64(24*size):
			count = 24
		case n == uint64(23*size):
			count = 23
		default:
			return false
		}
		b, ok := d.fetch(addr, uint64(count*size))
		if !ok {
			return true
		}
		fs := make([]nlF, count)
		for k := range fs {
			fs[k] = nlF{linkStatsNames[k], k * size, size, 'u'}
		}
		d.structFields(b, fs)
		return true
	}
}

var iflaXdpAttrs = nlAttrTable{names: rtnlIflaXdpAttrs, dflt: "IFLA_XDP_???", decoders: map[uint16]nlaDecoder{
	1: nlaFd, 2: nlaXval(rtnlIflaXdpAttachedMode, "XDP_ATTACHED_???", 1), 3: nlaFlags32(xdpFlags, "XDP_FLAGS_???"),
	4: nlaU32, 5: nlaU32, 6: nlaU32, 7: nlaU32, 8: nlaFd,
}}

func init() {
	str := nlaStr
	ifinfomsgAttrs.decoders = map[uint16]nlaDecoder{
		1: nlaHwaddr, 2: nlaHwaddr, 3: str, 4: nlaU32, 5: nlaU32, 6: str, 7: linkStats(4), 10: nlaU32,
		13: nlaU32,
		14: nlaStruct(28, nlF{"mem_start", 0, 8, 'x'}, nlF{"mem_end", 8, 8, 'x'}, nlF{"base_addr", 16, 8, 'x'},
			nlF{"irq", 24, 2, 'u'}, nlF{"dma", 26, 1, 'u'}, nlF{"port", 27, 1, 'u'}),
		15: nlaU32, 16: nlaU8, 17: nlaU8, 19: nlaU32, 20: str, 21: nlaU32, 23: linkStats(8),
		27: nlaU32, 28: nlaFd, 29: nlaFlagsN(rtnlIflaExtFilterFlags, "RTEXT_FILTER_???", 4), 30: nlaU32, 31: nlaU32,
		32: nlaU32, 33: nlaU8, 35: nlaU32, 37: nlaS32, 38: str, 39: nlaU8, 40: nlaU32, 41: nlaU32,
		43: nlaNested(&iflaXdpAttrs),
		44: func(d *nlDec, addr, n uint64, _ uint16) bool { // IFLA_EVENT
			if n < 4 {
				return false
			}
			if b, ok := d.fetch(addr, 4); ok {
				d.p.xlat(uint64(le.Uint32(b)), rtnlIflaEvents, "/IFLA_EVENT_???")
			}
			return true
		},
		45: nlaS32, 46: nlaS32, 47: nlaU32, 48: nlaU32, 49: nlaIfindex, 50: nlaU32, 51: nlaU32,
		52: nlaNested(&iflaPropListAttrs), 53: str, 54: nlaHwaddr, 56: str, 57: str, 58: nlaU32, 59: nlaU32,
		60: nlaU32, 61: nlaU32,
	}
}

// iflaPropListAttrs are IFLA_PROP_LIST's: IFLA_ALT_IFNAME is decoded.
var iflaPropListAttrs = nlAttrTable{names: rtnlLinkAttrs, dflt: "IFLA_???", all: func(d *nlDec, addr, n uint64, typ uint16) bool {
	if typ == 53 {
		return nlaStr(d, addr, n, typ)
	}
	return false
}}

var (
	// iflaLinkinfoAttrs' decoders are sys_net_netlink_route_link_info.go's.
	iflaLinkinfoAttrs = nlAttrTable{names: rtnlIflaInfoAttrs, dflt: "IFLA_INFO_???"}
	iflaVfPortsAttrs  = nlAttrTable{names: rtnlIflaVfPortAttrs, dflt: "IFLA_VF_PORT_???", decoders: map[uint16]nlaDecoder{
		1: nlaNested(&iflaPortAttrs),
	}}
	iflaPortAttrs = nlAttrTable{names: rtnlIflaPortAttrs, dflt: "IFLA_VF_PORT_???", decoders: map[uint16]nlaDecoder{
		1: nlaU32, 2: nlaStr, 3: iflaPortVsi, 6: nlaU8, 7: nlaU16,
	}}
)

// nlaCStr is printstr_ex(QUOTE_0_TERMINATED): the string up to its NUL,
// "..." when it has none.
var nlaCStr nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	b, ok := d.str(addr, n)
	if !ok {
		return true
	}
	for i, c := range b {
		if c == 0 {
			d.p.quote(b[:i], false)
			return true
		}
	}
	d.p.quote(b, n > 0)
	return true
}

// iflaPortVsi is decode_ifla_port_vsi: struct ifla_port_vsi.
var iflaPortVsi nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 8 {
		return false
	}
	b, ok := d.fetch(addr, 8)
	if !ok {
		return true
	}
	p := d.p
	p.s("{vsi_mgr_id=")
	p.u(uint64(b[0]))
	p.s(", vsi_type_id=")
	p.quoteHex(b[1:4], false)
	p.s(", vsi_type_version=")
	p.u(uint64(b[4]))
	if b[5] != 0 || b[6] != 0 || b[7] != 0 {
		p.s(", pad=")
		p.quoteHex(b[5:8], false)
	}
	p.c('}')
	return true
}

func init() {
	ifinfomsgAttrs.decoders[24] = nlaNested(&iflaVfPortsAttrs) // IFLA_VF_PORTS
	ifinfomsgAttrs.decoders[25] = nlaNested(&iflaPortAttrs)    // IFLA_PORT_SELF
}

// nlaByName keys decoders by their attributes' names in tab.
func nlaByName(tab []flag, decs map[string]nlaDecoder) map[uint16]nlaDecoder {
	out := make(map[uint16]nlaDecoder, len(decs))
	for name, dec := range decs {
		v, ok := uint64(0), false
		for _, f := range tab {
			if f.name == name {
				v, ok = f.v, true
			}
		}
		if !ok {
			panic("strace: no attribute " + name)
		}
		out[uint16(v)] = dec
	}
	return out
}

// iflaBridgeID is decode_ifla_bridge_id: prio[2], then a MAC address.
var iflaBridgeID nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 8 {
		return false
	}
	if b, ok := d.fetch(addr, 8); ok {
		p := d.p
		p.s("{prio=[")
		p.u(uint64(b[0]))
		p.s(", ")
		p.u(uint64(b[1]))
		p.s("], addr=")
		macAddr(p, b[2:8])
		p.c('}')
	}
	return true
}

var iflaBrportAttrs = nlAttrTable{names: rtnlIflaBrportAttrs, dflt: "IFLA_BRPORT_???", decoders: nlaByName(rtnlIflaBrportAttrs, map[string]nlaDecoder{
	"IFLA_BRPORT_STATE": nlaU8, "IFLA_BRPORT_PRIORITY": nlaU16, "IFLA_BRPORT_COST": nlaU32, "IFLA_BRPORT_MODE": nlaU8,
	"IFLA_BRPORT_GUARD": nlaU8, "IFLA_BRPORT_PROTECT": nlaU8, "IFLA_BRPORT_FAST_LEAVE": nlaU8,
	"IFLA_BRPORT_LEARNING": nlaU8, "IFLA_BRPORT_UNICAST_FLOOD": nlaU8, "IFLA_BRPORT_PROXYARP": nlaU8,
	"IFLA_BRPORT_LEARNING_SYNC": nlaU8, "IFLA_BRPORT_PROXYARP_WIFI": nlaU8, "IFLA_BRPORT_ROOT_ID": iflaBridgeID,
	"IFLA_BRPORT_BRIDGE_ID": iflaBridgeID, "IFLA_BRPORT_DESIGNATED_PORT": nlaU16, "IFLA_BRPORT_DESIGNATED_COST": nlaU16,
	"IFLA_BRPORT_ID": nlaU16, "IFLA_BRPORT_NO": nlaU16, "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK": nlaU8,
	"IFLA_BRPORT_CONFIG_PENDING": nlaU8, "IFLA_BRPORT_MESSAGE_AGE_TIMER": nlaClockT,
	"IFLA_BRPORT_FORWARD_DELAY_TIMER": nlaClockT, "IFLA_BRPORT_HOLD_TIMER": nlaClockT,
	"IFLA_BRPORT_MULTICAST_ROUTER": nlaU8, "IFLA_BRPORT_MCAST_FLOOD": nlaU8, "IFLA_BRPORT_MCAST_TO_UCAST": nlaU8,
	"IFLA_BRPORT_VLAN_TUNNEL": nlaU8, "IFLA_BRPORT_BCAST_FLOOD": nlaU8, "IFLA_BRPORT_GROUP_FWD_MASK": nlaInt(2, 'x'),
	"IFLA_BRPORT_NEIGH_SUPPRESS": nlaU8, "IFLA_BRPORT_ISOLATED": nlaU8, "IFLA_BRPORT_BACKUP_PORT": nlaIfindex,
	"IFLA_BRPORT_MRP_RING_OPEN": nlaU8, "IFLA_BRPORT_MRP_IN_OPEN": nlaU8, "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT": nlaU32,
	"IFLA_BRPORT_MCAST_EHT_HOSTS_CNT": nlaU32, "IFLA_BRPORT_LOCKED": nlaU8,
})}

// iflaInet6Attrs are AF_INET6's IFLA_PROTINFO (and IFLA_AF_SPEC).
var iflaInet6Attrs = nlAttrTable{names: rtnlIflaAfSpecInet6Attrs, dflt: "IFLA_INET6_???", decoders: nlaByName(rtnlIflaAfSpecInet6Attrs, map[string]nlaDecoder{
	"IFLA_INET6_FLAGS": nlaFlagsN(inet6IfFlags, "IF_???", 4),
	"IFLA_INET6_CONF":  nlaIndexed(4, 'd', inet6DevconfIndices, "DEVCONF_???"),
	"IFLA_INET6_STATS": nlaIndexed(8, 'u', snmpIpStats, "IPSTATS_MIB_???"),
	"IFLA_INET6_CACHEINFO": nlaStruct(16, nlF{"max_reasm_len", 0, 4, 'u'}, nlF{"tstamp", 4, 4, 'u'},
		nlF{"reachable_time", 8, 4, 'u'}, nlF{"retrans_time", 12, 4, 'u'}),
	"IFLA_INET6_ICMP6STATS":    nlaIndexed(8, 'u', snmpIcmp6Stats, "ICMP6_MIB_???"),
	"IFLA_INET6_TOKEN":         nlaIn6Addr,
	"IFLA_INET6_ADDR_GEN_MODE": nlaXval(in6AddrGenMode, "IN6_ADDR_GEN_MODE_???", 1),
	"IFLA_INET6_RA_MTU":        nlaU32,
})}

// nlaIndexed is print_array_ex with PAF_PRINT_INDICES: integers of size
// bytes (f: 'd' or 'u'), each after its index named by tab: [NAME]=N.
func nlaIndexed(size uint64, f byte, tab []flag, dflt string) nlaDecoder {
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < size {
			return false
		}
		k := uint64(0)
		d.array(addr, n, size, func(b []byte) {
			d.p.c('[')
			d.p.xlatFmt(k, tab, f, dflt)
			d.p.s("]=")
			var v uint64
			for j := len(b) - 1; j >= 0; j-- {
				v = v<<8 | uint64(b[j])
			}
			if f == 'd' {
				d.p.d(int64(v<<(64-8*size)) >> (64 - 8*size))
			} else {
				d.p.u(v)
			}
			k++
		})
		return true
	}
}

// iflaProtinfo is decode_ifla_protinfo: by the ifinfomsg's family.
var iflaProtinfo nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	switch d.hdr[0] {
	case afBridge:
		d.attrs(addr, n, iflaBrportAttrs)
	case 10:
		d.attrs(addr, n, iflaInet6Attrs)
	default:
		d.hexStr(addr, n)
	}
	return true
}

func init() {
	ifinfomsgAttrs.decoders[12] = iflaProtinfo // IFLA_PROTINFO
}

var iflaProtoDownReasonAttrs = nlAttrTable{names: rtnlIflaProtoDownReasonAttrs, dflt: "IFLA_PROTO_DOWN_REASON_???",
	decoders: map[uint16]nlaDecoder{1: nlaInt(4, 'x'), 2: nlaInt(4, 'x')}}

func init() {
	ifinfomsgAttrs.decoders[55] = nlaNested(&iflaProtoDownReasonAttrs) // IFLA_PROTO_DOWN_REASON
}
