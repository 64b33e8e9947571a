package strace

// sock_diag's AF_SMC answers (strace 6.1's netlink_smc_diag.c).

func init() {
	sockDiagDecoders[43] = struct {
		req, msg func(d *nlDec, h nlmsghdr, addr, n uint64)
	}{nil, smcDiagMsg}
}

func smcCursor(p *printer, name string, b []byte) {
	p.s(", " + name + "={reserved=")
	p.u(uint64(le.Uint16(b)))
	p.s(", wrap=")
	p.u(uint64(le.Uint16(b[2:])))
	p.s(", count=")
	p.u(uint64(le.Uint32(b[4:])))
	p.c('}')
}

// smcDeclCode is PRINT_FIELD_XVAL_VERBOSE: the number, then the name
// (the codes come from a kernel-internal header).
func smcDeclCode(p *printer, v uint32) {
	hexOrZero(p, uint64(v))
	name := lookupName(uint64(v), smcDeclCodes)
	if name == "" {
		name = "SMC_CLC_DECL_???"
	}
	if p.style != ConstRaw {
		p.comment(name)
	}
}

var smcDiagMsgAttrs = nlAttrTable{names: smcDiagAttrs, dflt: "SMC_DIAG_???", decoders: nlaByName(smcDiagAttrs, map[string]nlaDecoder{
	"SMC_DIAG_CONNINFO": withRest(76, func(d *nlDec, b []byte) {
		p := d.p
		d.structFields(b, []nlF{{"token", 0, 4, 'u'}, {"sndbuf_size", 4, 4, 'u'}, {"rmbe_size", 8, 4, 'u'},
			{"peer_rmbe_size", 12, 4, 'u'}})
		p.b = p.b[:len(p.b)-1]
		for k, name := range []string{"rx_prod", "rx_cons", "tx_prod", "tx_cons"} {
			smcCursor(p, name, b[16+8*k:])
		}
		for k, name := range []string{"rx_prod_flags", "rx_conn_state_flags", "tx_prod_flags", "tx_conn_state_flags"} {
			p.s(", " + name + "=")
			hexOrZero(p, uint64(b[48+k]))
		}
		for k, name := range []string{"tx_prep", "tx_sent", "tx_fin"} {
			smcCursor(p, name, b[52+8*k:])
		}
		p.c('}')
	}),
	"SMC_DIAG_LGRINFO": func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 147 {
			return false
		}
		b, ok := d.fetch(addr, 147)
		if !ok {
			return true
		}
		p := d.p
		p.s("{lnk=[{link_id=")
		p.u(uint64(b[0]))
		p.s(", ibname=")
		p.quote([]byte(cString(b[1:65])), false)
		p.s(", ibport=")
		p.u(uint64(b[65]))
		p.s(", gid=")
		p.quote([]byte(cString(b[66:106])), false)
		p.s(", peer_gid=")
		p.quote([]byte(cString(b[106:146])), false)
		p.s("}], role=")
		p.xlat(uint64(b[146]), smcLinkGroupRoles, "/SMC_???")
		p.c('}')
		return true
	},
	"SMC_DIAG_SHUTDOWN": nlaFlagsN(sockShutdownFlags, "???_SHUTDOWN", 1),
	"SMC_DIAG_DMBINFO": nlaStruct(40, nlF{"linkid", 0, 4, 'u'}, nlF{"peer_gid", 8, 8, 'x'}, nlF{"my_gid", 16, 8, 'x'},
		nlF{"token", 24, 8, 'x'}, nlF{"peer_token", 32, 8, 'x'}),
	"SMC_DIAG_FALLBACK": func(d *nlDec, addr, n uint64, _ uint16) bool {
		if n < 8 {
			return false
		}
		if b, ok := d.fetch(addr, 8); ok {
			d.p.s("{reason=")
			smcDeclCode(d.p, le.Uint32(b))
			d.p.s(", peer_diagnosis=")
			smcDeclCode(d.p, le.Uint32(b[4:]))
			d.p.c('}')
		}
		return true
	},
})}

func smcDiagMsg(d *nlDec, h nlmsghdr, addr, n uint64) {
	p := d.p
	d.diagMsg(addr, n, 64, "diag_family", func(b []byte) {
		p.s("diag_state=")
		p.xlat(uint64(b[1]), smcStates, "/SMC_???")
		p.s(", diag_fallback=")
		p.xlat(uint64(b[2]), smcDiagMode, "/SMC_DIAG_MODE_???")
		p.s(", diag_shutdown=")
		p.u(uint64(b[3]))
		p.s(", ")
		inetDiagSockid(p, b[4:], 2)
		p.s(", diag_uid=")
		p.u(uint64(le.Uint32(b[52:])))
		p.s(", diag_inode=")
		p.u(le.Uint64(b[56:]))
	}, &smcDiagMsgAttrs)
}
