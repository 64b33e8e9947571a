package strace

import "strconv"

// Socket addresses, as strace's print_sockaddr (sockaddr.c) prints them:
// the family, then the family's fields when the address is at least as
// long as the family's structure, else its bytes as sa_data.

// saFamily describes how one family's address is printed.
type saFamily struct {
	min   int
	print func(p *printer, c *Call, d []byte, n int)
}

var saFamilies map[uint16]saFamily

func init() {
	saFamilies = map[uint16]saFamily{
		1:  {3, saUnix},
		3:  {16, saAX25},
		4:  {16, saIPX},
		9:  {18, saX25},
		2:  {16, func(p *printer, c *Call, d []byte, n int) { saInet(p, d) }},
		10: {24, saInet6},
		16: {12, saNetlink},
		17: {20, saPacket},
		33: {36, saRxrpc},
		36: {20, saIEEE802154},
		38: {25, saAlg},
		39: {16, saNFC},
		40: {16, saVsock},
		42: {12, saQrtr},
		44: {16, saXDP},
		45: {12, saMCTP},
	}
}

// sockaddr prints a socket address read whole.
func sockaddr(p *printer, d []byte) { sockaddrCall(p, nil, d) }

// sockaddrCall prints the address d, of c (for descriptors in it).
func sockaddrCall(p *printer, c *Call, d []byte) {
	n := min(len(d), 128)
	// strace reads it into a zeroed sockaddr_storage and one byte more.
	var buf [129]byte
	copy(buf[:], d[:n])
	b := buf[:]
	fam := le.Uint16(b)
	p.s("{sa_family=")
	p.xlat(uint64(fam), addressFamilies, "/AF_???")
	if n > 2 {
		p.s(", ")
		if f, ok := saFamilies[fam]; ok && n >= f.min {
			f.print(p, c, b, n)
		} else {
			p.s("sa_data=")
			p.quote(b[2:n], false)
		}
	}
	p.c('}')
}

// quote0 prints a NUL-terminated string of at most len(b)-1 bytes as
// strace's print_quoted_string with QUOTE_0_TERMINATED; with expect (and
// QUOTE_EXPECT_TRAILING_0), "..." when it did not end in those bytes.
func quote0(p *printer, b []byte, expect bool) {
	size := len(b)
	if size > 0 {
		size--
	}
	end, seen := size, false
	for k := 0; k < size; k++ {
		if b[k] == 0 {
			end, seen = k, true
			break
		}
	}
	p.quote(b[:end], false)
	if expect && !seen && (size >= len(b) || b[size] != 0) {
		p.s("...")
	}
}

// verbose runs f with -X verbose unless -X raw: strace's *_VERBOSE
// field printers.
func verbose(p *printer, f func()) {
	old := p.style
	if old == ConstAbbrev {
		p.style = ConstVerbose
	}
	f()
	p.style = old
}

// rawOr prints a field strace prints as its bytes in hex under -X raw,
// abbrev's form under -X abbrev, and both under -X verbose.
func rawOr(p *printer, raw []byte, abbrev func()) {
	if p.style != ConstAbbrev {
		p.quoteHex(raw, false)
	}
	switch p.style {
	case ConstVerbose:
		p.s(" /* ")
		abbrev()
		p.s(" */")
	case ConstAbbrev:
		abbrev()
	}
}

// inetField prints an IPv4 address field: name=inet_addr("127.0.0.1").
func inetField(p *printer, name string, b []byte) {
	p.s(name)
	p.c('=')
	rawOr(p, b[:4], func() { inetAddr(p, b) })
}

// inet6Field prints an IPv6 address field: inet_pton(AF_INET6, "::1",
// &name), or name="\x00..." under -X raw and verbose.
func inet6Field(p *printer, b []byte, name string) {
	addr := func() {
		p.s(`inet_pton(AF_INET6, "`)
		p.s(netipAddr16(b))
		p.c('"')
	}
	if p.style == ConstAbbrev {
		addr()
		p.s(", &")
		p.s(name)
		p.c(')')
		return
	}
	p.s(name)
	p.c('=')
	p.quoteHex(b[:16], false)
	if p.style == ConstVerbose {
		p.s(" /* ")
		addr()
		p.s(") */")
	}
}

