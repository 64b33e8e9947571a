package strace

import (
	"net/netip"

	"github.com/eproc/eproc/loader/wire"
)

// Sockets: socket, bind, connect, accept, sendto/recvfrom, socket options,
// with sockaddrs decoded as strace does (AF_UNIX, AF_INET, AF_INET6,
// AF_NETLINK). sendmsg/recvmsg print their msghdr as an address: its iovecs
// sit behind pointers inside it, which the capture plans cannot follow.

var (
	addressFamilies = []flag{{0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {3, "AF_AX25"}, {4, "AF_IPX"},
		{5, "AF_APPLETALK"}, {9, "AF_X25"}, {10, "AF_INET6"}, {16, "AF_NETLINK"}, {17, "AF_PACKET"},
		{31, "AF_BLUETOOTH"}, {38, "AF_ALG"}, {40, "AF_VSOCK"}, {44, "AF_XDP"}}
	socketTypes     = []flag{{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"}, {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"}}
	socketTypeFlags = []flag{{0x80000, "SOCK_CLOEXEC"}, {0x800, "SOCK_NONBLOCK"}}
	ipProtocols     = []flag{{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"}, {6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"},
		{41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"}, {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"}}
	netlinkProtocols = []flag{{0, "NETLINK_ROUTE"}, {2, "NETLINK_USERSOCK"}, {4, "NETLINK_SOCK_DIAG"}, {6, "NETLINK_XFRM"},
		{7, "NETLINK_SELINUX"}, {9, "NETLINK_AUDIT"}, {10, "NETLINK_FIB_LOOKUP"}, {12, "NETLINK_NETFILTER"},
		{15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"}}
	socketMsgFlags = []flag{{1, "MSG_OOB"}, {2, "MSG_PEEK"}, {4, "MSG_DONTROUTE"}, {8, "MSG_CTRUNC"}, {0x10, "MSG_PROXY"},
		{0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"}, {0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"},
		{0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"}, {0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"},
		{0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"},
		{0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"}}
	shutdownHows = []flag{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}}
)

// sockaddr prints a socket address of n bytes.
func sockaddr(p *printer, d []byte) {
	if len(d) < 2 {
		p.s("{}")
		return
	}
	fam := uint64(le.Uint16(d))
	p.s("{sa_family=")
	p.xlat(fam, addressFamilies, "u")
	switch fam {
	case 1: // AF_UNIX
		path := d[2:]
		if len(path) == 0 {
			break
		}
		p.s(", sun_path=")
		if path[0] == 0 {
			p.c('@')
			path = path[1:]
		} else {
			for j, ch := range path {
				if ch == 0 {
					path = path[:j]
					break
				}
			}
		}
		p.quote(path, false)
	case 2: // AF_INET
		if len(d) < 8 {
			break
		}
		p.s(", sin_port=htons(")
		p.u(uint64(d[2])<<8 | uint64(d[3]))
		p.s("), sin_addr=inet_addr(\"")
		for k := 0; k < 4; k++ {
			if k > 0 {
				p.c('.')
			}
			p.u(uint64(d[4+k]))
		}
		p.s("\")")
	case 10: // AF_INET6
		if len(d) < 24 {
			break
		}
		p.s(", sin6_port=htons(")
		p.u(uint64(d[2])<<8 | uint64(d[3]))
		p.s("), sin6_flowinfo=htonl(")
		p.u(uint64(d[4])<<24 | uint64(d[5])<<16 | uint64(d[6])<<8 | uint64(d[7]))
		p.s("), inet_pton(AF_INET6, \"")
		p.s(netip.AddrFrom16([16]byte(d[8:24])).String())
		p.s("\", &sin6_addr)")
		if len(d) >= 28 {
			p.s(", sin6_scope_id=")
			p.u(uint64(le.Uint32(d[24:])))
		}
	case 16: // AF_NETLINK
		if len(d) < 12 {
			break
		}
		p.s(", nl_pid=")
		p.u(uint64(le.Uint32(d[4:])))
		p.s(", nl_groups=")
		const hx = "0123456789abcdef"
		g := le.Uint32(d[8:])
		for sh := 28; sh >= 0; sh -= 4 {
			p.c(hx[(g>>sh)&15])
		}
	default:
		p.s(", sa_data=")
		p.quote(d[2:], false)
	}
	p.c('}')
}

func fmtSockaddr(p *printer, c *Call, i int) {
	if c.Args[i] == 0 {
		p.s("NULL")
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) == 0 {
		p.x(c.Args[i])
		return
	}
	sockaddr(p, cp.Data)
}

var (
	kAddressFamily = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, addressFamilies, "/AF_???") }})
	kSocketType    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		// strace's tprint_sock_type.
		v := c.Args[i] & 0xffffffff
		if name := lookupName(v&0xf, socketTypes); name != "" {
			p.constVal(v&0xf, 'x', name)
			if v &^= 0xf; v == 0 {
				return
			}
			p.c('|')
		}
		p.flagsDflt(v, socketTypeFlags, "", "SOCK_???")
	}})
	kSocketProtocol = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := c.Args[i] & 0xffffffff
		switch c.Args[0] & 0xffffffff {
		case 2, 10:
			p.xlat(v, ipProtocols, "/IPPROTO_???")
		case 16:
			p.xlat(v, netlinkProtocols, "/NETLINK_???")
		default:
			p.u(v)
		}
	}})
	kSockaddrIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 128, when: wire.CWIn}, fmt: fmtSockaddr})
	// sendto's address: its length is the argument after it too.
	kSockaddrOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArgPtr, sizeRel: 1, elem: 1, max: 128, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[i])
				return
			}
			fmtSockaddr(p, c, i)
		}})
	// A socklen_t* the call reads and writes: read at exit, whatever the
	// result (a failed call leaves the input). strace shows [in => out]
	// when they differ; only the value at exit is known here. strace prints it signed.
	kSocklenInOut = newKind(kindInfo{out: true, cap: capIn(4), fmt: func(p *printer, c *Call, i int) {
		cp := captured(p, c, i, 4)
		if cp == nil {
			return
		}
		p.c('[')
		p.d(int64(int32(le.Uint32(cp.Data))))
		p.c(']')
	}})
	kSocketFlags    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, socketTypeFlags, "0") }})
	kSocketMsgFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, socketMsgFlags, "0") }})
	kShutdownHow    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, shutdownHows, "") }})
	// recvfrom's buffer: the result may exceed its length (MSG_TRUNC), so
	// it is read as long as the length and printed as long as the lesser
	// (strace's decode_sockbuf of MIN(rval, len)).
	kRecvBuf = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[i])
				return
			}
			n := min(uint64(c.Ret), c.Args[i+1])
			cp := c.Cap(i, 0)
			if cp == nil || cp.Fault() {
				p.ptr(c.Args[i])
				return
			}
			d := cp.Data
			if uint64(len(d)) > n {
				d = d[:n]
			}
			if len(d) > p.strsize {
				d = d[:p.strsize]
			}
			p.quote(d, uint64(len(d)) < n)
		}})
	kSocketPair = newKind(kindInfo{out: true, cap: capOut(8), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 8 {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.fd(c, int32(le.Uint32(cp.Data)))
		p.s(", ")
		p.fd(c, int32(le.Uint32(cp.Data[4:])))
		p.c(']')
	}})
)

