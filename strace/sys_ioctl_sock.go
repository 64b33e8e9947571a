package strace

// Socket ioctls (0x89, linux/sockios.h), as strace 6.1's sock.c decodes
// them: struct ifreq by request, the bridge requests, the int ones.
// SIOCGIFCONF's buffer of ifreqs is pointed to: not captured. Request
// numbers from linux/sockios.h, flags from xlat/iffflags.in.

var iffFlags = []flag{{1 << 0, "IFF_UP"}, {1 << 1, "IFF_BROADCAST"}, {1 << 2, "IFF_DEBUG"}, {1 << 3, "IFF_LOOPBACK"},
	{1 << 4, "IFF_POINTOPOINT"}, {1 << 5, "IFF_NOTRAILERS"}, {1 << 6, "IFF_RUNNING"}, {1 << 7, "IFF_NOARP"},
	{1 << 8, "IFF_PROMISC"}, {1 << 9, "IFF_ALLMULTI"}, {1 << 10, "IFF_MASTER"}, {1 << 11, "IFF_SLAVE"},
	{1 << 12, "IFF_MULTICAST"}, {1 << 13, "IFF_PORTSEL"}, {1 << 14, "IFF_AUTOMEDIA"}, {1 << 15, "IFF_DYNAMIC"},
	{1 << 16, "IFF_LOWER_UP"}, {1 << 17, "IFF_DORMANT"}, {1 << 18, "IFF_ECHO"}}

// hwaddrSizes is print_mac.c's hwaddr_sizes: a hardware type's address
// length (255, the default, for those it does not list).
var hwaddrSizes = map[uint16]int{0: 7, 1: 6, 3: 7, 6: 6, 7: 1, 15: 2, 24: 16, 27: 8, 32: 20, 256: 0, 270: 5, 271: 0,
	280: 0, 290: 1, 512: 0, 518: 0, 519: 0, 768: 4, 769: 16, 772: 6, 773: 1, 774: 6, 776: 4, 777: 0, 778: 4,
	779: 0, 780: 6, 783: 4, 801: 6, 802: 6, 803: 6, 804: 8, 805: 8, 820: 1, 821: 1, 822: 0, 823: 16, 824: 0,
	825: 8, 826: 0}

// hwaddr prints a hardware address as strace's print_hwaddr.
func hwaddr(p *printer, b []byte, family uint16) {
	n := 255
	if v, ok := hwaddrSizes[family]; ok {
		n = v
	}
	n = min(n, len(b))
	if p.style != ConstAbbrev {
		p.quoteHex(b, false)
	}
	if p.style == ConstRaw {
		return
	}
	if p.style == ConstVerbose {
		p.s(" /* ")
		p.style = ConstAbbrev
		macAddr(p, b[:n])
		p.style = ConstVerbose
		p.s(" */")
		return
	}
	macAddr(p, b[:n])
}

const (
	siocGIFNAME  = 0x8910
	siocGIFINDEX = 0x8933
)

