package strace

import "strconv"

// Socket addresses of the less common families (strace's sockaddr.c).

func hexField(p *printer, name string, v uint64) {
	p.s(name)
	p.c('=')
	hexOrZero(p, v)
}

func saRxrpc(p *printer, c *Call, d []byte, n int) {
	p.s("srx_service=")
	verbose(p, func() { p.xlat(uint64(le.Uint16(d[2:])), rxrpcServices, "/???_SERVICE") })
	p.s(", transport_type=")
	p.xlat(uint64(le.Uint16(d[4:])), sockTypesAll, "/SOCK_???")
	tlen := int(le.Uint16(d[6:]))
	p.s(", transport_len=")
	p.u(uint64(tlen))
	p.s(", transport={")
	eff := min(tlen, n-8)
	rest := max(0, eff-2)
	rawRest := func() {
		if rest > 0 {
			p.s(", ")
			p.quote(d[10:10+rest], false)
		}
	}
	t := d[8:]
	switch fam := le.Uint16(t); fam {
	case 2:
		p.s("sin={sin_family=")
		p.xlat(2, addressFamilies, "")
		if tlen >= 16 {
			p.s(", ")
			saInet(p, t)
		} else {
			rawRest()
		}
		p.c('}')
	case 10:
		p.s("sin6={sin6_family=")
		p.xlat(10, addressFamilies, "")
		if tlen >= 24 {
			p.s(", ")
			saInet6(p, c, t, eff)
		} else {
			rawRest()
		}
		p.c('}')
	default:
		p.s("family=")
		p.xlat(uint64(fam), addressFamilies, "/AF_???")
		rawRest()
	}
	p.c('}')
}

func saIEEE802154(p *printer, c *Call, d []byte, n int) {
	typ := le.Uint32(d[4:])
	p.s("addr={addr_type=")
	verbose(p, func() { p.xlat(uint64(typ), ieee802154AddrTypes, "/IEEE802154_ADDR_???") })
	p.s(", pan_id=")
	verbose(p, func() { p.xlat(uint64(le.Uint16(d[8:])), ieee802154PanIDs, "") })
	switch typ {
	case 0:
	case 2:
		p.s(", short_addr=")
		verbose(p, func() { p.xlat(uint64(le.Uint16(d[10:])), ieee802154Addrs, "") })
	default:
		p.s(", hwaddr=")
		macAddr(p, d[10:18])
	}
	p.c('}')
}

func saAlg(p *printer, c *Call, d []byte, n int) {
	p.s("salg_type=")
	quote0(p, d[2:16], true)
	for k, name := range []string{", salg_feat=", ", salg_mask="} {
		p.s(name)
		v := uint64(le.Uint32(d[16+4*k:]))
		verbose(p, func() { p.flagsDflt(v, algSockaddrFlags, "", "CRYPTO_ALG_???") })
	}
	p.s(", salg_name=")
	quote0(p, d[24:n], true)
}

func saNFC(p *printer, c *Call, d []byte, n int) {
	p.s("dev_idx=")
	ifindex(p, le.Uint32(d[4:]))
	p.s(", ")
	hexField(p, "target_idx", uint64(le.Uint32(d[8:])))
	p.s(", nfc_protocol=")
	p.xlat(uint64(le.Uint32(d[12:])), nfcProtocols, "/NFC_PROTO_???")
	if n < 96 {
		if n > 16 {
			p.s(", ...")
		}
		return
	}
	snsz := le.Uint64(d[88:])
	for k, name := range []string{", dsap=", ", ssap="} {
		p.s(name)
		verbose(p, func() { p.xlat(uint64(d[16+k]), nfcSaps, "") })
	}
	p.s(", service_name=")
	p.quote(d[18:18+min(63, snsz)], false)
	p.s(", service_name_len=")
	p.u(snsz)
}

func saVsock(p *printer, c *Call, d []byte, n int) {
	if r := le.Uint16(d[2:]); r != 0 {
		hexField(p, "svm_reserved1", uint64(r))
		p.s(", ")
	}
	p.s("svm_cid=")
	p.xlat(uint64(le.Uint32(d[8:])), vsockCids, "")
	p.s(", svm_port=")
	p.xlat(uint64(le.Uint32(d[4:])), vsockPorts, "")
	p.s(", svm_flags=")
	p.flagsDflt(uint64(d[12]), vsockFlags, "", "VMADDR_FLAG_???")
	if d[13]|d[14]|d[15] != 0 {
		p.s(", svm_zero=")
		p.quoteHex(d[13:16], false)
	}
}

func saQrtr(p *printer, c *Call, d []byte, n int) {
	p.s("sq_node=")
	p.xlat(uint64(le.Uint32(d[4:])), qipcrtrNodes, "")
	p.s(", sq_port=")
	p.xlat(uint64(le.Uint32(d[8:])), qipcrtrPorts, "")
}

func saXDP(p *printer, c *Call, d []byte, n int) {
	fl := uint64(le.Uint16(d[2:]))
	p.s("sxdp_flags=")
	p.flagsDflt(fl, xdpSockaddrFlags, "", "XDP_???")
	p.s(", sxdp_ifindex=")
	ifindex(p, le.Uint32(d[4:]))
	p.s(", sxdp_queue_id=")
	p.u(uint64(le.Uint32(d[8:])))
	fd := le.Uint32(d[12:])
	switch {
	case fl&1 != 0 && c != nil:
		p.s(", sxdp_shared_umem_fd=")
		p.fd(c, int32(fd))
	case fl&1 != 0:
		p.s(", sxdp_shared_umem_fd=")
		p.d(int64(int32(fd)))
	case fd != 0:
		p.s(", ")
		hexField(p, "sxdp_shared_umem_fd", uint64(fd))
	}
}

func saMCTP(p *printer, c *Call, d []byte, n int) {
	if v := le.Uint16(d[2:]); v != 0 {
		p.s("__smctp_pad0=0x")
		p.s(strconv.FormatUint(uint64(v), 16))
		p.s(", ")
	}
	p.s("smctp_network=")
	p.xlat(uint64(le.Uint32(d[4:])), mctpNets, "")
	p.s(", smctp_addr={s_addr=")
	p.xlat(uint64(d[8]), mctpAddrs, "")
	p.s("}, ")
	hexField(p, "smctp_type", uint64(d[9]))
	p.s(", ")
	hexField(p, "smctp_tag", uint64(d[10]))
	if d[11] != 0 {
		p.s(", ")
		hexField(p, "__smctp_pad1", uint64(d[11]))
	}
}