func init() {
	registerSigs(map[string]sig{
		"socket":      {args: []kind{kAddressFamily, kSocketType, kSocketProtocol}, class: ClassNetwork},
		"socketpair":  {args: []kind{kAddressFamily, kSocketType, kSocketProtocol, kSocketPair}, class: ClassNetwork},
		"bind":        {args: []kind{kFd, kSockaddrIn, kUint}, class: ClassNetwork},
		"connect":     {args: []kind{kFd, kSockaddrIn, kUint}, class: ClassNetwork},
		"listen":      {args: []kind{kFd, kInt}, class: ClassNetwork},
		"accept":      {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"accept4":     {args: []kind{kFd, kSockaddrOut, kSocklenInOut, kSocketFlags}, class: ClassNetwork},
		"getsockname": {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"getpeername": {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"sendto":      {args: []kind{kFd, kBufIn, kUlong, kSocketMsgFlags, kSockaddrIn, kUint}, class: ClassNetwork},
		"recvfrom":    {args: []kind{kFd, kRecvBuf, kUlong, kSocketMsgFlags, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"sendmsg":     {args: []kind{kFd, kPtr, kSocketMsgFlags}, class: ClassNetwork},
		"recvmsg":     {args: []kind{kFd, kPtr, kSocketMsgFlags}, class: ClassNetwork},
		"shutdown":    {args: []kind{kFd, kShutdownHow}, class: ClassNetwork},
	})
}
