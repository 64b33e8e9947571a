package strace

import (
	"net/netip"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// -yy's sockets: what strace's socketutils.c prints, from the kernel's
// sock_diag netlink, looked up by inode when a socket is printed and kept
// once found (strace keeps them so too: a socket bound, then connected,
// keeps its first details).

// sockProtos are strace's protocols: the name system.sockprotoname gives,
// and how the socket's details are asked for.
var sockProtos = []struct {
	name   string
	family uint8
	proto  uint8
}{
	{"UNIX", unix.AF_UNIX, 0}, {"UNIX-STREAM", unix.AF_UNIX, 0},
	{"TCP", unix.AF_INET, unix.IPPROTO_TCP}, {"UDP", unix.AF_INET, unix.IPPROTO_UDP},
	{"UDPLITE", unix.AF_INET, unix.IPPROTO_UDPLITE}, {"DCCP", unix.AF_INET, unix.IPPROTO_DCCP},
	{"SCTP", unix.AF_INET, unix.IPPROTO_SCTP}, {"L2TP/IP", unix.AF_INET, unix.IPPROTO_L2TP},
	{"PING", unix.AF_INET, unix.IPPROTO_ICMP}, {"RAW", unix.AF_INET, unix.IPPROTO_RAW},
	{"TCPv6", unix.AF_INET6, unix.IPPROTO_TCP}, {"UDPv6", unix.AF_INET6, unix.IPPROTO_UDP},
	{"UDPLITEv6", unix.AF_INET6, unix.IPPROTO_UDPLITE}, {"DCCPv6", unix.AF_INET6, unix.IPPROTO_DCCP},
	{"SCTPv6", unix.AF_INET6, unix.IPPROTO_SCTP}, {"L2TP/IPv6", unix.AF_INET6, unix.IPPROTO_L2TP},
	{"PINGv6", unix.AF_INET6, unix.IPPROTO_ICMP}, {"RAWv6", unix.AF_INET6, unix.IPPROTO_RAW},
	{"NETLINK", unix.AF_NETLINK, 0},
}

// sockCreated marks a socket just made: unbound and unconnected, it has
// no details to find (strace prints PROTO:[ino] for it) until a network
// call on it (sockUsed). A decoder behind the process would otherwise
// find what a later bind or connect made of it.
func (t *fdTable) sockCreated(ino uint64) {
	if t.set&DecodeFdSocket == 0 || ino == 0 {
		return
	}
	delete(t.socks, ino)
	t.sockFresh[ino] = true
}

// sockUsed: a network call on fd may have bound or connected it.
func (t *fdTable) sockUsed(tgid uint32, fd int32) {
	t.netCalls++
	if len(t.sockFresh) > 0 {
		if e, ok := t.process(tgid).fds[fd]; ok {
			delete(t.sockFresh, socketInode(e.link))
		}
	}
}

// sockProto is system.sockprotoname of tgid's fd, "" when unknown.
func (t *fdTable) sockProto(tgid uint32, fd int32) string {
	buf := make([]byte, 256)
	n, err := unix.Getxattr(t.fdPath(tgid, fd), "system.sockprotoname", buf)
	if err != nil || n <= 0 {
		return ""
	}
	return strings.TrimRight(string(buf[:n]), "\x00")
}

// socketDetails is what -yy prints for a socket: its details, PROTO:[ino]
// when they are not found, socket:[ino] when not even its protocol is.
func (t *fdTable) socketDetails(tgid uint32, fd int32, ino uint64, e fdEntry) string {
	if d, ok := t.socks[ino]; ok {
		return d
	}
	proto := e.proto
	if proto == "" {
		proto = t.sockProto(tgid, fd)
		if proto != "" {
			e.proto = proto
			t.process(tgid).fds[fd] = e
		}
	}
	if gen, ok := t.sockMiss[ino]; !t.sockFresh[ino] && (!ok || gen != t.netCalls) {
		if d := sockDiag(ino, proto); d != "" {
			t.socks[ino] = d
			delete(t.sockMiss, ino)
			return d
		}
		t.sockMiss[ino] = t.netCalls
	}
	for _, sp := range sockProtos {
		if sp.name == proto {
			return proto + ":[" + strconv.FormatUint(ino, 10) + "]"
		}
	}
	return e.link
}

// sockDiag asks sock_diag for socket ino's details, for its protocol or,
// unknown, each of strace's in turn; "" when none has it.
func sockDiag(ino uint64, proto string) string {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return ""
	}
	defer unix.Close(fd)
	known := false
	for _, sp := range sockProtos {
		known = known || sp.name == proto
	}
	if !known {
		proto = "" // strace asks each of its own (MPTCP is asked as TCP)
	}
	for _, sp := range sockProtos {
		if proto != "" && sp.name != proto {
			continue
		}
		var d string
		switch sp.family {
		case unix.AF_UNIX:
			d = unixDiag(fd, ino, sp.name)
		case unix.AF_INET, unix.AF_INET6:
			d = inetDiag(fd, ino, sp.name, sp.family, sp.proto)
		case unix.AF_NETLINK:
			d = netlinkDiag(fd, ino, sp.name)
		}
		if d != "" {
			return d
		}
	}
	return ""
}

