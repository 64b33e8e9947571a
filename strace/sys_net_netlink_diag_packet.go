package strace

// sock_diag's AF_PACKET answers (strace 6.1's netlink_packet_diag.c):
// struct packet_diag_msg and its PACKET_DIAG_* attributes.

func init() {
	sockDiagDecoders[17] = struct {
		req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
	}{nil, packetDiagMsg}
}

var packetDiagMsgAttrs = nlAttrTable{names: packetDiagAttrs, dflt: "PACKET_DIAG_???", decoders: map[uint16]nlaDecoder{
	0: func(d *nlDec, addr, n uint64, _ uint16) bool { // PACKET_DIAG_INFO: struct packet_diag_info
		if n < 24 {
			return false
		}
		b, ok := d.fetch(addr, 24)
		if !ok {
			return true
		}
		p := d.p
		p.s("{pdi_index=")
		ifindex(p, le.Uint32(b))
		p.s(", pdi_version=")
		p.xlat(uint64(le.Uint32(b[4:])), afPacketVersions, "/TPACKET_???")
		for k, name := range []string{"pdi_reserve", "pdi_copy_thresh", "pdi_tstamp"} {
			p.s(", " + name + "=")
			p.u(uint64(le.Uint32(b[8+4*k:])))
		}
		p.s(", pdi_flags=")
		nlFlagsOut(p, uint64(le.Uint32(b[20:])), packetDiagInfoFlags, "PDI_???")
		p.c('}')
		return true
	},
	1: func(d *nlDec, addr, n uint64, _ uint16) bool { // PACKET_DIAG_MCLIST: struct packet_diag_mclist[]
		if n < 44 {
			return false
		}
		d.array(addr, n, 44, func(b []byte) {
			p := d.p
			p.s("{pdmc_index=")
			ifindex(p, le.Uint32(b))
			p.s(", pdmc_count=")
			p.u(uint64(le.Uint32(b[4:])))
			p.s(", pdmc_type=")
			p.u(uint64(le.Uint16(b[8:])))
			alen := le.Uint16(b[10:])
			p.s(", pdmc_alen=")
			p.u(uint64(alen))
			p.s(", pdmc_addr=")
			p.quoteHex(b[12:12+min(int(alen), 32)], false)
			p.c('}')
		})
		return true
	},
	2: packetDiagRing, 3: packetDiagRing, // PACKET_DIAG_RX_RING, PACKET_DIAG_TX_RING
	4: nlaU32, 5: nlaUID, 6: nlaMeminfo, // PACKET_DIAG_FANOUT, _UID, _MEMINFO
	7: func(d *nlDec, addr, n uint64, _ uint16) bool { // PACKET_DIAG_FILTER: print_sock_fprog
		count := n / bpfInsnSize
		if count == 0 || count > 0xffff {
			return false
		}
		if d.p.abbrev() {
			d.p.ptr(addr)
			return true
		}
		// A capture holds fewer than BPF_MAXINSNS instructions.
		d.array(addr, count*bpfInsnSize, bpfInsnSize, func(b []byte) { bpfInsn(d.p, b, sockK) })
		return true
	},
}}

// packetDiagRing is struct packet_diag_ring.
var packetDiagRing = nlaStruct(28, nlF{"pdr_block_size", 0, 4, 'u'}, nlF{"pdr_block_nr", 4, 4, 'u'},
	nlF{"pdr_frame_size", 8, 4, 'u'}, nlF{"pdr_frame_nr", 12, 4, 'u'}, nlF{"pdr_retire_tmo", 16, 4, 'u'},
	nlF{"pdr_sizeof_priv", 20, 4, 'u'}, nlF{"pdr_features", 24, 4, 'u'})

func packetDiagMsg(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 16, "pdiag_family", func(b []byte) {
		p.s("pdiag_type=")
		p.xlat(uint64(b[1]), socketTypes, "/SOCK_???")
		p.s(", pdiag_num=")
		p.xlat(uint64(le.Uint16(b[2:])), ethernetProtocols, "/ETH_P_???")
		p.s(", pdiag_ino=")
		p.u(uint64(le.Uint32(b[4:])))
		p.s(", pdiag_cookie=")
		cookie(p, b[8:])
	}, &packetDiagMsgAttrs)
}
