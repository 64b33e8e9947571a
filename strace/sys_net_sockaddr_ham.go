package strace

// Socket addresses of AF_AX25, AF_IPX and AF_X25 (strace's sockaddr.c).

// ax25Style is strace's check_ax25_address: how an AX.25 call sign can be
// printed; ConstAbbrev when the session's style decides.
func ax25Style(a []byte) (ConstStyle, bool) {
	style, decided := ConstAbbrev, false
	spaceSeen, charSeen := false, false
	for _, c := range a[:6] {
		if c&1 != 0 {
			style, decided = ConstVerbose, true
		}
		c >>= 1
		if c == ' ' {
			spaceSeen = true
		} else {
			charSeen = true
		}
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') && c != ' ' || c != ' ' && spaceSeen {
			style, decided = ConstVerbose, true
		}
		if c < ' ' || c > 0x7e || c == '*' || c == '/' {
			return ConstRaw, true
		}
	}
	if a[6]&^0x1e != 0 || !charSeen && a[6] != 0 {
		style, decided = ConstVerbose, true
	}
	return style, decided
}

// ax25String is strace's ax25_addr2str: CALL-SSID, or * for none.
func ax25String(a []byte) string {
	end := 6
	for ; end > 0; end-- {
		if a[end-1]>>1 != ' ' {
			break
		}
	}
	b := make([]byte, 0, 10)
	for _, c := range a[:end] {
		b = append(b, c>>1)
	}
	b = append(b, '-')
	ssid := (a[6] >> 1) & 0xf
	if ssid > 9 {
		b = append(b, '1')
		ssid -= 10
	}
	b = append(b, '0'+ssid)
	if b[0] == '-' && b[1] == '0' {
		return "*"
	}
	return string(b)
}

func ax25Addr(p *printer, a []byte) {
	style, decided := ax25Style(a)
	if !decided {
		style = p.style
	}
	if style != ConstAbbrev {
		p.s("{ax25_call=")
		p.quoteHex(a[:7], false)
		p.c('}')
	}
	switch style {
	case ConstVerbose:
		p.comment(ax25String(a))
	case ConstAbbrev:
		p.s(ax25String(a))
	}
}

func saAX25(p *printer, c *Call, d []byte, n int) {
	ndigis := int(int32(le.Uint32(d[12:])))
	full := ndigis != 0 || n > 16
	if full {
		p.s("fsa_ax25={")
	}
	p.s("sax25_call=")
	ax25Addr(p, d[2:9])
	p.s(", sax25_ndigis=")
	p.d(int64(ndigis))
	if !full {
		return
	}
	p.c('}')
	has := min((n-16)/7, 8)
	want := min(max(ndigis, 0), 8)
	if want != 0 {
		p.s(", fsa_digipeater=[")
		k := 0
		for ; k < min(has, want); k++ {
			if k > 0 {
				p.s(", ")
			}
			ax25Addr(p, d[16+7*k:])
		}
		if want > has {
			if k > 0 {
				p.s(", ")
			}
			p.s("...")
		}
		p.c(']')
	}
	if n > has*7+16 {
		p.s(", ...")
	}
}

func saIPX(p *printer, c *Call, d []byte, n int) {
	netPort(p, "sipx_port", d[2:])
	p.s(", sipx_network=htonl(")
	hexOrZero(p, uint64(d[4])<<24|uint64(d[5])<<16|uint64(d[6])<<8|uint64(d[7]))
	p.s("), sipx_node=[")
	for k := 0; k < 6; k++ {
		if k > 0 {
			p.s(", ")
		}
		hex0(p, uint64(d[8+k]), 2)
	}
	p.s("], sipx_type=")
	hex0(p, uint64(d[14]), 2)
	if d[15] != 0 {
		p.s(", ")
		hexField(p, "sipx_zero", uint64(d[15]))
	}
}

func saX25(p *printer, c *Call, d []byte, n int) {
	p.s("sx25_addr={x25_addr=")
	quote0(p, d[2:18], true)
	p.c('}')
}
