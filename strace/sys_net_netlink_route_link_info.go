package strace

// IFLA_LINKINFO's and IFLA_AF_SPEC's attributes (strace 6.1's
// rtnl_link.c): a link's kind and its kind's data (bridge, tun), a CAN
// device's statistics, a bridge port's data; the per-family data of
// IFLA_AF_SPEC (AF_INET, AF_INET6, AF_MCTP), or the bridge's own for an
// AF_BRIDGE message.

import "bytes"

func init() {
	ifinfomsgAttrs.decoders[18] = iflaLinkinfo // IFLA_LINKINFO
	ifinfomsgAttrs.decoders[26] = iflaAfSpec   // IFLA_AF_SPEC
}

// linkKinds are a IFLA_LINKINFO's kind and slave kind, as its
// IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND have named them so far (strace's
// struct ifla_linkinfo_ctx).
type linkKinds struct{ kind, slave string }

// iflaLinkinfo is decode_ifla_linkinfo: the attributes, each kind's data
// decoded by the kind named before it.
var iflaLinkinfo nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	old := d.link
	d.link = &linkKinds{}
	d.attrs(addr, n, iflaLinkinfoAttrs)
	d.link = old
	return true
}

// linkKind is update_ctx_str: the kind's name up to its NUL, "" when the
// attribute is 64 bytes or more or cannot be read.
func linkKind(d *nlDec, addr, n uint64) string {
	if n >= 64 {
		return ""
	}
	b, ok := d.m.at(addr, n)
	if !ok {
		return ""
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func init() {
	iflaLinkinfoAttrs.decoders = map[uint16]nlaDecoder{
		1: func(d *nlDec, addr, n uint64, typ uint16) bool { // IFLA_INFO_KIND
			if d.link != nil {
				d.link.kind = linkKind(d, addr, n)
			}
			return nlaCStr(d, addr, n, typ)
		},
		2: func(d *nlDec, addr, n uint64, _ uint16) bool { // IFLA_INFO_DATA
			if d.link == nil {
				return false
			}
			switch d.link.kind {
			case "bridge":
				d.attrs(addr, n, iflaBrAttrs)
			case "tun":
				d.attrs(addr, n, iflaTunAttrs)
			default:
				return false
			}
			return true
		},
		3: func(d *nlDec, addr, n uint64, typ uint16) bool { // IFLA_INFO_XSTATS
			if d.link == nil || d.link.kind != "can" {
				return false
			}
			return canDeviceStats(d, addr, n, typ)
		},
		4: func(d *nlDec, addr, n uint64, typ uint16) bool { // IFLA_INFO_SLAVE_KIND
			if d.link != nil {
				d.link.slave = linkKind(d, addr, n)
			}
			return nlaCStr(d, addr, n, typ)
		},
		5: func(d *nlDec, addr, n uint64, _ uint16) bool { // IFLA_INFO_SLAVE_DATA
			if d.link == nil || d.link.slave != "bridge" {
				return false
			}
			d.attrs(addr, n, iflaBrportAttrs)
			return true
		},
	}
}

// canDeviceStats is struct can_device_stats.
var canDeviceStats = nlaStruct(24, nlF{"bus_error", 0, 4, 'u'}, nlF{"error_warning", 4, 4, 'u'},
	nlF{"error_passive", 8, 4, 'u'}, nlF{"bus_off", 12, 4, 'u'}, nlF{"arbitration_lost", 16, 4, 'u'},
	nlF{"restarts", 20, 4, 'u'})

// nlaEtherProto is decode_nla_ether_proto: htons(ETH_P_...).
var nlaEtherProto nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 2 || n > 8 {
		return false
	}
	if b, ok := d.fetch(addr, 2); ok {
		d.p.s("htons(")
		d.p.xlat(uint64(b[0])<<8|uint64(b[1]), ethernetProtocols, "/ETHER_P_???")
		d.p.c(')')
	}
	return true
}

var (
	iflaBrAttrs = nlAttrTable{names: rtnlIflaInfoDataBridgeAttrs, dflt: "IFLA_BR_???", decoders: nlaByName(rtnlIflaInfoDataBridgeAttrs, map[string]nlaDecoder{
		"IFLA_BR_FORWARD_DELAY": nlaClockT, "IFLA_BR_HELLO_TIME": nlaClockT, "IFLA_BR_MAX_AGE": nlaClockT,
		"IFLA_BR_AGEING_TIME": nlaClockT, "IFLA_BR_STP_STATE": nlaU32, "IFLA_BR_PRIORITY": nlaU16,
		"IFLA_BR_VLAN_FILTERING": nlaU8, "IFLA_BR_VLAN_PROTOCOL": nlaEtherProto, "IFLA_BR_GROUP_FWD_MASK": nlaInt(2, 'x'),
		"IFLA_BR_ROOT_ID": iflaBridgeID, "IFLA_BR_BRIDGE_ID": iflaBridgeID, "IFLA_BR_ROOT_PORT": nlaU16,
		"IFLA_BR_ROOT_PATH_COST": nlaU32, "IFLA_BR_TOPOLOGY_CHANGE": nlaU8, "IFLA_BR_TOPOLOGY_CHANGE_DETECTED": nlaU8,
		"IFLA_BR_HELLO_TIMER": nlaClockT, "IFLA_BR_TCN_TIMER": nlaClockT, "IFLA_BR_TOPOLOGY_CHANGE_TIMER": nlaClockT,
		"IFLA_BR_GC_TIMER": nlaClockT, "IFLA_BR_GROUP_ADDR": nlaHwaddr, "IFLA_BR_MCAST_ROUTER": nlaU8,
		"IFLA_BR_MCAST_SNOOPING": nlaU8, "IFLA_BR_MCAST_QUERY_USE_IFADDR": nlaU8, "IFLA_BR_MCAST_QUERIER": nlaU8,
		"IFLA_BR_MCAST_HASH_ELASTICITY": nlaU32, "IFLA_BR_MCAST_HASH_MAX": nlaU32, "IFLA_BR_MCAST_LAST_MEMBER_CNT": nlaU32,
		"IFLA_BR_MCAST_STARTUP_QUERY_CNT": nlaU32, "IFLA_BR_MCAST_LAST_MEMBER_INTVL": nlaClockT,
		"IFLA_BR_MCAST_MEMBERSHIP_INTVL": nlaClockT, "IFLA_BR_MCAST_QUERIER_INTVL": nlaClockT,
		"IFLA_BR_MCAST_QUERY_INTVL": nlaClockT, "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL": nlaClockT,
		"IFLA_BR_MCAST_STARTUP_QUERY_INTVL": nlaClockT, "IFLA_BR_NF_CALL_IPTABLES": nlaU8,
		"IFLA_BR_NF_CALL_IP6TABLES": nlaU8, "IFLA_BR_NF_CALL_ARPTABLES": nlaU8, "IFLA_BR_VLAN_DEFAULT_PVID": nlaU16,
		"IFLA_BR_VLAN_STATS_ENABLED": nlaU8, "IFLA_BR_MCAST_STATS_ENABLED": nlaU8, "IFLA_BR_MCAST_IGMP_VERSION": nlaU8,
		"IFLA_BR_MCAST_MLD_VERSION": nlaU8, "IFLA_BR_VLAN_STATS_PER_PORT": nlaU8,
		"IFLA_BR_MULTI_BOOLOPT": func(d *nlDec, addr, n uint64, _ uint16) bool { // struct br_boolopt_multi
			if n < 8 {
				return false
			}
			if b, ok := d.fetch(addr, 8); ok {
				d.p.s("{optval=")
				nlFlagsOut(d.p, uint64(le.Uint32(b)), rtnlIflaBrBooloptFlags, "1<<BR_BOOLOPT_???")
				d.p.s(", optmask=")
				nlFlagsOut(d.p, uint64(le.Uint32(b[4:])), rtnlIflaBrBooloptFlags, "1<<BR_BOOLOPT_???")
				d.p.c('}')
			}
			return true
		},
		"IFLA_BR_MCAST_QUERIER_STATE": nlaNested(&iflaBrQuerierAttrs),
	})}
	iflaBrQuerierAttrs = nlAttrTable{names: rtnlIflaBrMcastQuerierAttrs, dflt: "BRIDGE_QUERIER_???", decoders: map[uint16]nlaDecoder{
		1: nlaInAddr, 2: nlaIfindex, 3: nlaClockT, 5: nlaIn6Addr, 6: nlaIfindex, 7: nlaClockT,
	}}
	iflaTunAttrs = nlAttrTable{names: rtnlIflaInfoDataTunAttrs, dflt: "IFLA_TUN_???", decoders: map[uint16]nlaDecoder{
		1: nlaUID, 2: nlaUID, 3: nlaXval(tunDeviceTypes, "IFF_???", 1), 4: nlaU8, 5: nlaU8, 6: nlaU8, 7: nlaU8,
		8: nlaU32, 9: nlaU32,
	}}
)

// iflaAfSpec is decode_ifla_af_spec: the bridge's attributes for an
// AF_BRIDGE message, else attributes named by address family.
var iflaAfSpec nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if d.hdr[0] == afBridge {
		d.attrs(addr, n, iflaAfSpecBridgeAttrs)
	} else {
		d.attrs(addr, n, iflaAfSpecAttrs)
	}
	return true
}

