package strace

// The headers of NETLINK_ROUTE's other messages (rtnl_link.c, rtnl_route.c,
// rtnl_neigh.c, rtnl_rule.c, rtnl_tc.c, rtnl_tc_action.c, rtnl_neightbl.c,
// rtnl_mdb.c, rtnl_stats.c, rtnl_nh.c); their attributes are named, and
// decoded where a decoder is written.

const afBridge = 7

// Attribute tables of the messages below.
var (
	ifinfomsgAttrs  = nlAttrTable{names: rtnlLinkAttrs, dflt: "IFLA_???"}
	rtmsgAttrs      = nlAttrTable{names: rtnlRouteAttrs, dflt: "RTA_???"}
	ndmsgAttrs      = nlAttrTable{names: rtnlNeighAttrs, dflt: "NDA_???"}
	ruleAttrs       = nlAttrTable{names: rtnlRuleAttrs, dflt: "FRA_???"}
	tcmsgAttrs      = nlAttrTable{names: rtnlTcAttrs, dflt: "TCA_???"}
	tcamsgAttrs     = nlAttrTable{names: rtnlTcActionAttrs, dflt: "TCA_ACT_???"}
	ndtmsgAttrs     = nlAttrTable{names: rtnlNeightblAttrs, dflt: "NDTA_???"}
	brPortMsgAttrs  = nlAttrTable{names: rtnlMdbAttrs, dflt: "MDBA_???"}
	ifstatsMsgAttrs = nlAttrTable{names: ifstatsAttrs, dflt: "IFLA_STATS_???"}
)

func rtIfinfomsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 16, "ifi_family", func(b []byte) {
		p.s("ifi_type=")
		p.xlat(uint64(le.Uint16(b[2:])), arpHardwareTypes, "/ARPHRD_???")
		p.s(", ifi_index=")
		ifindex(p, le.Uint32(b[4:]))
		p.s(", ifi_flags=")
		nlFlagsOut(p, uint64(le.Uint32(b[8:])), iffflags, "IFF_???")
		p.s(", ifi_change=")
		hexOrZero(p, uint64(le.Uint32(b[12:])))
	}, ifinfomsgAttrs)
}

func rtRtmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 12, "rtm_family", func(b []byte) {
		p.s("rtm_dst_len=")
		p.u(uint64(b[1]))
		p.s(", rtm_src_len=")
		p.u(uint64(b[2]))
		p.s(", rtm_tos=")
		nlFlagsOut(p, uint64(b[3]), ipTypeOfServices, "IPTOS_TOS_???")
		p.s(", rtm_table=")
		p.xlat(uint64(b[4]), routingTableIds, "")
		p.s(", rtm_protocol=")
		p.xlat(uint64(b[5]), routingProtocols, "/RTPROT_???")
		p.s(", rtm_scope=")
		p.xlat(uint64(b[6]), routingScopes, "")
		p.s(", rtm_type=")
		p.xlat(uint64(b[7]), routingTypes, "/RTN_???")
		p.s(", rtm_flags=")
		nlFlagsOut(p, uint64(le.Uint32(b[8:])), routingFlags, "RTM_F_???")
	}, rtmsgAttrs)
}

func rtNdmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 12, "ndm_family", func(b []byte) {
		p.s("ndm_ifindex=")
		ifindex(p, le.Uint32(b[4:]))
		p.s(", ndm_state=")
		nlFlagsOut(p, uint64(le.Uint16(b[8:])), neighborCacheEntryStates, "NUD_???")
		p.s(", ndm_flags=")
		nlFlagsOut(p, uint64(b[10]), neighborCacheEntryFlags, "NTF_???")
		p.s(", ndm_type=")
		p.xlat(uint64(b[11]), routingTypes, "/RTN_???")
	}, ndmsgAttrs)
}

func rtRule(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 12, "family", func(b []byte) {
		p.s("dst_len=")
		p.u(uint64(b[1]))
		p.s(", src_len=")
		p.u(uint64(b[2]))
		p.s(", tos=")
		nlFlagsOut(p, uint64(b[3]), ipTypeOfServices, "IPTOS_TOS_???")
		p.s(", table=")
		p.xlat(uint64(b[4]), routingTableIds, "/RT_TABLE_???")
		p.s(", action=")
		p.xlat(uint64(b[7]), fibRuleActions, "/FR_ACT_???")
		p.s(", flags=")
		nlFlagsOut(p, uint64(le.Uint32(b[8:])), fibRuleFlags, "FIB_RULE_???")
	}, ruleAttrs)
}

func rtTcmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 20, "tcm_family", func(b []byte) {
		p.s("tcm_ifindex=")
		ifindex(p, le.Uint32(b[4:]))
		for k, name := range []string{"tcm_handle", "tcm_parent", "tcm_info"} {
			p.s(", " + name + "=")
			p.u(uint64(le.Uint32(b[8+4*k:])))
		}
	}, tcmsgAttrs)
}

func rtTcamsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 1, "tca_family", nil, tcamsgAttrs)
}

func rtNdtmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 1, "ndtm_family", nil, ndtmsgAttrs)
}

func rtBrPortMsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	d.famMsg(fam, addr, n, 8, "family", func(b []byte) {
		d.p.s("ifindex=")
		ifindex(d.p, le.Uint32(b[4:]))
	}, brPortMsgAttrs)
}

func rtIfstats(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 12, "family", func(b []byte) {
		if b[1] != 0 {
			p.s("pad1=")
			hexOrZero(p, uint64(b[1]))
			p.s(", ")
		}
		if pad2 := le.Uint16(b[2:]); pad2 != 0 {
			p.s("pad2=")
			hexOrZero(p, uint64(pad2))
			p.s(", ")
		}
		p.s("ifindex=")
		ifindex(p, le.Uint32(b[4:]))
		p.s(", filter_mask=")
		nlFlagsOut(p, uint64(le.Uint32(b[8:])), ifstatsAttrFlags, "1<<IFLA_STATS_???")
	}, ifstatsMsgAttrs)
}

func rtNhmsg(d *nlDec, h nlmsghdr, fam uint8, addr, n uint64) {
	p := d.p
	d.famMsg(fam, addr, n, 8, "nh_family", func(b []byte) {
		p.s("nh_scope=")
		p.xlat(uint64(b[1]), routingScopes, "")
		p.s(", nh_protocol=")
		p.xlat(uint64(b[2]), routingProtocols, "/RTPROT_???")
		if b[3] != 0 {
			p.s(", resvd=")
			hexOrZero(p, uint64(b[3]))
		}
		p.s(", nh_flags=")
		nlFlagsOut(p, uint64(le.Uint32(b[4:])), routeNexthopFlags, "RTNH_F_???")
	}, nhmsgAttrs)
}
