package strace

import (
	"strconv"

	"github.com/eproc/eproc/loader/wire"
)

// Netlink messages in the buffers of sendto and recvfrom (strace's
// decode_netlink, of netlink.c, from decode_sockbuf: recvfrom's when it
// succeeded, over the data it returned; neither when the call is not
// verbose): a buffer sent to a netlink socket is an array of nlmsghdr
// and payload, whose types and flags are named by the socket's protocol
// (sys_net_netlink_fd.go); payloads are decoded per protocol
// (sys_net_netlink_*.go), their attributes by nlattr's rules
// (sys_net_netlink_attr.go). strace reads the whole message, not -s
// bytes of it, so the buffer is captured up to nlCapMax bytes when the
// call's descriptor is a netlink socket (wire.CWNetlink: the kernel looks
// it up for these captures only); any other socket's, -s bytes.

// nlCapMax is how much of a socket buffer is captured: the messages
// strace's tests send fit in a page; memory past the capture is printed
// as strace prints memory it cannot read.
const nlCapMax = 4096

const (
	nlmsgHdrLen  = 16
	nlmsgMinType = 0x10
	nlmsgError   = 2
	nlmsgDone    = 3
	nlmFCapped   = 0x100
	nlmFRequest  = 1
)

// nlMem is the memory of a netlink buffer as far as it was read: data
// holds the bytes from addr on.
type nlMem struct {
	addr uint64
	data []byte
}

// at is the n bytes at addr, if they were read.
func (m *nlMem) at(addr, n uint64) ([]byte, bool) {
	off := addr - m.addr
	if addr < m.addr || off+n < off || off+n > uint64(len(m.data)) {
		return nil, false
	}
	return m.data[off : off+n], true
}

// nlDec decodes one call's netlink buffer.
type nlDec struct {
	p      *printer
	c      *Call
	m      nlMem
	family int        // the socket's protocol; -1 unknown
	hdr    []byte     // the header of the message whose attributes are decoded
	link   *linkKinds // the IFLA_LINKINFO decoded, nil outside one
}

// hexStr is strace's printstr_ex(..., QUOTE_FORCE_HEX): at most -s bytes
// as \xNN, "..." when there are more; the address when they cannot be read.
func (d *nlDec) hexStr(addr, n uint64) {
	if addr == 0 {
		d.p.s("NULL")
		return
	}
	b, ok := d.str(addr, n)
	if ok {
		d.p.quoteHex(b, n > uint64(len(b)))
	}
}

// str is what printstr_ex shows of the n bytes at addr: it reads one byte
// more than -s (string_quote looks ahead), shows -s; the address is
// printed when they cannot be read.
func (d *nlDec) str(addr, n uint64) ([]byte, bool) {
	b, ok := d.m.at(addr, min(n, uint64(d.p.strsize)+1))
	if !ok {
		d.p.ptr(addr)
		return nil, false
	}
	return b[:min(len(b), d.p.strsize)], true
}

// plainStr is printstrn: the n bytes at addr as a string.
func (d *nlDec) plainStr(addr, n uint64) {
	if addr == 0 {
		d.p.s("NULL")
		return
	}
	if b, ok := d.str(addr, n); ok {
		d.p.quote(b, n > uint64(len(b)))
	}
}

// fetch is strace's umove_or_printaddr: the n bytes at addr, or the
// address printed.
func (d *nlDec) fetch(addr, n uint64) ([]byte, bool) {
	b, ok := d.m.at(addr, n)
	if !ok {
		d.p.ptr(addr)
	}
	return b, ok
}

// fetchElem fetches an array's element: what cannot be read ends the
// array with "... /* addr */" (in an array) or is its address.
func (d *nlDec) fetchElem(addr, n uint64, inArray bool) ([]byte, bool) {
	b, ok := d.m.at(addr, n)
	if !ok {
		if inArray {
			d.p.s("...")
			d.p.comment("0x" + strconv.FormatUint(addr, 16))
		} else {
			d.p.ptr(addr)
		}
	}
	return b, ok
}

// more reports whether an array printed elt elements already and must
// end in "..." (strace prints -s elements unless -v).
func (d *nlDec) more(elt int) bool {
	return !d.p.unabbrev && elt == d.p.strsize
}

