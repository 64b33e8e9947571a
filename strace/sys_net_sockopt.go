package strace

import (
	"net"
	"net/netip"
)

// Socket options: setsockopt and getsockopt, their levels and names, and
// the option values strace decodes (print_setsockopt, print_getsockopt in
// strace's net.c). Tables are strace 6.1's xlat/*.in (generic values).

var (
	solSocketOptions = []flag{{1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"}, {5, "SO_DONTROUTE"}, {6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"}, {9, "SO_KEEPALIVE"}, {10, "SO_OOBINLINE"}, {11, "SO_NO_CHECK"}, {12, "SO_PRIORITY"}, {13, "SO_LINGER"}, {14, "SO_BSDCOMPAT"}, {15, "SO_REUSEPORT"}, {16, "SO_PASSCRED"}, {17, "SO_PEERCRED"}, {18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"}, {20, "SO_RCVTIMEO_OLD"}, {21, "SO_SNDTIMEO_OLD"}, {22, "SO_SECURITY_AUTHENTICATION"}, {23, "SO_SECURITY_ENCRYPTION_TRANSPORT"}, {24, "SO_SECURITY_ENCRYPTION_NETWORK"}, {25, "SO_BINDTODEVICE"}, {27, "SO_DETACH_FILTER"}, {28, "SO_PEERNAME"}, {29, "SO_TIMESTAMP_OLD"}, {30, "SO_ACCEPTCONN"}, {31, "SO_PEERSEC"}, {32, "SO_SNDBUFFORCE"}, {33, "SO_RCVBUFFORCE"}, {34, "SO_PASSSEC"}, {35, "SO_TIMESTAMPNS_OLD"}, {36, "SO_MARK"}, {37, "SO_TIMESTAMPING_OLD"}, {38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"}, {40, "SO_RXQ_OVFL"}, {41, "SO_WIFI_STATUS"}, {42, "SO_PEEK_OFF"}, {43, "SO_NOFCS"}, {44, "SO_LOCK_FILTER"}, {45, "SO_SELECT_ERR_QUEUE"}, {46, "SO_BUSY_POLL"}, {47, "SO_MAX_PACING_RATE"}, {48, "SO_BPF_EXTENSIONS"}, {49, "SO_INCOMING_CPU"}, {50, "SO_ATTACH_BPF"}, {51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"}, {53, "SO_CNX_ADVICE"}, {55, "SO_MEMINFO"}, {56, "SO_INCOMING_NAPI_ID"}, {57, "SO_COOKIE"}, {59, "SO_PEERGROUPS"}, {60, "SO_ZEROCOPY"}, {61, "SO_TXTIME"}, {62, "SO_BINDTOIFINDEX"}, {63, "SO_TIMESTAMP_NEW"}, {64, "SO_TIMESTAMPNS_NEW"}, {65, "SO_TIMESTAMPING_NEW"}, {66, "SO_RCVTIMEO_NEW"}, {67, "SO_SNDTIMEO_NEW"}, {68, "SO_DETACH_REUSEPORT_BPF"}, {69, "SO_PREFER_BUSY_POLL"}, {70, "SO_BUSY_POLL_BUDGET"}, {71, "SO_NETNS_COOKIE"}, {72, "SO_BUF_LOCK"}, {73, "SO_RESERVE_MEM"}, {74, "SO_TXREHASH"}, {75, "SO_RCVMARK"}}
	sockoptLevels    = []flag{{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {40, "AF_VSOCK"}, {41, "SOL_IPV6"}, {58, "SOL_ICMPV6"}, {100, "SOL_CAN_BASE"}, {101, "SOL_CAN_RAW"}, {132, "SOL_SCTP"}, {136, "SOL_UDPLITE"}, {255, "SOL_RAW"}, {256, "SOL_IPX"}, {257, "SOL_AX25"}, {258, "SOL_ATALK"}, {259, "SOL_NETROM"}, {260, "SOL_ROSE"}, {261, "SOL_DECNET"}, {262, "SOL_X25"}, {263, "SOL_PACKET"}, {264, "SOL_ATM"}, {265, "SOL_AAL"}, {266, "SOL_IRDA"}, {267, "SOL_NETBEUI"}, {268, "SOL_LLC"}, {269, "SOL_DCCP"}, {270, "SOL_NETLINK"}, {271, "SOL_TIPC"}, {272, "SOL_RXRPC"}, {273, "SOL_PPPOL2TP"}, {274, "SOL_BLUETOOTH"}, {275, "SOL_PNPIPE"}, {276, "SOL_RDS"}, {277, "SOL_IUCV"}, {278, "SOL_CAIF"}, {279, "SOL_ALG"}, {280, "SOL_NFC"}, {281, "SOL_KCM"}, {282, "SOL_TLS"}, {283, "SOL_XDP"}}
	solTCPOptions    = []flag{{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"}, {5, "TCP_KEEPINTVL"}, {6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {8, "TCP_LINGER2"}, {9, "TCP_DEFER_ACCEPT"}, {10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"}, {12, "TCP_QUICKACK"}, {13, "TCP_CONGESTION"}, {14, "TCP_MD5SIG"}, {15, "TCP_COOKIE_TRANSACTIONS"}, {16, "TCP_THIN_LINEAR_TIMEOUTS"}, {17, "TCP_THIN_DUPACK"}, {18, "TCP_USER_TIMEOUT"}, {19, "TCP_REPAIR"}, {20, "TCP_REPAIR_QUEUE"}, {21, "TCP_QUEUE_SEQ"}, {22, "TCP_REPAIR_OPTIONS"}, {23, "TCP_FASTOPEN"}, {24, "TCP_TIMESTAMP"}, {25, "TCP_NOTSENT_LOWAT"}, {26, "TCP_CC_INFO"}, {27, "TCP_SAVE_SYN"}, {28, "TCP_SAVED_SYN"}, {29, "TCP_REPAIR_WINDOW"}, {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}, {32, "TCP_MD5SIG_EXT"}, {33, "TCP_FASTOPEN_KEY"}, {34, "TCP_FASTOPEN_NO_COOKIE"}, {35, "TCP_ZEROCOPY_RECEIVE"}, {36, "TCP_INQ"}, {37, "TCP_TX_DELAY"}}
	solUDPOptions    = []flag{{1, "UDP_CORK"}, {100, "UDP_ENCAP"}, {101, "UDP_NO_CHECK6_TX"}, {102, "UDP_NO_CHECK6_RX"}, {103, "UDP_SEGMENT"}, {104, "UDP_GRO"}}
	solIPOptions     = []flag{{1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {5, "IP_ROUTER_ALERT"}, {6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {9, "IP_PKTOPTIONS"}, {10, "IP_MTU_DISCOVER"}, {11, "IP_RECVERR"}, {12, "IP_RECVTTL"}, {13, "IP_RECVTOS"}, {14, "IP_MTU"}, {15, "IP_FREEBIND"}, {16, "IP_IPSEC_POLICY"}, {17, "IP_XFRM_POLICY"}, {18, "IP_PASSSEC"}, {19, "IP_TRANSPARENT"}, {20, "IP_ORIGDSTADDR"}, {21, "IP_MINTTL"}, {22, "IP_NODEFRAG"}, {23, "IP_CHECKSUM"}, {24, "IP_BIND_ADDRESS_NO_PORT"}, {25, "IP_RECVFRAGSIZE"}, {26, "IP_RECVERR_RFC4884"}, {32, "IP_MULTICAST_IF"}, {33, "IP_MULTICAST_TTL"}, {34, "IP_MULTICAST_LOOP"}, {35, "IP_ADD_MEMBERSHIP"}, {36, "IP_DROP_MEMBERSHIP"}, {37, "IP_UNBLOCK_SOURCE"}, {38, "IP_BLOCK_SOURCE"}, {39, "IP_ADD_SOURCE_MEMBERSHIP"}, {40, "IP_DROP_SOURCE_MEMBERSHIP"}, {41, "IP_MSFILTER"}, {42, "MCAST_JOIN_GROUP"}, {43, "MCAST_BLOCK_SOURCE"}, {44, "MCAST_UNBLOCK_SOURCE"}, {45, "MCAST_LEAVE_GROUP"}, {46, "MCAST_JOIN_SOURCE_GROUP"}, {47, "MCAST_LEAVE_SOURCE_GROUP"}, {48, "MCAST_MSFILTER"}, {49, "IP_MULTICAST_ALL"}, {50, "IP_UNICAST_IF"}}
	solIPv6Options   = []flag{{1, "IPV6_ADDRFORM"}, {2, "IPV6_2292PKTINFO"}, {3, "IPV6_2292HOPOPTS"}, {4, "IPV6_2292DSTOPTS"}, {5, "IPV6_2292RTHDR"}, {6, "IPV6_2292PKTOPTIONS"}, {7, "IPV6_CHECKSUM"}, {8, "IPV6_2292HOPLIMIT"}, {9, "IPV6_NEXTHOP"}, {10, "IPV6_AUTHHDR"}, {11, "IPV6_FLOWINFO"}, {16, "IPV6_UNICAST_HOPS"}, {17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"}, {20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {22, "IPV6_ROUTER_ALERT"}, {23, "IPV6_MTU_DISCOVER"}, {24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"}, {27, "IPV6_JOIN_ANYCAST"}, {28, "IPV6_LEAVE_ANYCAST"}, {29, "IPV6_MULTICAST_ALL"}, {30, "IPV6_ROUTER_ALERT_ISOLATE"}, {31, "IPV6_RECVERR_RFC4884"}, {32, "IPV6_FLOWLABEL_MGR"}, {33, "IPV6_FLOWINFO_SEND"}, {34, "IPV6_IPSEC_POLICY"}, {35, "IPV6_XFRM_POLICY"}, {36, "IPV6_HDRINCL"}, {42, "MCAST_JOIN_GROUP"}, {43, "MCAST_BLOCK_SOURCE"}, {44, "MCAST_UNBLOCK_SOURCE"}, {45, "MCAST_LEAVE_GROUP"}, {46, "MCAST_JOIN_SOURCE_GROUP"}, {47, "MCAST_LEAVE_SOURCE_GROUP"}, {48, "MCAST_MSFILTER"}, {49, "IPV6_RECVPKTINFO"}, {50, "IPV6_PKTINFO"}, {51, "IPV6_RECVHOPLIMIT"}, {52, "IPV6_HOPLIMIT"}, {53, "IPV6_RECVHOPOPTS"}, {54, "IPV6_HOPOPTS"}, {55, "IPV6_RTHDRDSTOPTS"}, {56, "IPV6_RECVRTHDR"}, {57, "IPV6_RTHDR"}, {58, "IPV6_RECVDSTOPTS"}, {59, "IPV6_DSTOPTS"}, {60, "IPV6_RECVPATHMTU"}, {61, "IPV6_PATHMTU"}, {62, "IPV6_DONTFRAG"}, {63, "IPV6_USE_MIN_MTU"}, {66, "IPV6_RECVTCLASS"}, {67, "IPV6_TCLASS"}, {70, "IPV6_AUTOFLOWLABEL"}, {72, "IPV6_ADDR_PREFERENCES"}, {73, "IPV6_MINHOPCOUNT"}, {74, "IPV6_ORIGDSTADDR"}, {75, "IPV6_TRANSPARENT"}, {76, "IPV6_UNICAST_IF"}, {77, "IPV6_RECVFRAGSIZE"}, {78, "IPV6_FREEBIND"}}
	solPacketOptions = []flag{{1, "PACKET_ADD_MEMBERSHIP"}, {2, "PACKET_DROP_MEMBERSHIP"}, {3, "PACKET_RECV_OUTPUT"}, {5, "PACKET_RX_RING"}, {6, "PACKET_STATISTICS"}, {7, "PACKET_COPY_THRESH"}, {8, "PACKET_AUXDATA"}, {9, "PACKET_ORIGDEV"}, {10, "PACKET_VERSION"}, {11, "PACKET_HDRLEN"}, {12, "PACKET_RESERVE"}, {13, "PACKET_TX_RING"}, {14, "PACKET_LOSS"}, {15, "PACKET_VNET_HDR"}, {16, "PACKET_TX_TIMESTAMP"}, {17, "PACKET_TIMESTAMP"}, {18, "PACKET_FANOUT"}, {19, "PACKET_TX_HAS_OFF"}, {20, "PACKET_QDISC_BYPASS"}, {21, "PACKET_ROLLOVER_STATS"}, {22, "PACKET_FANOUT_DATA"}, {23, "PACKET_IGNORE_OUTGOING"}}
	packetMreqTypes  = []flag{{0, "PACKET_MR_MULTICAST"}, {1, "PACKET_MR_PROMISC"}, {2, "PACKET_MR_ALLMULTI"}, {3, "PACKET_MR_UNICAST"}}
	icmpFilterFlags  = []flag{{0, "ICMP_ECHOREPLY"}, {3, "ICMP_DEST_UNREACH"}, {4, "ICMP_SOURCE_QUENCH"}, {5, "ICMP_REDIRECT"}, {8, "ICMP_ECHO"}, {11, "ICMP_TIME_EXCEEDED"}, {12, "ICMP_PARAMETERPROB"}, {13, "ICMP_TIMESTAMP"}, {14, "ICMP_TIMESTAMPREPLY"}, {15, "ICMP_INFO_REQUEST"}, {16, "ICMP_INFO_REPLY"}, {17, "ICMP_ADDRESS"}, {18, "ICMP_ADDRESSREPLY"}}
	solRawOptions    = []flag{{1, "ICMP_FILTER"}}
	setsockSOOptions = []flag{{26, "SO_ATTACH_FILTER"}}
	getsockSOOptions = []flag{{26, "SO_GET_FILTER"}}
	setsockIPv6Extra = []flag{{64, "IP6T_SO_SET_REPLACE"}, {65, "IP6T_SO_SET_ADD_COUNTERS"}}
)

// SOL_SOCKET's classic BPF filter options (SO_GET_FILTER is
// SO_ATTACH_FILTER's number).
const (
	soAttachFilter        = 26
	soAttachReuseportCBPF = 51
)

// Option levels (socketlayers).
const (
	solIP     = 0
	solSocket = 1
	solTCP    = 6
	solUDP    = 17
	solIPv6   = 41
	solRaw    = 255
	solPacket = 263
	solNetlnk = 270
)

// sockoptName prints an option's name as strace's
// print_sockopt_fd_level_name does: known levels' names, or the number in
// hex with the level's /* PREFIX_??? */ comment; other levels' numbers.
func sockoptName(p *printer, level, name uint64, get bool) {
	var tab, extra []flag
	var unknown string
	switch level {
	case solSocket:
		tab, unknown = solSocketOptions, "SO_???"
		extra = setsockSOOptions
		if get {
			extra = getsockSOOptions
		}
	case solIP:
		tab, unknown = solIPOptions, "IP_???"
	case solIPv6:
		tab, unknown = solIPv6Options, "IPV6_???"
		if !get {
			extra = setsockIPv6Extra
		}
	case solTCP:
		tab, unknown = solTCPOptions, "TCP_???"
	case solUDP:
		tab, unknown = solUDPOptions, "UDP_???"
	case solPacket:
		tab, unknown = solPacketOptions, "PACKET_???"
	case solRaw:
		tab, unknown = solRawOptions, "RAW_???"
	case solNetlnk:
		tab, unknown = solNetlinkOptions, "NETLINK_???"
	default:
		p.u(name)
		return
	}
	if lookupName(name, tab) == "" && lookupName(name, extra) != "" {
		tab = extra
	}
	p.xlat(name, tab, "/"+unknown)
}

// sockoptInt reports whether a SOL_SOCKET option is one strace prints as
// an int (its "All known int-like options").
func sockoptInt(name uint64) bool {
	switch name {
	case 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35, 36, 37, 40, 41, 42,
		43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75:
		return true
	}
	return false
}

// ifindex prints an interface index as strace's print_ifindex:
// if_nametoindex("lo") when the index names an interface here.
func ifindex(p *printer, idx uint32) {
	name := ""
	if idx != 0 {
		if ifc, err := net.InterfaceByIndex(int(idx)); err == nil {
			name = `if_nametoindex("` + ifc.Name + `")`
		}
	}
	p.constVal(uint64(idx), 'u', name)
}

func inetAddr(p *printer, b []byte) {
	p.s(`inet_addr("`)
	p.s(netip.AddrFrom4([4]byte(b[:4])).String())
	p.s(`")`)
}

// macAddr prints a hardware address as strace's print_mac_addr: ff:ff
// (abbrev), "\xff\xff" (raw), or both (verbose).
func macAddr(p *printer, b []byte) {
	if p.style != ConstAbbrev {
		p.quoteHex(b, false)
	}
	if p.style == ConstRaw {
		return
	}
	const hx = "0123456789abcdef"
	var s []byte
	for i, c := range b {
		if i > 0 {
			s = append(s, ':')
		}
		s = append(s, hx[c>>4], hx[c&15])
	}
	if p.style == ConstVerbose {
		p.comment(string(s))
		return
	}
	p.bytes(s)
}

// netipAddr16 is an IPv6 address as inet_ntop writes it.
func netipAddr16(b []byte) string { return netip.AddrFrom16([16]byte(b[:16])).String() }