const sockDiagByFamily = 20 // SOCK_DIAG_BY_FAMILY

// diagQuery sends a sock_diag request and hands each answer's payload to
// parse until it returns a result or the answers end.
func diagQuery(fd int, flags uint16, req []byte, parse func(b []byte) (string, bool)) string {
	msg := make([]byte, unix.NLMSG_HDRLEN+len(req))
	*(*unix.NlMsghdr)(unsafe.Pointer(&msg[0])) = unix.NlMsghdr{Len: uint32(len(msg)), Type: sockDiagByFamily, Flags: unix.NLM_F_REQUEST | flags, Seq: 1}
	copy(msg[unix.NLMSG_HDRLEN:], req)
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return ""
	}
	buf := make([]byte, 32<<10)
	found, done := "", false
	for !done {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil || n <= 0 {
			return found
		}
		for b := buf[:n]; len(b) >= unix.NLMSG_HDRLEN; {
			l := int(le.Uint32(b))
			typ := le.Uint16(b[4:])
			if l < unix.NLMSG_HDRLEN || l > len(b) {
				return found
			}
			switch typ {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				done = true
			default:
				if found == "" {
					if d, ok := parse(b[unix.NLMSG_HDRLEN:l]); ok {
						found = d
					}
				}
			}
			b = b[min((l+3)&^3, len(b)):]
		}
		if flags&unix.NLM_F_DUMP == 0 {
			done = true
		}
	}
	return found
}

// inetDiag: "TCP:[src:port->dst:port]", or "TCP:[src:port]" unconnected.
func inetDiag(fd int, ino uint64, name string, family, proto uint8) string {
	// struct inet_diag_req_v2: family, protocol, ext, pad, states, id (48).
	req := make([]byte, 56)
	req[0], req[1] = family, proto
	*(*uint32)(unsafe.Pointer(&req[4])) = ^uint32(0)
	return diagQuery(fd, unix.NLM_F_DUMP, req, func(b []byte) (string, bool) {
		// struct inet_diag_msg: family, state, timer, retrans, id {sport,
		// dport (be16), src[16], dst[16], if, cookie[2]}, expires, rqueue,
		// wqueue, uid, inode.
		if len(b) < 72 || uint64(le.Uint32(b[68:])) != ino {
			return "", false
		}
		sport, dport := uint16(b[4])<<8|uint16(b[5]), uint16(b[6])<<8|uint16(b[7])
		var src, dst netip.Addr
		if b[0] == unix.AF_INET6 {
			src, dst = netip.AddrFrom16([16]byte(b[8:24])), netip.AddrFrom16([16]byte(b[24:40]))
		} else {
			src, dst = netip.AddrFrom4([4]byte(b[8:12])), netip.AddrFrom4([4]byte(b[24:28]))
		}
		host := func(a netip.Addr) string {
			if a.Is6() {
				return "[" + a.String() + "]"
			}
			return a.String()
		}
		s := name + ":[" + host(src) + ":" + strconv.Itoa(int(sport))
		if dport != 0 || !dst.IsUnspecified() {
			s += "->" + host(dst) + ":" + strconv.Itoa(int(dport))
		}
		return s + "]", true
	})
}