var (
	// iflaAfSpecAttrs is decode_ifla_af's: each family's attributes.
	iflaAfSpecAttrs = nlAttrTable{names: addressFamilies, dflt: "AF_???", all: func(d *nlDec, addr, n uint64, typ uint16) bool {
		switch uint8(typ) {
		case 2:
			d.attrs(addr, n, iflaInetAttrs)
		case 10:
			d.attrs(addr, n, iflaInet6Attrs)
		case 45: // AF_MCTP
			d.attrs(addr, n, iflaMctpAttrs)
		default:
			return false
		}
		return true
	}}
	iflaInetAttrs = nlAttrTable{names: rtnlIflaAfSpecInetAttrs, dflt: "IFLA_INET_???", decoders: map[uint16]nlaDecoder{
		1: nlaIndexed(4, 'd', inetDevconfIndices, "IPV4_DEVCONF_???"), // IFLA_INET_CONF
	}}
	iflaMctpAttrs         = nlAttrTable{names: rtnlIflaAfSpecMctpAttrs, dflt: "IFLA_MCTP_???", decoders: map[uint16]nlaDecoder{1: nlaU32}}
	bridgeVlanFlags       = nlaFlagsN(nlBridgeVlanFlags, "BRIDGE_VLAN_INFO_???", 2)
	iflaAfSpecBridgeAttrs = nlAttrTable{names: rtnlIflaAfSpecBridgeAttrs, dflt: "IFLA_BRIDGE_???", decoders: map[uint16]nlaDecoder{
		0: nlaFlagsN(rtnlIflaBridgeFlags, "BRIDGE_FLAGS_???", 2), // IFLA_BRIDGE_FLAGS
		1: nlaXval(rtnlIflaBridgeModes, "BRIDGE_MODE_???", 2),    // IFLA_BRIDGE_MODE
		2: withRest(4, func(d *nlDec, b []byte) { // IFLA_BRIDGE_VLAN_INFO: struct bridge_vlan_info
			d.p.s("{flags=")
			nlFlagsOut(d.p, uint64(le.Uint16(b)), nlBridgeVlanFlags, "BRIDGE_VLAN_INFO_???")
			d.p.s(", vid=")
			d.p.u(uint64(le.Uint16(b[2:])))
			d.p.c('}')
		}),
		3: nlaNested(&iflaBridgeVlanTunnelAttrs), // IFLA_BRIDGE_VLAN_TUNNEL_INFO
	}}
	iflaBridgeVlanTunnelAttrs = nlAttrTable{names: rtnlIflaAfSpecBridgeVlanTunnelInfoAttrs, dflt: "IFLA_BRIDGE_VLAN_TUNNEL_???",
		decoders: map[uint16]nlaDecoder{1: nlaU32, 2: nlaU16, 3: bridgeVlanFlags}}
)
