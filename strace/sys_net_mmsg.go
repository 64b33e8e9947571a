package strace

// sendmmsg and recvmmsg: their message vectors as strace 6.1's mmsghdr.c
// prints them (the messages as sys_net_msghdr.go's), the other arguments
// and recvmmsg's result. recvmmsg's entry (mmsg_entry in bpf/eproc.c)
// sends each message's msg_namelen as it entered (strace's "in => out")
// and the timeout as given.

import "github.com/eproc/eproc/loader/wire"

// kSendmmsgVec and kRecvmmsgVec are the vectors, printed at exit: all
// vlen messages of a send (with msg_len for those sent), the messages
// received.
var (
	kSendmmsgVec = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMmsg, sizeFrom: wire.SzArg, sizeRel: 1, max: nlCapMax, when: wire.CWNetlink},
		fmt: func(p *printer, c *Call, i int) {
			sent := uint64(0)
			if c.Ret > 0 && c.Complete() {
				sent = uint64(c.Ret)
			}
			mmsgVec(p, c, i, uint64(uint32(c.Args[i+1])), sent, false)
		}})
	// recvmmsg's: its entry capture (message 0's msg_namelen) attaches
	// the entry tracepoint, whose program also sends every message's
	// (wire.MmsgInLens) and the timeout (mmsg_entry).
	kRecvmmsgVec = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMmsg, sizeFrom: wire.SzRet, max: nlCapMax, when: wire.CWOK | wire.CWNetlink, entry: 4, entryOff: 8},
		fmt: func(p *printer, c *Call, i int) {
			if c.Ret < 0 || !c.Complete() {
				p.ptr(c.Args[i])
				return
			}
			mmsgVec(p, c, i, uint64(c.Ret), uint64(c.Ret), true)
		}})
	// kMmsgTimeout is recvmmsg's timeout as the call was given it (as it
	// left it when the entry was not seen).
	kMmsgTimeout = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		ep := c.Cap(i, wire.EntryIdx)
		switch {
		case c.Args[i] == 0 || ep == nil:
			kinds[kTimespec].fmt(p, c, i)
		case ep.Fault() || len(ep.Data) < 16 || !p.verbose():
			p.ptr(c.Args[i])
		default:
			timespecBytes(p, ep.Data)
		}
	}})
)

// mmsgInLens is each message's msg_namelen as recvmmsg entered, and how
// many messages strace prints at most (those it could read then; -1: no
// bound).
func mmsgInLens(c *Call, i int) (lens []int32, limit int) {
	cp := c.Cap(i, wire.MmsgInLens)
	if cp == nil {
		if v, ok := socklenAtEntry(c, i); ok {
			return []int32{v}, -1
		}
		return nil, -1
	}
	for k := 0; k+4 <= len(cp.Data); k += 4 {
		lens = append(lens, int32(le.Uint32(cp.Data[k:])))
	}
	limit = -1
	if len(lens) < min(int(uint32(c.Args[i+1])), wire.MmsgMax) {
		limit = len(lens) // strace could not read the next one
	}
	return lens, limit
}

// mmsgVec is strace's decode_mmsgvec of count messages, msg_len printed
// for the first withLen, each message's data bounded by its msg_len when
// useLen: print_array's notation (see printArray), the elements from their
// own captures.
func mmsgVec(p *printer, c *Call, i int, count, withLen uint64, useLen bool) {
	addr := c.Args[i]
	if addr == 0 || !p.verbose() {
		p.ptr(addr)
		return
	}
	if count == 0 {
		p.s("[]")
		return
	}
	const size = msghdrSize + 8
	var lens []int32
	limit := -1
	if useLen {
		lens, limit = mmsgInLens(c, i)
	}
	p.c('[')
	for k := uint64(0); k < count; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == uint64(p.strsize) && p.abbrev() || int(k) == limit {
			p.s("...")
			break
		}
		base := int(k) << wire.MsgShift
		cp := c.Cap(i, base+wire.MsgHdr)
		if k > 0 && (k >= wire.MmsgMax || cp == nil) {
			p.s("...") // not captured: past the record's room
			break
		}
		if cp == nil || cp.Fault() || len(cp.Data) < size {
			if k == 0 {
				p.b = p.b[:len(p.b)-1] // the "["
				p.ptr(addr)
				return
			}
			p.s("... /* ")
			p.x(addr + k*size)
			p.s(" */")
			break
		}
		m := parseMsghdr(cp.Data)
		msgLen := le.Uint32(cp.Data[msghdrSize:])
		dataSize := ^uint64(0)
		if useLen {
			dataSize = uint64(msgLen)
		}
		p.s("{msg_hdr=")
		var in *int32
		if k < uint64(len(lens)) {
			in = &lens[k]
		}
		printMsghdr(p, c, i, base, m, in, dataSize)
		if k < withLen {
			p.s(", msg_len=")
			p.u(uint64(msgLen))
		}
		p.c('}')
	}
	p.c(']')
}

// recvmmsgRet: 0 (Timeout), or the count and the time left when a
// timeout was given (strace's do_recvmmsg).
func recvmmsgRet(p *printer, c *Call) {
	p.d(c.Ret)
	if c.Ret == 0 {
		p.s(" (Timeout)")
		return
	}
	if b := capturedIn(c, 4, 16); b != nil && p.verbose() {
		p.s(" (left ")
		timespecBytes(p, b)
		p.c(')')
	}
}

func init() {
	registerSigs(map[string]sig{
		"sendmmsg": {args: []kind{kFd, kSendmmsgVec, kUint, kSocketMsgFlags}, class: ClassNetwork},
		"recvmmsg": {args: []kind{kFd, kRecvmmsgVec, kUint, kSocketMsgFlags, kMmsgTimeout}, ret: recvmmsgRet, class: ClassNetwork},
	})
}
