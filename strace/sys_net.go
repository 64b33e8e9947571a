package strace

import (
	"github.com/eproc/eproc/loader/wire"
)

// Sockets: socket, bind, connect, accept, sendto/recvfrom; socket options
// are in sys_net_sockopt*.go, addresses in sys_net_sockaddr*.go, messages
// (sendmsg, recvmsg, sendmmsg, recvmmsg) in sys_net_msghdr.go.

var (
	socketTypes     = []flag{{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"}, {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"}}
	socketTypeFlags = []flag{{0x80000, "SOCK_CLOEXEC"}, {0x800, "SOCK_NONBLOCK"}}
	socketMsgFlags  = []flag{{1, "MSG_OOB"}, {2, "MSG_PEEK"}, {4, "MSG_DONTROUTE"}, {8, "MSG_CTRUNC"}, {0x10, "MSG_PROXY"},
		{0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"}, {0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"},
		{0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"}, {0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"},
		{0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"},
		{0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"}}
	shutdownHows = []flag{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}}
)

// socklenAtEntry is the value of the socklen_t argument i as the call
// entered, if it was read.
func socklenAtEntry(c *Call, i int) (int32, bool) {
	ep := c.Cap(i, wire.EntryIdx)
	if ep == nil || ep.Fault() || len(ep.Data) < 4 {
		return 0, false
	}
	return int32(le.Uint32(ep.Data)), true
}

// fmtSocklenInOut is strace's addrlen of decode_sockname and recvfrom.
func fmtSocklenInOut(p *printer, c *Call, i int) {
	if !p.verbose() { // -e verbose=: strace's fetch_socklen reads nothing
		p.ptr(c.Args[i])
		return
	}
	in, known := socklenAtEntry(c, i)
	if !known {
		// Its entry was not seen (a call under way when tracing began):
		// the value at exit.
		if cp := captured(p, c, i, 4); cp != nil {
			intBracket(p, cp.Data)
		}
		return
	}
	p.c('[')
	cp := c.Cap(i, 0)
	failed := c.Ret < 0 && c.Ret >= -4095 || !c.Complete()
	if !failed && cp != nil && !cp.Fault() && len(cp.Data) >= 4 {
		if out := int32(le.Uint32(cp.Data)); out != in {
			p.d(int64(in))
			p.s(" => ")
			in = out
		}
	}
	p.d(int64(in))
	p.c(']')
}

func fmtSockaddr(p *printer, c *Call, i int) {
	if c.Args[i] == 0 || !p.verbose() { // -e verbose=: umoven_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || len(cp.Data) < 2 || cp.Fault() && !cp.Part() {
		p.x(c.Args[i])
		return
	}
	d := cp.Data
	in, ok := socklenAtEntry(c, i+1)
	if ok && in >= 0 && int(in) <= len(d) {
		d = d[:in] // strace decodes the lesser of the lengths in and out
	} else if cp.Fault() {
		// Read up to a page that cannot be: strace reads only the lesser
		// length, which the bytes before that page must hold.
		p.x(c.Args[i])
		return
	}
	sockaddrCall(p, c, d)
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
	kSocketProtocol = newKind(kindInfo{fmt: fmtSocketProtocol}) // sys_net_socket_proto.go
	kSockaddrIn     = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 128, when: wire.CWIn}, fmt: fmtSockaddr})
	// sendto's address: its length is the argument after it too.
	kSockaddrOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArgPtr, sizeRel: 1, elem: 1, max: 128, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[i])
				return
			}
			fmtSockaddr(p, c, i)
		}})
	// A socklen_t* the call reads and writes: read as the call enters and
	// at its exit. strace shows [in => out] when they differ, [in] when
	// the call failed; signed.
	kSocklenInOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 4, max: 4,
		when: wire.CWIn, entry: 4}, fmt: fmtSocklenInOut})
	kSocketFlags    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, socketTypeFlags, "0") }})
	kSocketMsgFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, socketMsgFlags, "0") }})
	kShutdownHow    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, shutdownHows, "") }})
	// recvfrom's buffer: the result may exceed its length (MSG_TRUNC), so
	// it is read as long as the length and printed as long as the lesser
	// (strace's decode_sockbuf of MIN(rval, len)): netlink messages for a
	// netlink socket (read whole, up to nlCapMax bytes), a string otherwise.
	kRecvBuf = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1,
		max: nlCapMax, when: wire.CWOK | wire.CWNetlink},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[i])
				return
			}
			n := min(uint64(c.Ret), c.Args[i+1])
			if fam, ok := p.netlinkFamily(c, int32(c.Args[0])); ok {
				fmtNetlinkBuf(p, c, i, fam, n)
				return
			}
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
		if c.Ret < 0 || !c.Complete() || cp == nil || cp.Fault() || len(cp.Data) < 8 || !p.verbose() {
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
		"socketpair":  {args: []kind{kAddressFamily, kSocketType, kSocketpairProtocol, kSocketPair}, class: ClassNetwork},
		"bind":        {args: []kind{kFd, kSockaddrIn, kUint}, class: ClassNetwork},
		"connect":     {args: []kind{kFd, kSockaddrIn, kUint}, class: ClassNetwork},
		"listen":      {args: []kind{kFd, kInt}, class: ClassNetwork},
		"accept":      {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"accept4":     {args: []kind{kFd, kSockaddrOut, kSocklenInOut, kSocketFlags}, class: ClassNetwork},
		"getsockname": {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"getpeername": {args: []kind{kFd, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"sendto":      {args: []kind{kFd, kSockBufIn, kUlong, kSocketMsgFlags, kSockaddrIn, kUint}, class: ClassNetwork},
		"recvfrom":    {args: []kind{kFd, kRecvBuf, kUlong, kSocketMsgFlags, kSockaddrOut, kSocklenInOut}, class: ClassNetwork},
		"sendmsg":     {args: []kind{kFd, kMsghdrIn, kSocketMsgFlags}, class: ClassNetwork},
		"recvmsg":     {args: []kind{kFd, kMsghdrOut, kSocketMsgFlags}, class: ClassNetwork},
		"shutdown":    {args: []kind{kFd, kShutdownHow}, class: ClassNetwork},
	})
}