// ifreqField prints the union member of struct ifreq (b, 40 bytes) that
// request req uses.
func ifreqField(p *printer, req uint32, b []byte) {
	u := b[16:]
	i32 := func() { p.d(int64(int32(le.Uint32(u)))) }
	switch req {
	case 0x8915, 0x8916: // SIOC[GS]IFADDR
		p.s("ifr_addr=")
		sockaddr(p, u[:16])
	case 0x8917, 0x8918:
		p.s("ifr_dstaddr=")
		sockaddr(p, u[:16])
	case 0x8919, 0x891a:
		p.s("ifr_broadaddr=")
		sockaddr(p, u[:16])
	case 0x891b, 0x891c:
		p.s("ifr_netmask=")
		sockaddr(p, u[:16])
	case 0x8931, 0x8932, 0x8927, 0x8924, 0x8937: // [ADD|DEL]MULTI, [GS]IFHWADDR, SIFHWBROADCAST
		fam := le.Uint16(u)
		p.s("ifr_hwaddr={sa_family=")
		p.xlat(uint64(fam), arpHardwareTypes, "/ARPHRD_???")
		p.s(", sa_data=")
		hwaddr(p, u[2:16], fam)
		p.c('}')
	case 0x8913, 0x8914:
		p.s("ifr_flags=")
		p.flagsDflt(uint64(le.Uint16(u)), iffFlags, "", "IFF_???")
	case siocGIFINDEX:
		p.s("ifr_ifindex=")
		i32()
	case 0x891d, 0x891e:
		p.s("ifr_metric=")
		i32()
	case 0x8921, 0x8922:
		p.s("ifr_mtu=")
		i32()
	case 0x8929, 0x8930:
		p.s("ifr_slave=")
		quote0(p, u[:16], true)
	case 0x8923:
		p.s("ifr_newname=")
		quote0(p, u[:16], true)
	case siocGIFNAME:
		p.s("ifr_name=")
		quote0(p, b[:16], true)
	case 0x8942, 0x8943:
		p.s("ifr_qlen=")
		i32()
	case 0x8970, 0x8971:
		p.s("ifr_map={mem_start=")
		hexOrZero(p, le.Uint64(u))
		p.s(", mem_end=")
		hexOrZero(p, le.Uint64(u[8:]))
		p.s(", base_addr=")
		hexOrZero(p, uint64(le.Uint16(u[16:])))
		p.s(", irq=")
		hexOrZero(p, uint64(u[18]))
		p.s(", dma=")
		hexOrZero(p, uint64(u[19]))
		p.s(", port=")
		hexOrZero(p, uint64(u[20]))
		p.c('}')
	}
}

// fmtIfreqIn prints the struct ifreq of a request that sets.
func fmtIfreqIn(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 40)
	if b == nil {
		return
	}
	p.s("{ifr_name=")
	quote0(p, b[:16], true)
	p.s(", ")
	ifreqField(p, uint32(c.Args[1]), b)
	p.c('}')
}

// fmtIfreqOut prints the struct ifreq of a request that gets: its name
// (SIOCGIFNAME: its index), and what the call filled if it succeeded.
func fmtIfreqOut(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 40)
	if b == nil {
		return
	}
	req := uint32(c.Args[1])
	if req == siocGIFNAME {
		p.s("{ifr_ifindex=")
		p.d(int64(int32(le.Uint32(b[16:]))))
	} else {
		p.s("{ifr_name=")
		quote0(p, b[:16], true)
	}
	if ioctlSucceeded(c) {
		p.s(", ")
		ifreqField(p, req, b)
	}
	p.c('}')
}

func fmtSockBrif(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 40); b != nil {
		p.s("{ifr_ifindex=")
		ifindex(p, le.Uint32(b[16:]))
		p.c('}')
	}
}

// fmtSockBrName prints a bridge's name (printstr_ex of IFNAMSIZ bytes,
// NUL-terminated).
func fmtSockBrName(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 16)
	if b == nil {
		return
	}
	n := min(16, p.strsize)
	for k := 0; k < n; k++ {
		if b[k] == 0 {
			p.quote(b[:k], false)
			return
		}
	}
	p.quote(b[:n], true)
}

// fmtIfconf prints struct ifconf without the ifreqs its buffer holds.
func fmtIfconf(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 16)
	if b == nil {
		return
	}
	n := int32(le.Uint32(b))
	p.s("{ifc_len=")
	p.d(int64(n))
	if n > 0 && n%40 == 0 {
		p.s(" /* ")
		p.d(int64(n / 40))
		p.s(" * sizeof(struct ifreq) */")
	}
	p.s(", ifc_buf=")
	p.ptr(le.Uint64(b[8:]))
	p.c('}')
}

// ioctlArgAddr prints the argument as an address (strace's printaddr).
func ioctlArgAddr(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }

func init() { registerIoctlsAtExit(sockIoctls) }

