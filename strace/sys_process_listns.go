package strace

import "github.com/eproc/eproc/loader/wire"

// listns (Linux 6.19), which strace 6.1 does not know: as strace 7.2
// prints it (its listns.c).

const (
	nsIDReqSize = 32   // NS_ID_REQ_SIZE_VER0
	nsIDReqMax  = 4096 // strace reads the struct up to a page
)

var (
	nsTypes = []flag{{0x80, "TIME_NS"}, {0x20000, "MNT_NS"}, {0x2000000, "CGROUP_NS"}, {0x4000000, "UTS_NS"},
		{0x8000000, "IPC_NS"}, {0x10000000, "USER_NS"}, {0x20000000, "PID_NS"}, {0x40000000, "NET_NS"}}
	listnsUserNsIDs = []flag{{0xffffffffffffffff, "LISTNS_CURRENT_USER"}}
)

// nsIDReq prints a struct ns_id_req of the bytes d (d's capture was cut
// short when part): its size, then the fields when it is as large as
// version 0 (??? when they could not be read), then what it has past
// them when not all zero, a page at most.
func nsIDReq(p *printer, d []byte, part bool) {
	size := le.Uint32(d)
	p.s("{size=")
	p.u(uint64(size))
	if size < nsIDReqSize {
		p.c('}')
		return
	}
	if len(d) < nsIDReqSize {
		p.s(", ???}")
		return
	}
	if v := le.Uint32(d[4:]); v != 0 {
		p.s(", spare=")
		p.x(uint64(v))
	}
	p.s(", ns_id=")
	hexOrZero(p, le.Uint64(d[8:]))
	p.s(", ns_type=")
	flagsOrUnknown(p, uint64(le.Uint32(d[16:])), nsTypes, "", "???_NS")
	if v := le.Uint32(d[20:]); v != 0 {
		p.s(", spare2=")
		p.x(uint64(v))
	}
	p.s(", user_ns_id=")
	p.xlat(le.Uint64(d[24:]), listnsUserNsIDs, "")
	if total := min(uint64(size), nsIDReqMax); total > nsIDReqSize {
		if uint64(len(d)) < total && part {
			p.s(", ???")
		} else {
			structTail(p, &wire.Cap{Data: d}, nsIDReqSize, total)
		}
	}
	p.c('}')
}

var (
	kNsIDReq = newKind(kindInfo{cap: capIn(nsIDReqMax), fmt: func(p *printer, c *Call, i int) {
		cp := c.Cap(i, 0)
		if c.Args[i] == 0 || !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 4 {
			p.ptr(c.Args[i])
			return
		}
		nsIDReq(p, cp.Data, cp.Part())
	}})
	// kNsIDs is listns' array of u64 namespace ids: as many as it
	// returned, at most its count.
	kNsIDs = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 8, max: 8 * 1023, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			n := min(c.Args[i+1], uint64(c.Ret)) // all of them when it failed
			if c.Args[i] != 0 && n > 0 && !p.verbose() {
				p.x(c.Args[i])
				return
			}
			printArray(p, c, i, 8, n, func(p *printer, _ uint64, b []byte) bool {
				hexOrZero(p, le.Uint64(b))
				return true
			})
		}})
)

func init() {
	registerSigs(map[string]sig{
		"listns": {args: []kind{kNsIDReq, kNsIDs, kUlong, kUintHex}},
	})
}