// nlmsghdr is struct nlmsghdr.
type nlmsghdr struct {
	len        uint32
	typ, flags uint16
	seq, pid   uint32
}

func parseNlmsghdr(b []byte) nlmsghdr {
	return nlmsghdr{len: le.Uint32(b), typ: le.Uint16(b[4:]), flags: le.Uint16(b[6:]), seq: le.Uint32(b[8:]), pid: le.Uint32(b[12:])}
}

// decode is decode_netlink: the messages of the len bytes at addr.
func (d *nlDec) decode(addr, n uint64) {
	if d.family == nlKobjectUevent {
		d.kobjectUevent(addr, n)
		return
	}
	isArray := false
	for elt := 0; ; elt++ {
		if n < nlmsgHdrLen {
			d.hexStr(addr, n)
			break
		}
		b, ok := d.fetchElem(addr, nlmsgHdrLen, isArray)
		if !ok {
			break
		}
		if d.more(elt) {
			d.p.s("...")
			break
		}
		h := parseNlmsghdr(b)
		msgLen := uint64(nlAlign(h.len))
		var next, nextLen uint64
		if h.len >= nlmsgHdrLen {
			if n >= msgLen {
				nextLen = n - msgLen
			}
			if nextLen != 0 && addr+msgLen > addr {
				next = addr + msgLen
			}
		}
		if !isArray && next != 0 {
			d.p.c('[')
			isArray = true
		}
		d.withPayload(h, addr, n)
		if next == 0 {
			break
		}
		d.p.s(", ")
		addr, n = next, nextLen
	}
	if isArray {
		d.p.c(']')
	}
}

func nlAlign(n uint32) uint32 { return (n + 3) &^ 3 }

// withPayload is decode_nlmsghdr_with_payload.
func (d *nlDec) withPayload(h nlmsghdr, addr, n uint64) {
	l := min(uint64(h.len), n)
	if l > nlmsgHdrLen {
		d.p.c('[')
	}
	d.header(h)
	if l > nlmsgHdrLen {
		d.p.s(", ")
		d.payload(h, addr+nlmsgHdrLen, l-nlmsgHdrLen)
		d.p.c(']')
	}
}

// header is print_nlmsghdr: the whole structure, whatever its nlmsg_len.
func (d *nlDec) header(h nlmsghdr) {
	p := d.p
	p.s("{nlmsg_len=")
	p.u(uint64(h.len))
	p.s(", nlmsg_type=")
	d.msgType(h.typ)
	p.s(", nlmsg_flags=")
	nlFlagsOut(p, uint64(h.flags), nlFlagsTable(h.typ, d.family), "NLM_F_???")
	p.s(", nlmsg_seq=")
	p.u(uint64(h.seq))
	p.s(", nlmsg_pid=")
	p.pid(int32(h.pid), ptTgid)
	p.c('}')
}

// payload is decode_payload.
func (d *nlDec) payload(h nlmsghdr, addr, n uint64) {
	if h.typ == nlmsgError {
		d.nlmsgerr(addr, n, h.flags&nlmFCapped != 0)
		return
	}
	if h.typ >= nlmsgMinType || h.typ == nlmsgDone {
		if dec := nlPayloads[d.family]; dec != nil && dec(d, h, addr, n) {
			return
		}
	}
	if h.typ == nlmsgDone && n == 4 {
		if b, ok := d.fetch(addr, 4); ok {
			d.p.d(int64(int32(le.Uint32(b))))
		}
		return
	}
	d.hexStr(addr, n)
}

// nlPayloads are the protocols' payload decoders, by protocol: false
// leaves the payload to the generic printing.
var nlPayloads = map[int]func(d *nlDec, h nlmsghdr, addr, n uint64) bool{}

