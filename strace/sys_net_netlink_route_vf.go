package strace

// Virtual functions' attributes (strace 6.1's rtnl_link.c,
// IFLA_VFINFO_LIST): structs of a vf number and settings.

// vfStruct is a struct ifla_vf_* of u32 fields: vf, then names.
func vfStruct(names ...string) nlaDecoder {
	fs := []nlF{{"vf", 0, 4, 'u'}}
	for k, name := range names {
		fs = append(fs, nlF{name, 4 + 4*k, 4, 'u'})
	}
	return nlaStruct(uint64(4*len(fs)), fs...)
}

// vfMac prints a struct holding a vf number (with vf) and a 32-byte
// hardware address field.
func vfMac(withVf bool, field string) nlaDecoder {
	size := uint64(32)
	if withVf {
		size += 4
	}
	return func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < size {
			return false
		}
		b, ok := d.fetch(addr, size)
		if !ok {
			return true
		}
		p := d.p
		p.c('{')
		if withVf {
			p.s("vf=")
			p.u(uint64(le.Uint32(b)))
			p.s(", ")
			b = b[4:]
		}
		p.s(field + "=")
		macAddr(p, b[:32])
		p.c('}')
		return true
	}
}

var (
	iflaVfinfoListAttrs = nlAttrTable{names: rtnlIflaVfinfoListAttrs, dflt: "IFLA_VF_INFO_???",
		decoders: map[uint16]nlaDecoder{1: nlaNested(&iflaVfInfoAttrs)}}
	iflaVfStatsAttrs = nlAttrTable{names: rtnlIflaVfStatsAttrs, dflt: "IFLA_VF_STATS_???", decoders: nlaByName(rtnlIflaVfStatsAttrs, map[string]nlaDecoder{
		"IFLA_VF_STATS_RX_PACKETS": nlaU64, "IFLA_VF_STATS_TX_PACKETS": nlaU64, "IFLA_VF_STATS_RX_BYTES": nlaU64,
		"IFLA_VF_STATS_TX_BYTES": nlaU64, "IFLA_VF_STATS_BROADCAST": nlaU64, "IFLA_VF_STATS_MULTICAST": nlaU64,
		"IFLA_VF_STATS_RX_DROPPED": nlaU64, "IFLA_VF_STATS_TX_DROPPED": nlaU64,
	})}
	iflaVfVlanListAttrs = nlAttrTable{names: rtnlIflaVfVlanListAttrs, dflt: "IFLA_VF_VLAN_INFO_???",
		decoders: map[uint16]nlaDecoder{1: vfVlanInfo}}
	iflaVfInfoAttrs = nlAttrTable{names: rtnlIflaVfInfoAttrs, dflt: "IFLA_VF_???", decoders: nlaByName(rtnlIflaVfInfoAttrs, map[string]nlaDecoder{
		"IFLA_VF_MAC":      vfMac(true, "mac"),
		"IFLA_VF_VLAN":     vfStruct("vlan", "qos"),
		"IFLA_VF_TX_RATE":  vfStruct("rate"),
		"IFLA_VF_SPOOFCHK": vfStruct("setting"),
		"IFLA_VF_LINK_STATE": func(d *nlDec, addr, n uint64, _ uint16) bool {
			if n < 8 {
				return false
			}
			if b, ok := d.fetch(addr, 8); ok {
				d.p.s("{vf=")
				d.p.u(uint64(le.Uint32(b)))
				d.p.s(", link_state=")
				d.p.xlat(uint64(le.Uint32(b[4:])), rtnlIflaVfLinkStates, "/IFLA_VF_LINK_STATE_???")
				d.p.c('}')
			}
			return true
		},
		"IFLA_VF_RATE":         vfStruct("min_tx_rate", "max_tx_rate"),
		"IFLA_VF_RSS_QUERY_EN": vfStruct("setting"),
		"IFLA_VF_STATS":        nlaNested(&iflaVfStatsAttrs),
		"IFLA_VF_TRUST":        vfStruct("setting"),
		"IFLA_VF_IB_NODE_GUID": vfGUID,
		"IFLA_VF_IB_PORT_GUID": vfGUID,
		"IFLA_VF_VLAN_LIST":    nlaNested(&iflaVfVlanListAttrs),
		"IFLA_VF_BROADCAST":    vfMac(false, "broadcast"),
	})}
)

// vfGUID is decode_ifla_vf_guid: struct ifla_vf_guid, its guid packed
// after vf (12 bytes) or aligned (16).
var vfGUID nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n != 12 && n != 16 {
		return false
	}
	if b, ok := d.fetch(addr, n); ok {
		d.structFields(b, []nlF{{"vf", 0, 4, 'u'}, {"guid", int(n) - 8, 8, 'x'}})
	}
	return true
}

// vfVlanInfo is decode_ifla_vf_vlan_info.
var vfVlanInfo nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 16 {
		return false
	}
	if b, ok := d.fetch(addr, 16); ok {
		p := d.p
		p.s("{vf=")
		p.u(uint64(le.Uint32(b)))
		p.s(", vlan=")
		p.u(uint64(le.Uint32(b[4:])))
		p.s(", qos=")
		p.u(uint64(le.Uint32(b[8:])))
		p.s(", vlan_proto=htons(")
		p.xlat(uint64(b[12])<<8|uint64(b[13]), ethernetProtocols, "/ETH_P_???")
		p.s(")}")
	}
	return true
}

func init() {
	ifinfomsgAttrs.decoders[22] = nlaNested(&iflaVfinfoListAttrs) // IFLA_VFINFO_LIST
}
