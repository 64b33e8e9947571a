package strace

// SOL_NETLINK socket options: their names (strace 6.1's
// xlat/sock_netlink_options.in) and NETLINK_LIST_MEMBERSHIPS's value, the
// groups' array print_getsockopt prints (the others are ints, printed by
// the generic SOL_NETLINK cases of print_setsockopt and print_getsockopt).

var solNetlinkOptions = []flag{{1, "NETLINK_ADD_MEMBERSHIP"}, {2, "NETLINK_DROP_MEMBERSHIP"}, {3, "NETLINK_PKTINFO"}, {4, "NETLINK_BROADCAST_ERROR"}, {5, "NETLINK_NO_ENOBUFS"}, {6, "NETLINK_RX_RING"}, {7, "NETLINK_TX_RING"}, {8, "NETLINK_LISTEN_ALL_NSID"}, {9, "NETLINK_LIST_MEMBERSHIPS"}, {10, "NETLINK_CAP_ACK"}, {11, "NETLINK_EXT_ACK"}, {12, "NETLINK_GET_STRICT_CHK"}}

// netlinkListMemberships is NETLINK_LIST_MEMBERSHIPS.
const netlinkListMemberships = 9

// getsockoptNetlink prints a SOL_NETLINK option's value as strace's
// print_getsockopt: NETLINK_LIST_MEMBERSHIPS's groups, min(ulen, rlen)/4
// of them (the kernel returns the length all of them need), as unsigned
// ints; any other option's int.
func getsockoptNetlink(p *printer, c *Call, i int, name uint64, b []byte, rlen int) {
	addr := c.Args[i]
	if name != netlinkListMemberships {
		sockInt(p, addr, b)
		return
	}
	n := rlen
	if ulen, known := socklenAtEntry(c, i+1); known && int(ulen) < n {
		n = int(ulen)
	}
	printArrayAt(p, addr, c.Cap(i, 0), 4, uint64(n/4), func(p *printer, _ uint64, e []byte) bool {
		p.u(uint64(le.Uint32(e)))
		return true
	})
}
