package strace

import "github.com/eproc/eproc/loader/wire"

// sendmsg, recvmsg, sendmmsg and recvmmsg's messages, as strace 6.1's
// msghdr.c and mmsghdr.c print them: the struct msghdr with its name,
// iovecs and control messages. The kernel side captures them at the
// call's exit (CKMsghdr, CKMmsg): the struct as element wire.MsgHdr, what
// it points to as the other wire.Msg* elements, message j of a vector at
// j<<wire.MsgShift.

// msghdr is a struct user_msghdr's fields (64-bit).
type msghdr struct {
	name, iov, iovlen, control, controllen uint64
	namelen                                int32
	flags                                  uint32
}

const msghdrSize = 56

func parseMsghdr(b []byte) msghdr {
	return msghdr{name: le.Uint64(b), namelen: int32(le.Uint32(b[8:])), iov: le.Uint64(b[16:]),
		iovlen: le.Uint64(b[24:]), control: le.Uint64(b[32:]), controllen: le.Uint64(b[40:]),
		flags: le.Uint32(b[48:])}
}

// printMsghdr is strace's print_struct_msghdr of the message whose
// captures start at element base of argument i: userLen is msg_namelen as
// the call was given it (recvmsg), dataSize bounds the data of its iovecs
// (the result for a receive, ^0 for a send).
func printMsghdr(p *printer, c *Call, i, base int, m msghdr, userLen *int32, dataSize uint64) {
	namelen := m.namelen
	if userLen != nil && namelen > *userLen {
		namelen = *userLen
	}
	p.s("{msg_name=")
	var name []byte
	if namelen < 2 {
		p.ptr(m.name)
	} else if cp := c.Cap(i, base+wire.MsgName); cp == nil || cp.Fault() && !(cp.Part() && len(cp.Data) >= int(min(namelen, 128))) {
		// Read up to a page that cannot be: strace reads the lesser of
		// the lengths in and out, which the bytes before it may hold.
		p.ptr(m.name)
	} else {
		name = cp.Data[:min(len(cp.Data), int(namelen))]
		sockaddrCall(p, c, name)
	}
	p.s(", msg_namelen=")
	if userLen != nil && *userLen != m.namelen {
		p.d(int64(*userLen))
		p.s(" => ")
	}
	p.d(int64(m.namelen))
	p.s(", msg_iov=")
	if msgNameNetlink(name) {
		msgIovNetlink(p, c, i, base, m, dataSize)
	} else {
		msgIov(p, c, i, base, m, dataSize)
	}
	p.s(", msg_iovlen=")
	p.u(m.iovlen)
	if m.controllen != 0 {
		p.s(", msg_control=")
		msgControl(p, c, c.Cap(i, base+wire.MsgControl), m)
	}
	p.s(", msg_controllen=")
	p.u(m.controllen)
	p.s(", msg_flags=")
	p.flags(uint64(m.flags), socketMsgFlags, "0")
	p.c('}')
}

// msgIov is strace's tprint_iov_upto of a message's iovecs.
func msgIov(p *printer, c *Call, i, base int, m msghdr, dataSize uint64) {
	iovElems(p, c, i, base+wire.MsgIov, m.iov, c.Cap(i, base+wire.MsgIov), m.iovlen, dataSize, false)
}

// cmsgPrinter prints a control message's data of one level and type,
// when it holds at least min bytes (strace's cmsg_*_printers).
type cmsgPrinter struct {
	min   int
	print func(p *printer, c *Call, d []byte)
}

