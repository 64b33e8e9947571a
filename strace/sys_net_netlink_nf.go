package strace

// NETLINK_NETFILTER's payloads (strace's netlink_netfilter.c): struct
// nfgenmsg, then attributes, unnamed.

func init() {
	nlPayloads[nlNetfilter] = netfilterPayload
}

var netfilterVersions = []flag{{0, "NFNETLINK_V0"}}

const (
	nfnlSubsysNftables = 10
	nfnlMsgBatchBegin  = 0x10
	nfnlMsgBatchEnd    = 0x11
)

func netfilterPayload(d *nlDec, h nlmsghdr, addr, n uint64) bool {
	if h.typ == nlmsgDone {
		return false
	}
	const size = 4 // struct nfgenmsg
	if n < size {
		d.hexStr(addr, n)
		return true
	}
	b, ok := d.fetch(addr, size)
	if !ok {
		return true
	}
	p := d.p
	p.s("{nfgen_family=")
	p.xlat(uint64(b[0]), addressFamilies, "/AF_???")
	p.s(", version=")
	p.xlat(uint64(b[1]), netfilterVersions, "/NFNETLINK_???")
	p.s(", res_id=")
	// nftables sent res_id in host order once (Linux v4.3): either is
	// named.
	raw := le.Uint16(b[2:])
	resID := raw>>8 | raw<<8
	switch {
	case h.typ>>8 == nfnlSubsysNftables && resID == nfnlSubsysNftables:
		p.constVal(uint64(raw), 'x', "htons(NFNL_SUBSYS_NFTABLES)")
	case h.typ>>8 == nfnlSubsysNftables && raw == nfnlSubsysNftables:
		p.constVal(uint64(raw), 'x', "NFNL_SUBSYS_NFTABLES")
	default:
		p.s("htons(")
		p.u(uint64(resID))
		p.c(')')
	}
	p.c('}')
	if n > size {
		p.s(", ")
		if h.typ >= nfnlMsgBatchBegin && h.typ <= nfnlMsgBatchEnd || h.typ < nlmsgMinType {
			d.hexStr(addr+size, n-size)
		} else {
			d.attrs(addr+size, n-size, nlAttrTable{})
		}
	}
	return true
}