var sockIoctls = map[uint32]ioctlDef{
	0x8901:     {name: "FIOSETOWN", size: 4, arg: ioctlIntIn},
	0x8902:     {name: "SIOCSPGRP", size: 4, arg: ioctlIntIn},
	0x8903:     {name: "FIOGETOWN", size: 4, arg: ioctlIntOut},
	0x8904:     {name: "SIOCGPGRP", size: 4, arg: ioctlIntOut},
	0x8905:     {name: "SIOCATMARK", size: 4, arg: ioctlIntOut},
	0x8906:     {name: "SIOCGSTAMP_OLD", arg: ioctlArgAddr},
	0x8907:     {name: "SIOCGSTAMPNS_OLD", arg: ioctlArgAddr},
	0x890b:     {name: "SIOCADDRT", arg: ioctlArgAddr},
	0x890c:     {name: "SIOCDELRT", arg: ioctlArgAddr},
	0x890d:     {name: "SIOCRTMSG", arg: ioctlArgAddr},
	0x8910:     {name: "SIOCGIFNAME", size: 40, arg: fmtIfreqOut},
	0x8911:     {name: "SIOCSIFLINK", arg: ioctlArgAddr},
	0x8912:     {name: "SIOCGIFCONF", size: 16, arg: fmtIfconf},
	0x8913:     {name: "SIOCGIFFLAGS", size: 40, arg: fmtIfreqOut},
	0x8914:     {name: "SIOCSIFFLAGS", size: 40, arg: fmtIfreqIn},
	0x8915:     {name: "SIOCGIFADDR", size: 40, arg: fmtIfreqOut},
	0x8916:     {name: "SIOCSIFADDR", size: 40, arg: fmtIfreqIn},
	0x8917:     {name: "SIOCGIFDSTADDR", size: 40, arg: fmtIfreqOut},
	0x8918:     {name: "SIOCSIFDSTADDR", size: 40, arg: fmtIfreqIn},
	0x8919:     {name: "SIOCGIFBRDADDR", size: 40, arg: fmtIfreqOut},
	0x891a:     {name: "SIOCSIFBRDADDR", size: 40, arg: fmtIfreqIn},
	0x891b:     {name: "SIOCGIFNETMASK", size: 40, arg: fmtIfreqOut},
	0x891c:     {name: "SIOCSIFNETMASK", size: 40, arg: fmtIfreqIn},
	0x891d:     {name: "SIOCGIFMETRIC", size: 40, arg: fmtIfreqOut},
	0x891e:     {name: "SIOCSIFMETRIC", size: 40, arg: fmtIfreqIn},
	0x891f:     {name: "SIOCGIFMEM", arg: ioctlArgAddr},
	0x8920:     {name: "SIOCSIFMEM", arg: ioctlArgAddr},
	0x8921:     {name: "SIOCGIFMTU", size: 40, arg: fmtIfreqOut},
	0x8922:     {name: "SIOCSIFMTU", size: 40, arg: fmtIfreqIn},
	0x8923:     {name: "SIOCSIFNAME", size: 40, arg: fmtIfreqIn},
	0x8924:     {name: "SIOCSIFHWADDR", size: 40, arg: fmtIfreqIn},
	0x8925:     {name: "SIOCGIFENCAP", size: 4, arg: ioctlIntOut},
	0x8926:     {name: "SIOCSIFENCAP", size: 4, arg: ioctlIntIn},
	0x8927:     {name: "SIOCGIFHWADDR", size: 40, arg: fmtIfreqOut},
	0x8929:     {name: "SIOCGIFSLAVE", size: 40, arg: fmtIfreqOut},
	0x8930:     {name: "SIOCSIFSLAVE", size: 40, arg: fmtIfreqIn},
	0x8931:     {name: "SIOCADDMULTI", size: 40, arg: fmtIfreqIn},
	0x8932:     {name: "SIOCDELMULTI", size: 40, arg: fmtIfreqIn},
	0x8933:     {name: "SIOCGIFINDEX", size: 40, arg: fmtIfreqOut},
	0x8934:     {name: "SIOCSIFPFLAGS", arg: ioctlArgAddr},
	0x8935:     {name: "SIOCGIFPFLAGS", arg: ioctlArgAddr},
	0x8936:     {name: "SIOCDIFADDR", arg: ioctlArgAddr},
	0x8937:     {name: "SIOCSIFHWBROADCAST", size: 40, arg: fmtIfreqIn},
	0x8938:     {name: "SIOCGIFCOUNT", arg: ioctlArgAddr},
	0x8940:     {name: "SIOCGIFBR", arg: ioctlArgAddr},
	0x8941:     {name: "SIOCSIFBR", arg: ioctlArgAddr},
	0x8942:     {name: "SIOCGIFTXQLEN", size: 40, arg: fmtIfreqOut},
	0x8943:     {name: "SIOCSIFTXQLEN", size: 40, arg: fmtIfreqIn},
	0x8946:     {name: "SIOCETHTOOL", arg: ioctlArgAddr},
	0x8947:     {name: "SIOCGMIIPHY", arg: ioctlArgAddr},
	0x8948:     {name: "SIOCGMIIREG", arg: ioctlArgAddr},
	0x8949:     {name: "SIOCSMIIREG", arg: ioctlArgAddr},
	0x894a:     {name: "SIOCWANDEV", arg: ioctlArgAddr},
	0x894b:     {name: "SIOCOUTQNSD", size: 4, arg: ioctlIntOut},
	0x894c:     {name: "SIOCGSKNS", arg: ioctlArgAddr},
	0x8953:     {name: "SIOCDARP", arg: ioctlArgAddr},
	0x8954:     {name: "SIOCGARP", arg: ioctlArgAddr},
	0x8955:     {name: "SIOCSARP", arg: ioctlArgAddr},
	0x8960:     {name: "SIOCDRARP", arg: ioctlArgAddr},
	0x8961:     {name: "SIOCGRARP", arg: ioctlArgAddr},
	0x8962:     {name: "SIOCSRARP", arg: ioctlArgAddr},
	0x8970:     {name: "SIOCGIFMAP", size: 40, arg: fmtIfreqOut},
	0x8971:     {name: "SIOCSIFMAP", size: 40, arg: fmtIfreqIn},
	0x8980:     {name: "SIOCADDDLCI", arg: ioctlArgAddr},
	0x8981:     {name: "SIOCDELDLCI", arg: ioctlArgAddr},
	0x8982:     {name: "SIOCGIFVLAN", arg: ioctlArgAddr},
	0x8983:     {name: "SIOCSIFVLAN", arg: ioctlArgAddr},
	0x8990:     {name: "SIOCBONDENSLAVE", arg: ioctlArgAddr},
	0x8991:     {name: "SIOCBONDRELEASE", arg: ioctlArgAddr},
	0x8992:     {name: "SIOCBONDSETHWADDR", arg: ioctlArgAddr},
	0x8993:     {name: "SIOCBONDSLAVEINFOQUERY", arg: ioctlArgAddr},
	0x8994:     {name: "SIOCBONDINFOQUERY", arg: ioctlArgAddr},
	0x8995:     {name: "SIOCBONDCHANGEACTIVE", arg: ioctlArgAddr},
	0x89a0:     {name: "SIOCBRADDBR", size: 16, arg: fmtSockBrName},
	0x89a1:     {name: "SIOCBRDELBR", size: 16, arg: fmtSockBrName},
	0x89a2:     {name: "SIOCBRADDIF", size: 40, arg: fmtSockBrif},
	0x89a3:     {name: "SIOCBRDELIF", size: 40, arg: fmtSockBrif},
	0x89b0:     {name: "SIOCSHWTSTAMP", arg: ioctlArgAddr},
	0x89b1:     {name: "SIOCGHWTSTAMP", arg: ioctlArgAddr},
	0x80108906: {name: "SIOCGSTAMP_NEW", arg: ioctlArgAddr},
	0x80108907: {name: "SIOCGSTAMPNS_NEW", arg: ioctlArgAddr},
}