// shape: table
var (
	scmTypes = []flag{{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"}, {29, "SO_TIMESTAMP_OLD"},
		{35, "SO_TIMESTAMPNS_OLD"}, {37, "SO_TIMESTAMPING_OLD"}, {41, "SO_WIFI_STATUS"}, {54, "SCM_TIMESTAMPING_OPT_STATS"},
		{58, "SCM_TIMESTAMPING_PKTINFO"}, {61, "SO_TXTIME"}, {63, "SO_TIMESTAMP_NEW"}, {64, "SO_TIMESTAMPNS_NEW"},
		{65, "SO_TIMESTAMPING_NEW"}}
	ipCmsgTypes = []flag{{1, "IP_TOS"}, {2, "IP_TTL"}, {6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"},
		{11, "IP_RECVERR"}, {20, "IP_ORIGDSTADDR"}, {23, "IP_CHECKSUM"}, {3, "SCM_SECURITY"}}
	cmsgSocketPrinters = map[uint32]cmsgPrinter{
		1: {4, cmsgRights}, 2: {12, cmsgCreds}, 3: {1, cmsgSecurity},
		29: {1, cmsgTimes(16, 0, timevalBytes)}, 35: {1, cmsgTimes(16, 0, timespecBytes)},
		37: {1, cmsgTimes(16, 3, timespecBytes)}, 63: {1, cmsgTimes(16, 0, timevalBytes)},
		64: {1, cmsgTimes(16, 0, timespecBytes)}, 65: {1, cmsgTimes(16, 3, timespecBytes)},
	}
	cmsgIPPrinters = map[uint32]cmsgPrinter{
		8: {12, cmsgPktinfo}, 2: {4, cmsgUints}, 1: {1, cmsgXbytes}, 6: {1, cmsgXbytes}, 7: {1, cmsgXbytes},
		11: {32, cmsgRecverr}, 20: {16, cmsgOrigDst}, 23: {4, cmsgUints}, 3: {1, cmsgSecurity},
	}
)

// msgControl is strace's decode_msg_control: the control messages in the
// captured bytes (at most wire.CmsgMax of them: strace reads up to
// net.core.optmem_max).
func msgControl(p *printer, c *Call, cp *wire.Cap, m msghdr) {
	const hdr = 16 // struct cmsghdr
	if cp == nil || cp.Fault() || m.controllen < hdr {
		p.ptr(m.control)
		return
	}
	buf := cp.Data
	p.c('[')
	for at := 0; len(buf) >= hdr; at++ {
		if at > 0 {
			p.s(", ")
		}
		clen := le.Uint64(buf)
		level, typ := le.Uint32(buf[8:]), le.Uint32(buf[12:])
		p.s("{cmsg_len=")
		p.u(clen)
		p.s(", cmsg_level=")
		p.xlat(uint64(level), sockoptLevels, "/SOL_???")
		p.s(", cmsg_type=")
		n := min(clen, uint64(len(buf)))
		var data []byte
		if n > hdr {
			data = buf[hdr:n]
		}
		cmsgTypeData(p, c, level, typ, data)
		p.c('}')
		if n < hdr {
			buf = buf[min(hdr, len(buf)):]
			break
		}
		n = (clen + 7) &^ 7
		if n >= uint64(len(buf)) {
			buf = nil
			break
		}
		buf = buf[n:]
	}
	switch {
	case len(buf) > 0:
		p.s(", ... /* ")
		p.x(m.control + uint64(len(cp.Data)-len(buf)))
		p.s(" */")
	case cp.Trunc():
		p.s(", ...")
	}
	p.c(']')
}

// cmsgTypeData is strace's print_cmsg_type_data.
func cmsgTypeData(p *printer, c *Call, level, typ uint32, data []byte) {
	var pr cmsgPrinter
	var ok bool
	switch level {
	case 1: // SOL_SOCKET
		p.xlat(uint64(typ), scmTypes, "/SCM_???")
		pr, ok = cmsgSocketPrinters[typ]
	case 0: // SOL_IP
		p.xlat(uint64(typ), ipCmsgTypes, "/IP_???")
		pr, ok = cmsgIPPrinters[typ]
	default:
		p.x(uint64(typ))
		return
	}
	if ok && len(data) >= pr.min {
		p.s(", cmsg_data=")
		pr.print(p, c, data)
	}
}

// printLocal is strace's print_local_array of n elements of size bytes.
func printLocal(p *printer, d []byte, size int, elem func(p *printer, b []byte)) {
	p.c('[')
	for k := 0; (k+1)*size <= len(d); k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		elem(p, d[k*size:(k+1)*size])
	}
	p.c(']')
}

func cmsgRights(p *printer, c *Call, d []byte) {
	printLocal(p, d, 4, func(p *printer, b []byte) { p.fd(c, int32(le.Uint32(b))) })
}

func cmsgCreds(p *printer, c *Call, d []byte) {
	p.s("{pid=")
	p.d(int64(int32(le.Uint32(d))))
	p.s(", uid=")
	p.u(uint64(le.Uint32(d[4:])))
	p.s(", gid=")
	p.u(uint64(le.Uint32(d[8:])))
	p.c('}')
}

func cmsgSecurity(p *printer, c *Call, d []byte) { p.quote(d, false) }

// cmsgTimes prints one time of size bytes (n 0), or an array of n: "???"
// when the data is too short.
func cmsgTimes(size, n int, one func(p *printer, b []byte)) func(p *printer, c *Call, d []byte) {
	return func(p *printer, c *Call, d []byte) {
		switch {
		case len(d) < size*max(n, 1):
			p.s("???")
		case n == 0:
			one(p, d)
		default:
			p.c('[')
			for k := 0; k < n; k++ {
				if k > 0 {
					p.s(", ")
				}
				one(p, d[k*size:])
			}
			p.c(']')
		}
	}
}

func cmsgPktinfo(p *printer, c *Call, d []byte) {
	p.s("{ipi_ifindex=")
	ifindex(p, le.Uint32(d))
	p.s(", ipi_spec_dst=")
	inetAddr(p, d[4:])
	p.s(", ipi_addr=")
	inetAddr(p, d[8:])
	p.c('}')
}

func cmsgUints(p *printer, c *Call, d []byte) {
	printLocal(p, d, 4, func(p *printer, b []byte) { p.u(uint64(le.Uint32(b))) })
}

// cmsgXbytes prints bytes as strace's print_xint_array_member: %#x (0 as 0).
func cmsgXbytes(p *printer, c *Call, d []byte) {
	printLocal(p, d, 1, func(p *printer, b []byte) {
		if b[0] == 0 {
			p.c('0')
			return
		}
		p.x(uint64(b[0]))
	})
}

func cmsgRecverr(p *printer, c *Call, d []byte) {
	p.s("{ee_errno=")
	p.u(uint64(le.Uint32(d)))
	p.s(", ee_origin=")
	p.u(uint64(d[4]))
	p.s(", ee_type=")
	p.u(uint64(d[5]))
	p.s(", ee_code=")
	p.u(uint64(d[6]))
	p.s(", ee_info=")
	p.u(uint64(le.Uint32(d[8:])))
	p.s(", ee_data=")
	p.u(uint64(le.Uint32(d[12:])))
	p.s(", offender=")
	sockaddrCall(p, c, d[16:32])
	p.c('}')
}

func cmsgOrigDst(p *printer, c *Call, d []byte) { sockaddrCall(p, c, d[:min(len(d), 128)]) }

// The message arguments.
var (
	// kMsghdrIn is sendmsg's message, read as it returns (the kernel
	// leaves it as it was given).
	// Its iovecs' data: nlCapMax bytes of each, for netlink messages
	// (sys_net_msghdr_netlink.go).
	kMsghdrIn = newKind(kindInfo{cap: capRule{kind: wire.CKMsghdr, max: nlCapMax, when: wire.CWIn | wire.CWNetlink}, fmt: func(p *printer, c *Call, i int) {
		hdr := msgHdrOf(p, c, i, 0)
		if hdr == nil {
			return
		}
		printMsghdr(p, c, i, 0, parseMsghdr(hdr), nil, ^uint64(0))
	}})
	// kMsghdrOut is recvmsg's: its msg_namelen is also read as the call
	// enters (strace's "in => out").
	kMsghdrOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMsghdr, sizeFrom: wire.SzRet, max: nlCapMax, when: wire.CWOK | wire.CWNetlink, entry: 4, entryOff: 8},
		fmt: fmtRecvmsgHdr})
)

