package strace

import (
	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Netlink messages in the iovecs of sendmsg, recvmsg, sendmmsg and
// recvmmsg: strace's print_struct_msghdr decodes each iovec's data with
// iov_decode_netlink (decode_netlink of the call's first argument's
// socket) when the message's msg_name is an AF_NETLINK address, and as a
// string otherwise, whatever the socket. Each iovec is a buffer of its
// own, as long as its iov_len and the data left of the call's result
// (tprint_iov_upto's data_size); strace reads all of it, so the iovecs'
// data is captured up to nlCapMax bytes each on a netlink socket
// (wire.CWNetlink: kMsghdrIn, kMsghdrOut, kSendmmsgVec, kRecvmmsgVec;
// -s bytes on any other), and memory past the capture is printed as
// strace prints memory it cannot read. The messages of sendmmsg and
// recvmmsg share a record: those past its room are printed as "...".

// msgNameNetlink reports whether a message's name, as printMsghdr read
// it (name: its bytes, nil when it printed the address), is an AF_NETLINK
// address: decode_sockaddr's family.
func msgNameNetlink(name []byte) bool {
	return len(name) >= 2 && le.Uint16(name) == unix.AF_NETLINK
}

// msgIovNetlink is tprint_iov_upto with iov_decode_netlink: the iovecs of
// the message whose captures start at element base of argument i, each
// one's data decoded as netlink messages of the socket's protocol (-1 when
// it is not a netlink socket: decode_netlink's generic names).
func msgIovNetlink(p *printer, c *Call, i, base int, m msghdr, dataSize uint64) {
	family := -1
	if p.nl != nil {
		family = p.nl.family(c.Tgid, int32(c.Args[0]))
	}
	printArrayAt(p, m.iov, c.Cap(i, base+wire.MsgIov), 16, m.iovlen, func(p *printer, k uint64, b []byte) bool {
		iovBase, l := le.Uint64(b), le.Uint64(b[8:])
		n := min(l, dataSize)
		if dataSize != ^uint64(0) {
			dataSize -= n
		}
		p.s("{iov_base=")
		mem := nlMem{addr: iovBase}
		if d := c.Cap(i, base+wire.MsgIov+1+int(k)); d != nil && (!d.Fault() || d.Part()) {
			mem.data = d.Data
		}
		dec := nlDec{p: p, c: c, m: mem, family: family}
		dec.decode(iovBase, n)
		p.s(", iov_len=")
		p.u(l)
		p.c('}')
		return true
	})
}
