package strace

import "github.com/eproc/eproc/loader/wire"

// sched_getattr and sched_setattr: struct sched_attr, as strace 6.1's
// print_sched_attr prints it.

const (
	schedAttrMin  = 48 // SCHED_ATTR_SIZE_VER0
	schedAttrSize = 56 // SCHED_ATTR_SIZE_VER1, what strace knows of
)

var schedFlags = []flag{{1, "SCHED_FLAG_RESET_ON_FORK"}, {2, "SCHED_FLAG_RECLAIM"}, {4, "SCHED_FLAG_DL_OVERRUN"},
	{8, "SCHED_FLAG_KEEP_POLICY"}, {0x10, "SCHED_FLAG_KEEP_PARAMS"}, {0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"},
	{0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"}}

// schedAttr prints the size bytes of b that were read; usize is the size
// the caller gave (setattr: the struct's own, 0 meaning 48).
func schedAttr(p *printer, b []byte, size, usize uint32, set bool) {
	p.s("{size=")
	p.u(uint64(le.Uint32(b)))
	if size >= schedAttrMin {
		policy, fl := le.Uint32(b[4:]), le.Uint64(b[8:])
		if !set || int32(policy) < 0 || fl&0x18 == 0 {
			p.s(", sched_policy=")
			p.xlat(uint64(policy), schedPolicies, "/SCHED_???")
		}
		p.s(", sched_flags=")
		flagsOrUnknown(p, fl, schedFlags, "", "SCHED_FLAG_???")
		if !set || fl&0x10 == 0 {
			p.s(", sched_nice=")
			p.d(int64(int32(le.Uint32(b[16:]))))
			p.s(", sched_priority=")
			p.u(uint64(le.Uint32(b[20:])))
			p.s(", sched_runtime=")
			p.u(le.Uint64(b[24:]))
			p.s(", sched_deadline=")
			p.u(le.Uint64(b[32:]))
			p.s(", sched_period=")
			p.u(le.Uint64(b[40:]))
		}
		if size >= schedAttrSize {
			p.s(", sched_util_min=")
			p.u(uint64(le.Uint32(b[48:])))
			p.s(", sched_util_max=")
			p.u(uint64(le.Uint32(b[52:])))
		}
	}
	if usize > size {
		p.s(", ...")
	}
	p.c('}')
}

// kSchedAttrIn is sched_setattr's attr (56 bytes, read at exit), and its
// size as the call entered: the kernel writes the size it supports there
// when it fails with E2BIG (strace's "{size=1} => {size=56}").
var kSchedAttrIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: schedAttrSize, max: schedAttrSize,
	when: wire.CWIn, entry: 4}, fmt: func(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 4)
	if cp == nil {
		return
	}
	var b [schedAttrSize]byte
	copy(b[:], cp.Data)
	if in, ok := socklenAtEntry(c, i); ok {
		le.PutUint32(b[:], uint32(in)) // the size given, not the one written back
	}
	usize := le.Uint32(b[:])
	if usize == 0 {
		usize = schedAttrMin
	}
	size := min(usize, schedAttrSize)
	if size >= schedAttrMin && len(cp.Data) < int(size) {
		p.x(c.Args[i])
		return
	}
	schedAttr(p, b[:], size, usize, true)
	if c.Complete() && c.Ret == -7 && p.verbose() { // E2BIG: the size the kernel supports
		p.s(" => {size=")
		p.u(uint64(le.Uint32(cp.Data)))
		p.c('}')
	}
}})

// kSchedAttrOut is sched_getattr's attr: min(size, 56) bytes at exit.
var kSchedAttrOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: schedAttrSize, when: wire.CWOK},
	fmt: func(p *printer, c *Call, i int) {
		usize := uint32(c.Args[i+1])
		if usize == 0 {
			p.ptr(c.Args[i])
			return
		}
		d := capturedOut(c, i, int(min(usize, schedAttrSize)))
		if c.Args[i] == 0 {
			p.s("NULL")
			return
		}
		if d == nil {
			p.x(c.Args[i])
			return
		}
		var b [schedAttrSize]byte
		copy(b[:], d)
		size := le.Uint32(b[:])
		schedAttr(p, b[:], size, size, false)
	}})

var kUintOut = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { p.u(uint64(uint32(c.Args[i]))) }})

func init() {
	registerSigs(map[string]sig{
		"sched_getattr": {args: []kind{kPidTgid, kSchedAttrOut, kUintOut, kUintOut}},
		"sched_setattr": {args: []kind{kPidTgid, kSchedAttrIn, kUint}},
	})
}
