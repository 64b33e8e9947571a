package strace

import (
	"math/bits"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// Socket option values, as strace's print_setsockopt and print_getsockopt
// print them.

// setsockoptCapMax is how much of a setsockopt value is read: the largest
// structure decoded (struct group_req), so that one ending a page is read
// even when the length given is larger, and more than -s's default.
const setsockoptCapMax = 136

// sockInt prints the int at the start of b as [N], or the address.
func sockInt(p *printer, addr uint64, b []byte) {
	if len(b) < 4 {
		p.ptr(addr)
		return
	}
	p.c('[')
	p.d(int64(int32(le.Uint32(b))))
	p.c(']')
}

// soTxrehash is SO_TXREHASH, whose int is one of sockTxrehashVals.
const soTxrehash = 74

var sockTxrehashVals = []flag{{0, "SOCK_TXREHASH_DISABLED"}, {1, "SOCK_TXREHASH_ENABLED"}, {255, "SOCK_TXREHASH_DEFAULT"}}

// txrehash prints SO_TXREHASH's int at the start of b, as strace's
// print_txrehash: [NAME], or [N /* SOCK_TXREHASH_??? */].
func txrehash(p *printer, b []byte) {
	p.c('[')
	xlatDecOrUnknown(p, int64(int32(le.Uint32(b))), sockTxrehashVals, "SOCK_TXREHASH_???")
	p.c(']')
}

// sockStr prints n bytes at addr as strace's printstrn: at most -s of
// them, then "..." when there were more.
func sockStr(p *printer, addr uint64, b []byte, ok bool, n uint64) {
	if !ok {
		p.ptr(addr)
		return
	}
	if uint64(len(b)) > n {
		b = b[:n]
	}
	if len(b) > p.strsize {
		b = b[:p.strsize]
	}
	p.quote(b, uint64(len(b)) < n)
}

// fieldsByLen prints a structure of 4-byte fields of which n bytes were
// returned, as strace's MAYBE_PRINT_FIELD_LEN: whole fields by one, a
// partial one as hex bytes, none past n.
func fieldsByLen(p *printer, b []byte, n int, names []string, one func(v uint32)) {
	p.c('{')
	for k, name := range names {
		start := 4 * k
		if n <= start {
			break
		}
		if k > 0 {
			p.s(", ")
		}
		p.s(name)
		p.c('=')
		if n >= start+4 {
			one(le.Uint32(b[start:]))
		} else {
			p.quoteHex(b[start:n], false)
		}
	}
	p.c('}')
}

// icmpFilter prints struct icmp_filter as strace's print_icmp_filter: the
// bits set, or ~ and those clear when more than half are set.
func icmpFilter(p *printer, addr uint64, b []byte, ok bool, n int) {
	if n > 4 {
		n = 4
	} else if n <= 0 {
		p.ptr(addr)
		return
	}
	if !ok || len(b) < n {
		p.ptr(addr)
		return
	}
	var w [4]byte
	for k := range w {
		w[k] = 0xff
	}
	copy(w[:], b[:n])
	f := le.Uint32(w[:])
	if bits.OnesCount32(f) > 16 {
		f = ^f
		p.c('~')
	}
	p.c('[')
	first := true
	for i := 0; i < 32; i++ {
		if f&(1<<i) == 0 {
			continue
		}
		if !first {
			p.c(' ')
		}
		first = false
		p.xlat(uint64(i), icmpFilterFlags, "/ICMP_???")
	}
	p.c(']')
}

// setsockoptStruct prints the structures setsockopt decodes; false when
// the option is not one of them.
func setsockoptStruct(p *printer, level, name uint64, addr uint64, b []byte, n int64) bool {
	need := func(size int, exact bool) bool {
		if n < int64(size) || exact && n != int64(size) || len(b) < size {
			p.ptr(addr)
			return false
		}
		return true
	}
	switch {
	case level == solSocket && name == 13: // SO_LINGER
		if need(8, false) {
			p.s("{l_onoff=")
			p.d(int64(int32(le.Uint32(b))))
			p.s(", l_linger=")
			p.d(int64(int32(le.Uint32(b[4:]))))
			p.c('}')
		}
	case level == solSocket && name == soTxrehash:
		if need(4, false) {
			txrehash(p, b)
		}
	case level == solSocket && sockoptInt(name), level == solNetlnk:
		if need(4, false) {
			sockInt(p, addr, b)
		}
	case level == solIP && (name == 35 || name == 36): // IP_{ADD,DROP}_MEMBERSHIP
		if need(8, false) {
			p.c('{')
			inetField(p, "imr_multiaddr", b)
			p.s(", ")
			inetField(p, "imr_interface", b[4:])
			p.c('}')
		}
	case (level == solIP || level == solIPv6) && (name == 42 || name == 45): // MCAST_{JOIN,LEAVE}_GROUP
		if need(136, false) {
			p.s("{gr_interface=")
			ifindex(p, le.Uint32(b))
			p.s(", gr_group=")
			sockaddr(p, b[8:136])
			p.c('}')
		}
	case level == solIPv6 && (name == 20 || name == 21 || name == 27 || name == 28):
		if need(20, false) {
			p.c('{')
			inet6Field(p, b, "ipv6mr_multiaddr")
			p.s(", ipv6mr_interface=")
			ifindex(p, le.Uint32(b[16:]))
			p.c('}')
		}
	case level == solPacket && (name == 5 || name == 13): // PACKET_{RX,TX}_RING
		if need(16, true) {
			fieldsByLen(p, b, 16, []string{"tp_block_size", "tp_block_nr", "tp_frame_size", "tp_frame_nr"},
				func(v uint32) { p.u(uint64(v)) })
		}
	case level == solPacket && (name == 1 || name == 2): // PACKET_{ADD,DROP}_MEMBERSHIP
		if need(16, true) {
			p.s("{mr_ifindex=")
			ifindex(p, le.Uint32(b))
			p.s(", mr_type=")
			p.xlat(uint64(le.Uint16(b[4:])), packetMreqTypes, "/PACKET_MR_???")
			alen := le.Uint16(b[6:])
			p.s(", mr_alen=")
			p.u(uint64(alen))
			p.s(", mr_address=")
			macAddr(p, b[8:8+min(int(alen), 8)])
			p.c('}')
		}
	case level == solRaw && name == 1: // ICMP_FILTER
		icmpFilter(p, addr, b, b != nil, int(n))
	default:
		return false
	}
	return true
}

// sockoptBytes is the captured value of argument i: all of it (whole),
// or the bytes before a page that could not be read, as strace reads a
// value of the option's size (an int, a struct linger) whatever the length
// given, and a length larger than the buffer is how its tests end one at
// a page's end. nil: nothing was read.
func sockoptBytes(c *Call, i int) (b []byte, whole bool) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() && !cp.Part() {
		return nil, false
	}
	if cp.Data == nil {
		return []byte{}, !cp.Fault()
	}
	return cp.Data, !cp.Fault()
}