// msgHdrOf is message base's struct of argument i, or nil when it was
// printed as strace prints what it cannot read (NULL, the address).
func msgHdrOf(p *printer, c *Call, i, base int) []byte {
	if c.Args[i] == 0 || !p.verbose() {
		p.ptr(c.Args[i])
		return nil
	}
	cp := c.Cap(i, base+wire.MsgHdr)
	if cp == nil || cp.Fault() || len(cp.Data) < msghdrSize {
		p.ptr(c.Args[i])
		return nil
	}
	return cp.Data
}

func fmtRecvmsgHdr(p *printer, c *Call, i int) {
	if ep := c.Cap(i, wire.EntryIdx); ep != nil && ep.Fault() {
		p.ptr(c.Args[i]) // strace could not read it as the call entered
		return
	}
	var in *int32
	if v, ok := socklenAtEntry(c, i); ok && c.Args[i] != 0 && p.verbose() {
		in = &v
	}
	if c.Ret < 0 && c.Ret >= -4095 || !c.Complete() {
		if in == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{msg_namelen=")
		p.d(int64(*in))
		p.c('}')
		return
	}
	hdr := msgHdrOf(p, c, i, 0)
	if hdr == nil {
		return
	}
	printMsghdr(p, c, i, 0, parseMsghdr(hdr), in, uint64(c.Ret))
}
