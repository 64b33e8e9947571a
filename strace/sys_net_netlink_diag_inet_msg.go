package strace

// sock_diag's AF_INET and AF_INET6 answers (strace 6.1's
// netlink_inet_diag.c, decode_inet_diag_msg): struct inet_diag_msg and
// its INET_DIAG_* attributes.

import (
	"strconv"
	"strings"
)

func init() {
	for _, fam := range []uint8{2, 10} {
		dec := sockDiagDecoders[fam]
		dec.msg = inetDiagMsg
		sockDiagDecoders[fam] = dec
	}
}

func inetDiagMsg(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	b, _ := d.m.at(addr, 1)
	fam := b[0]
	d.diagMsg(addr, n, 72, "idiag_family", func(b []byte) {
		p.s("idiag_state=")
		p.xlat(uint64(b[1]), tcpStates, "/TCP_???")
		p.s(", idiag_timer=")
		p.u(uint64(b[2]))
		p.s(", idiag_retrans=")
		p.u(uint64(b[3]))
		p.s(", ")
		inetDiagSockid(p, b[4:], fam)
		for k, name := range []string{"idiag_expires", "idiag_rqueue", "idiag_wqueue", "idiag_uid", "idiag_inode"} {
			p.s(", " + name + "=")
			p.u(uint64(le.Uint32(b[52+4*k:])))
		}
	}, &inetDiagMsgAttrs)
}

var inetDiagMsgAttrs = nlAttrTable{names: inetDiagAttrs, dflt: "INET_DIAG_???", decoders: nlaByName(inetDiagAttrs, map[string]nlaDecoder{
	"INET_DIAG_MEMINFO": nlaStruct(16, nlF{"idiag_rmem", 0, 4, 'u'}, nlF{"idiag_wmem", 4, 4, 'u'},
		nlF{"idiag_fmem", 8, 4, 'u'}, nlF{"idiag_tmem", 12, 4, 'u'}),
	"INET_DIAG_VEGASINFO": nlaStruct(16, nlF{"tcpv_enabled", 0, 4, 'u'}, nlF{"tcpv_rttcnt", 4, 4, 'u'},
		nlF{"tcpv_rtt", 8, 4, 'u'}, nlF{"tcpv_minrtt", 12, 4, 'u'}),
	"INET_DIAG_CONG":      nlaStr,
	"INET_DIAG_TOS":       nlaU8,
	"INET_DIAG_TCLASS":    nlaU8,
	"INET_DIAG_SKMEMINFO": nlaMeminfo,
	"INET_DIAG_SHUTDOWN":  inetDiagShutdown,
	"INET_DIAG_DCTCPINFO": nlaStruct(16, nlF{"dctcp_enabled", 0, 2, 'u'}, nlF{"dctcp_ce_state", 2, 2, 'u'},
		nlF{"dctcp_alpha", 4, 4, 'u'}, nlF{"dctcp_ab_ecn", 8, 4, 'u'}, nlF{"dctcp_ab_tot", 12, 4, 'u'}),
	"INET_DIAG_PROTOCOL": nlaXval(inetProtocols, "IPPROTO_???", 1),
	"INET_DIAG_SKV6ONLY": nlaU8,
	"INET_DIAG_LOCALS":   nlaSockaddrs,
	"INET_DIAG_PEERS":    nlaSockaddrs,
	"INET_DIAG_MARK":     nlaU32,
	"INET_DIAG_BBRINFO": nlaStruct(20, nlF{"bbr_bw_lo", 0, 4, 'x'}, nlF{"bbr_bw_hi", 4, 4, 'x'},
		nlF{"bbr_min_rtt", 8, 4, 'u'}, nlF{"bbr_pacing_gain", 12, 4, 'u'}, nlF{"bbr_cwnd_gain", 16, 4, 'u'}),
	"INET_DIAG_CLASS_ID":        nlaU32,
	"INET_DIAG_MD5SIG":          tcpMd5sig,
	"INET_DIAG_ULP_INFO":        nlaNested(&inetUlpInfoAttrs),
	"INET_DIAG_SK_BPF_STORAGES": nlaNested(&inetBpfStoragesAttrs),
	"INET_DIAG_CGROUP_ID":       nlaU64,
	"INET_DIAG_SOCKOPT":         inetDiagSockopt,
})}