func fmtSetsockoptVal(p *printer, c *Call, i int) {
	addr := c.Args[i]
	if addr == 0 || !p.verbose() { // -e verbose=: print_setsockopt's printaddr
		p.ptr(addr)
		return
	}
	level, name := c.Args[1]&0xffffffff, c.Args[2]&0xffffffff
	n := int64(int32(c.Args[i+1]))
	if level == solSocket && (name == soAttachFilter || name == soAttachReuseportCBPF) {
		if uint32(n) != sockFprogSize {
			p.ptr(addr)
			return
		}
		sockFprog(p, c, i, sockK)
		return
	}
	b, ok := sockoptBytes(c, i)
	if setsockoptStruct(p, level, name, addr, b, n) {
		return
	}
	if n == 4 {
		sockInt(p, addr, b)
		return
	}
	sockStr(p, addr, b, ok, uint64(n))
}

// getsockoptStruct prints the values getsockopt decodes, rlen bytes of
// them returned; false when the option is not one of them.
func getsockoptStruct(p *printer, level, name uint64, addr uint64, b []byte, rlen int) bool {
	fields := func(size int, names []string, one func(v uint32)) {
		n := min(rlen, size)
		if len(b) < n {
			p.ptr(addr)
			return
		}
		fieldsByLen(p, b, n, names, one)
	}
	dec := func(v uint32) { p.d(int64(int32(v))) }
	switch {
	case level == solSocket && name == 13: // SO_LINGER
		fields(8, []string{"l_onoff", "l_linger"}, dec)
	case level == solSocket && name == 17: // SO_PEERCRED
		k := 0
		fields(12, []string{"pid", "uid", "gid"}, func(v uint32) {
			if k++; k == 1 {
				p.pid(int32(v), ptTgid)
				return
			}
			if v == 0xffffffff {
				p.s("-1")
				return
			}
			p.u(uint64(v))
		})
	case level == solSocket && (name == 4 || name == soTxrehash || sockoptInt(name)): // SO_ERROR, ints
		if rlen < 4 {
			if len(b) < rlen {
				p.ptr(addr)
				return true
			}
			p.quoteHex(b[:rlen], false)
			return true
		}
		if len(b) < 4 {
			p.ptr(addr)
			return true
		}
		if name == soTxrehash {
			txrehash(p, b)
			return true
		}
		if name != 4 {
			sockInt(p, addr, b)
			return true
		}
		e := le.Uint32(b)
		p.c('[')
		p.constVal(uint64(e), 'u', unix.ErrnoName(unix.Errno(e)))
		p.c(']')
	case level == solPacket && name == 6: // PACKET_STATISTICS
		fields(12, []string{"tp_packets", "tp_drops", "tp_freeze_q_cnt"}, func(v uint32) { p.u(uint64(v)) })
	case level == solRaw && name == 1: // ICMP_FILTER
		icmpFilter(p, addr, b, b != nil, rlen)
	default:
		return false
	}
	return true
}