// nlmsgerr is decode_nlmsgerr: the error, the message it answers (its
// header alone when NLM_F_CAPPED), and the extended ACK's attributes.
func (d *nlDec) nlmsgerr(addr, n uint64, capped bool) {
	const size = 4 + nlmsgHdrLen
	if n < size {
		d.hexStr(addr, n)
		return
	}
	b, ok := d.fetch(addr, size)
	if !ok {
		return
	}
	h := parseNlmsghdr(b[4:])
	addr += 4
	n -= 4
	l := max(uint64(nlmsgHdrLen), uint64(h.len))
	if capped {
		l = nlmsgHdrLen
	}
	payload := min(n, l)
	if n > payload {
		d.p.c('[')
	}
	d.p.s("{error=")
	errField(d.p, int64(int32(le.Uint32(b))))
	d.p.s(", msg=")
	d.withPayload(h, addr, payload)
	d.p.c('}')
	if n > payload {
		d.p.s(", ")
		d.attrs(addr+payload, n-payload, nlAttrTable{names: nlmsgerrAttrs, dflt: "NLMSGERR_ATTR_???", decoders: nlmsgerrDecoders})
		d.p.c(']')
	}
}

var nlmsgerrDecoders = map[uint16]nlaDecoder{1: nlaStr, 2: nlaU32, 3: nlaCookie}

// msgType is decode_nlmsg_type: control messages by netlink_types, the
// others by the protocol's table.
func (d *nlDec) msgType(t uint16) {
	p := d.p
	if t < nlmsgMinType {
		p.xlat(uint64(t), nlTypes, "/NLMSG_???")
		return
	}
	switch d.family {
	case nlGeneric:
		p.xlat(uint64(t), genlFamilies(), "/GENERIC_FAMILY_???")
	case nlNetfilter:
		d.netfilterType(t)
	default:
		if tt, ok := nlTypeTables[d.family]; ok {
			p.xlat(uint64(t), tt.tab, "/"+tt.dflt)
			return
		}
		p.xlat(uint64(t), nlTypes, "/NLMSG_???")
	}
}

// nlFlagsTable is decode_nlmsg_flags' tables: netlink_flags, then those
// of the message's kind (an ACK's, or the protocol's for the type).
func nlFlagsTable(t uint16, family int) []flag {
	set := nlfNone
	if t < nlmsgMinType {
		if t == nlmsgError {
			set = nlfAck
		}
	} else if f := nlFlagsByType[family]; f != nil {
		set = f(t)
	}
	return nlFlagSets[set]
}

// Netlink protocols with their own decoding.
const (
	nlRoute         = 0
	nlSockDiag      = 4
	nlXfrm          = 6
	nlSelinux       = 7
	nlAudit         = 9
	nlNetfilter     = 12
	nlKobjectUevent = 15
	nlGeneric       = 16
	nlCrypto        = 21
)

// fmtSockBufIn prints sendto's buffer: netlink messages for a netlink
// socket, a string otherwise.
func fmtSockBufIn(p *printer, c *Call, i int) {
	n := c.Args[i+1]
	if fam, ok := p.netlinkFamily(c, int32(c.Args[0])); ok {
		fmtNetlinkBuf(p, c, i, fam, n)
		return
	}
	fmtDataShown(p, c, i, n)
}

// fmtNetlinkBuf prints the n bytes of argument i's buffer as netlink
// messages of protocol fam (sendto's and recvfrom's).
func fmtNetlinkBuf(p *printer, c *Call, i, fam int, n uint64) {
	cp := c.Cap(i, 0)
	m := nlMem{addr: c.Args[i]}
	if cp != nil && (!cp.Fault() || cp.Part()) {
		m.data = cp.Data
	}
	d := nlDec{p: p, c: c, m: m, family: fam}
	d.decode(c.Args[i], n)
}

// fmtDataShown is fmtData for a capture longer than -s: the string is
// printed when its -s bytes were read, even if later bytes were not.
func fmtDataShown(p *printer, c *Call, i int, n uint64) {
	cp := c.Cap(i, 0)
	show := min(n, uint64(p.strsize))
	if cp == nil || cp.Fault() && !(cp.Part() && uint64(len(cp.Data)) >= show) || uint64(len(cp.Data)) < show {
		p.ptr(c.Args[i])
		return
	}
	p.quote(cp.Data[:show], show < n)
}

// netlinkFamily is the netlink protocol of tgid's socket fd, if it is one
// and the call is verbose (strace's decode_sockbuf).
func (p *printer) netlinkFamily(c *Call, fd int32) (int, bool) {
	if p.nl == nil || !p.verbose() {
		return 0, false
	}
	f := p.nl.family(c.Tgid, fd)
	return f, f >= 0
}

var kSockBufIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: nlCapMax, when: wire.CWIn | wire.CWNetlink},
	fmt: fmtSockBufIn})