// hex0 prints v as C's %#0*x of width w: 0 as w zeros, else 0x and
// digits zero-padded to w characters in all.
func hex0(p *printer, v uint64, w int) {
	if v == 0 {
		for k := 0; k < w; k++ {
			p.c('0')
		}
		return
	}
	s := strconv.FormatUint(v, 16)
	p.s("0x")
	for k := len(s) + 2; k < w; k++ {
		p.c('0')
	}
	p.s(s)
}

func saUnix(p *printer, c *Call, d []byte, n int) {
	pathLen := min(n, 110) - 2
	p.s("sun_path=")
	if d[2] != 0 {
		quote0(p, d[2:2+pathLen+1], false)
		return
	}
	p.c('@')
	p.quote(d[3:3+pathLen-1], false)
}

func netPort(p *printer, name string, d []byte) {
	p.s(name)
	p.c('=')
	rawOr(p, d[:2], func() {
		p.s("htons(")
		p.u(uint64(d[0])<<8 | uint64(d[1]))
		p.c(')')
	})
}

func saInet(p *printer, d []byte) {
	netPort(p, "sin_port", d[2:])
	p.s(", ")
	inetField(p, "sin_addr", d[4:])
}

func saInet6(p *printer, c *Call, d []byte, n int) {
	netPort(p, "sin6_port", d[2:])
	p.s(", sin6_flowinfo=")
	rawOr(p, d[4:8], func() {
		p.s("htonl(")
		p.u(uint64(d[4])<<24 | uint64(d[5])<<16 | uint64(d[6])<<8 | uint64(d[7]))
		p.c(')')
	})
	p.s(", ")
	inet6Field(p, d[8:24], "sin6_addr")
	if n <= 24 {
		return
	}
	p.s(", sin6_scope_id=")
	scope := le.Uint32(d[24:])
	if d[8] == 0xfe && d[9]&0xc0 == 0x80 || d[8] == 0xff && d[9]&0xf == 2 {
		ifindex(p, scope)
		return
	}
	p.u(uint64(scope))
}

func saNetlink(p *printer, c *Call, d []byte, n int) {
	if pad := le.Uint16(d[2:]); pad != 0 {
		p.s("nl_pad=0x")
		p.s(strconv.FormatUint(uint64(pad), 16))
		p.s(", ")
	}
	p.s("nl_pid=")
	p.pid(int32(le.Uint32(d[4:])), ptTgid)
	p.s(", nl_groups=")
	hex0(p, uint64(le.Uint32(d[8:])), 8)
}

func saPacket(p *printer, c *Call, d []byte, n int) {
	p.s("sll_protocol=")
	rawOr(p, d[2:4], func() {
		p.s("htons(")
		old := p.style
		p.style = ConstAbbrev
		p.xlat(uint64(d[2])<<8|uint64(d[3]), ethernetProtocols, "/ETH_P_???")
		p.style = old
		p.c(')')
	})
	p.s(", sll_ifindex=")
	ifindex(p, le.Uint32(d[4:]))
	p.s(", sll_hatype=")
	p.xlat(uint64(le.Uint16(d[8:])), arpHardwareTypes, "/ARPHRD_???")
	p.s(", sll_pkttype=")
	p.xlat(uint64(d[10]), afPacketTypes, "/PACKET_???")
	halen := int(d[11])
	p.s(", sll_halen=")
	p.u(uint64(halen))
	if halen == 0 {
		return
	}
	p.s(", sll_addr=[")
	for k := 0; k < halen; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k >= n-12 {
			p.s("...")
			break
		}
		hex0(p, uint64(d[12+k]), 2)
	}
	p.c(']')
}