func fmtGetsockoptVal(p *printer, c *Call, i int) {
	addr := c.Args[i]
	rl := capturedIn(c, i+1, 4)
	if c.Ret < 0 || !c.Complete() || rl == nil || !p.verbose() { // -e verbose=: not read
		p.ptr(addr)
		return
	}
	rlen := int(int32(le.Uint32(rl)))
	if ulen, known := socklenAtEntry(c, i+1); rlen <= 0 || known && ulen <= 0 || addr == 0 {
		p.ptr(addr)
		return
	}
	level, name := c.Args[1]&0xffffffff, c.Args[2]&0xffffffff
	if level == solSocket && name == soAttachFilter { // SO_GET_FILTER: the instructions
		if !p.verbose() || rlen != int(uint16(rlen)) {
			p.ptr(addr)
			return
		}
		bpfProg(p, addr, c.Cap(i, 0), uint64(rlen), sockK)
		return
	}
	b, ok := sockoptBytes(c, i)
	if level == solNetlnk {
		getsockoptNetlink(p, c, i, name, b, rlen)
		return
	}
	// SO_GET_FILTER's case captures rlen instructions of any level's
	// option 26: rlen bytes read are all there is to print.
	ok = ok || len(b) >= rlen
	if getsockoptStruct(p, level, name, addr, b, rlen) {
		return
	}
	if rlen == 4 {
		sockInt(p, addr, b)
		return
	}
	sockStr(p, addr, b, ok, uint64(rlen))
}

var (
	kSockoptLevel = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, sockoptLevels, "/SOL_??") }})
	kSetsockName  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		sockoptName(p, c.Args[1]&0xffffffff, c.Args[i]&0xffffffff, false)
	}})
	kGetsockName = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		sockoptName(p, c.Args[1]&0xffffffff, c.Args[i]&0xffffffff, true)
	}})
	kSockoptValIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: setsockoptCapMax, when: wire.CWIn},
		fmt: fmtSetsockoptVal})
	kSockoptValOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArgPtr, sizeRel: 1, elem: 1, max: 256, when: wire.CWOK},
		fmt: fmtGetsockoptVal})
)

// setsockoptMore: SO_ATTACH_FILTER's and SO_ATTACH_REUSEPORT_CBPF's
// filter, the instructions their struct sock_fprog points to. The
// selector sees the option's number, not its level: another level's
// option 26 or 51 captures them too (what the word at 8 past its value
// points to, as many as its first u16 says), printed by none.
func setsockoptMore() map[uint32]map[int][]capRule {
	return map[uint32]map[int][]capRule{soAttachFilter: {3: {bpfFilterDeref}}, soAttachReuseportCBPF: {3: {bpfFilterDeref}}}
}

// getsockoptCases: SO_GET_FILTER's value is the filter's instructions,
// as many as the length the call returned (another level's option 26
// reads 8 times its length too).
func getsockoptCases() map[uint32]map[int]capRule {
	return map[uint32]map[int]capRule{soAttachFilter: {3: {kind: wire.CKMem, sizeFrom: wire.SzArgPtr, sizeRel: 1,
		elem: bpfInsnSize, max: bpfFilterCapMax, when: wire.CWOK}}}
}

func init() {
	registerSigs(map[string]sig{
		"setsockopt": {args: []kind{kFd, kSockoptLevel, kSetsockName, kSockoptValIn, kInt}, class: ClassNetwork,
			sel: &selector{arg: 2, mask: 0xffffffff, more: setsockoptMore}},
		"getsockopt": {args: []kind{kFd, kSockoptLevel, kGetsockName, kSockoptValOut, kSocklenInOut}, class: ClassNetwork,
			sel: &selector{arg: 2, mask: 0xffffffff, cases: getsockoptCases}},
	})
}