// unixDiag: "UNIX-STREAM:[ino->peer]", with ,"path" when bound.
func unixDiag(fd int, ino uint64, name string) string {
	// struct unix_diag_req: family, protocol, pad, states, ino, show,
	// cookie[2].
	req := make([]byte, 24)
	req[0] = unix.AF_UNIX
	*(*uint32)(unsafe.Pointer(&req[4])) = ^uint32(0)
	*(*uint32)(unsafe.Pointer(&req[8])) = uint32(ino)
	*(*uint32)(unsafe.Pointer(&req[12])) = 1 | 4 // UDIAG_SHOW_NAME | UDIAG_SHOW_PEER
	*(*uint32)(unsafe.Pointer(&req[16])) = ^uint32(0)
	*(*uint32)(unsafe.Pointer(&req[20])) = ^uint32(0)
	return diagQuery(fd, 0, req, func(b []byte) (string, bool) {
		// struct unix_diag_msg: family, type, state, pad, ino, cookie[2];
		// then attributes.
		if len(b) < 16 || uint64(le.Uint32(b[4:])) != ino || b[0] != unix.AF_UNIX {
			return "", false
		}
		var peer uint32
		var path []byte
		havePath := false
		for a := b[16:]; len(a) >= 4; {
			l, typ := int(le.Uint16(a)), le.Uint16(a[2:])
			if l < 4 || l > len(a) {
				break
			}
			v := a[4:l]
			switch typ {
			case 0: // UNIX_DIAG_NAME
				if !havePath {
					path, havePath = v, len(v) > 0
				}
			case 2: // UNIX_DIAG_PEER
				if len(v) >= 4 {
					peer = le.Uint32(v)
				}
			}
			a = a[min((l+3)&^3, len(a)):]
		}
		if peer == 0 && !havePath {
			return "", false
		}
		s := name + ":[" + strconv.FormatUint(ino, 10)
		if peer != 0 {
			s += "->" + strconv.FormatUint(uint64(peer), 10)
		}
		if havePath {
			var p printer
			p.strsize = len(path)
			at := path[0] == 0
			if at {
				path = path[1:]
			}
			if i := indexByte(path, 0); i >= 0 {
				path = path[:i]
			}
			p.quote(path, false)
			s += ","
			if at {
				s += "@"
			}
			s += string(p.b)
		}
		return s + "]", true
	})
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// netlinkProtoNames are strace's netlink_protocols, NETLINK_ left off.
var netlinkProtoNames = map[uint8]string{
	0: "ROUTE", 1: "UNUSED", 2: "USERSOCK", 3: "FIREWALL", 4: "SOCK_DIAG", 5: "NFLOG", 6: "XFRM",
	7: "SELINUX", 8: "ISCSI", 9: "AUDIT", 10: "FIB_LOOKUP", 11: "CONNECTOR", 12: "NETFILTER",
	13: "IP6_FW", 14: "DNRTMSG", 15: "KOBJECT_UEVENT", 16: "GENERIC", 18: "SCSITRANSPORT",
	19: "ECRYPTFS", 20: "RDMA", 21: "CRYPTO", 22: "SMC",
}

// netlinkDiag: "NETLINK:[ROUTE:portid]".
func netlinkDiag(fd int, ino uint64, name string) string {
	// struct netlink_diag_req: family, protocol, pad, ino, show, cookie[2].
	req := make([]byte, 24)
	req[0], req[1] = unix.AF_NETLINK, 255 // NDIAG_PROTO_ALL
	return diagQuery(fd, unix.NLM_F_DUMP, req, func(b []byte) (string, bool) {
		// struct netlink_diag_msg: family, type, protocol, state, portid,
		// dst_portid, dst_group, ino, cookie[2].
		if len(b) < 24 || uint64(le.Uint32(b[16:])) != ino || b[0] != unix.AF_NETLINK {
			return "", false
		}
		return netlinkDetails(name, b[2], le.Uint32(b[4:])), true
	})
}