var (
	inetUlpInfoAttrs = nlAttrTable{names: inetDiagUlpInfoAttrs, dflt: "INET_ULP_INFO_???", decoders: map[uint16]nlaDecoder{
		1: nlaStr, 2: nlaNested(&inetUlpTLSAttrs), 3: nlaNested(&inetUlpMptcpAttrs),
	}}
	inetUlpTLSAttrs = nlAttrTable{names: inetDiagUlpInfoTLSAttrs, dflt: "TLS_INFO_???", decoders: map[uint16]nlaDecoder{
		1: nlaXval(tlsInfoVersions, "TLS_???_VERSION", 2), 2: nlaXval(tlsInfoCiphers, "TLS_CIPHER_???", 2),
		3: nlaXval(tlsInfoConfigs, "TLS_CONF_???", 2), 4: nlaXval(tlsInfoConfigs, "TLS_CONF_???", 2),
	}}
	inetUlpMptcpAttrs = nlAttrTable{names: inetDiagUlpInfoMptcpAttrs, dflt: "MPTCP_SUBFLOW_ATTR_???", decoders: nlaByName(inetDiagUlpInfoMptcpAttrs, map[string]nlaDecoder{
		"MPTCP_SUBFLOW_ATTR_TOKEN_REM":    nlaInt(4, 'x'),
		"MPTCP_SUBFLOW_ATTR_TOKEN_LOC":    nlaInt(4, 'x'),
		"MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ": nlaU32,
		"MPTCP_SUBFLOW_ATTR_MAP_SEQ":      nlaU64,
		"MPTCP_SUBFLOW_ATTR_MAP_SFSEQ":    nlaU32,
		"MPTCP_SUBFLOW_ATTR_SSN_OFFSET":   nlaU32,
		"MPTCP_SUBFLOW_ATTR_MAP_DATALEN":  nlaU16,
		"MPTCP_SUBFLOW_ATTR_FLAGS":        nlaFlagsN(mptcpSubflowFlags, "MPTCP_SUBFLOW_FLAG_???", 4),
		"MPTCP_SUBFLOW_ATTR_ID_REM":       nlaU8,
		"MPTCP_SUBFLOW_ATTR_ID_LOC":       nlaU8,
	})}
	inetBpfStoragesAttrs = nlAttrTable{names: inetDiagBpfStoragesAttrs, dflt: "SK_DIAG_BPF_STORAGE_???", decoders: map[uint16]nlaDecoder{
		1: nlaNested(&inetBpfStorageAttrs),
	}}
	inetBpfStorageAttrs = nlAttrTable{names: inetDiagBpfStorageAttrs, dflt: "SK_DIAG_BPF_STORAGE_???", decoders: map[uint16]nlaDecoder{
		2: nlaU32, 3: nlaXint,
	}}
)

// nlaXint is decode_nla_xint: a value of 1, 2, 4 or 8 bytes in hex.
var nlaXint nlaDecoder = func(d *nlDec, addr, n uint64, typ uint16) bool {
	switch n {
	case 1, 2, 4, 8:
		return nlaInt(n, 'x')(d, addr, n, typ)
	}
	return false
}

// inetDiagShutdown is decode_diag_shutdown: a byte of flags, printed in
// -X verbose's style unless -X raw (the names are not uapi's).
var inetDiagShutdown nlaDecoder = func(d *nlDec, addr, n uint64, typ uint16) bool {
	p := d.p
	old := p.style
	if old != ConstRaw {
		p.style = ConstVerbose
	}
	defer func() { p.style = old }()
	return nlaFlagsN(inetDiagShutdownFlags, "???_SHUTDOWN", 1)(d, addr, n, typ)
}

// nlaSockaddrs is decode_nla_sockaddrs: struct sockaddr_storage[].
var nlaSockaddrs nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 128 {
		return false
	}
	d.array(addr, n, 128, func(b []byte) { sockaddr(d.p, b) })
	return true
}

// tcpMd5sig is decode_tcp_md5sig: struct tcp_diag_md5sig[] (100 bytes:
// family, prefixlen, keylen, addr[4], key[80]).
var tcpMd5sig nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 100 {
		return false
	}
	d.array(addr, n, 100, func(b []byte) {
		p := d.p
		p.s("{tcpm_family=")
		p.xlat(uint64(b[0]), addressFamilies, "/AF_???")
		p.s(", tcpm_prefixlen=")
		p.u(uint64(b[1]))
		keylen := le.Uint16(b[2:])
		p.s(", tcpm_keylen=")
		p.u(uint64(keylen))
		p.s(", ")
		inetAddrByFamily(p, b[4:20], b[0], "tcpm_addr")
		p.s(", tcpm_key=")
		p.quoteHex(b[20:20+min(int(keylen), 80)], false)
		p.c('}')
	})
	return true
}

// inetAddrByFamily is PRINT_FIELD_INET_ADDR: a's 16 bytes as fam's
// address, as hex bytes for another family.
func inetAddrByFamily(p *printer, a []byte, fam uint8, name string) {
	switch fam {
	case 2:
		inetField(p, name, a)
	case 10:
		inet6Field(p, a, name)
	default:
		p.s(name + "=")
		p.quoteHex(a, false)
	}
}

// inetDiagSockopt is decode_diag_sockopt: struct inet_diag_sockopt's bit
// fields (those set, unless -v), then any other bytes that are not 0.
var inetDiagSockopt nlaDecoder = func(d *nlDec, addr, n uint64, _ uint16) bool {
	if n < 2 {
		return false
	}
	b, ok := d.fetch(addr, 2)
	if !ok {
		return true
	}
	p := d.p
	bits := uint(b[0]) | uint(b[1])<<8
	p.c('{')
	first := true
	for k, name := range []string{"recverr", "is_icsk", "freebind", "hdrincl", "mc_loop", "transparent", "mc_all",
		"nodefrag", "bind_address_no_port", "recverr_rfc4884", "defer_connect"} {
		if v := bits >> k & 1; !p.abbrev() || v != 0 {
			nlField(p, first, name)
			first = false
			p.u(uint64(v))
		}
	}
	if unused := bits >> 11; !p.abbrev() || unused != 0 {
		nlField(p, first, "unused")
		first = false
		hexOrZero(p, uint64(unused))
		p.comment("bits 3..8")
	}
	p.c('}')
	n = min(n, 4096)
	if n > 2 {
		rest, ok := d.m.at(addr+2, n-2)
		switch {
		case !ok:
			p.s(", ???")
		case strings.Trim(string(rest), "\x00") != "":
			p.s(", /* bytes 2.." + strconv.FormatUint(n-1, 10) + " */ ")
			p.quoteHex(rest[:min(len(rest), p.strsize)], false)
			if len(rest) > p.strsize {
				p.s("...")
			}
		}
	}
	return true
}
