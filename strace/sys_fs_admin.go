package strace

// File system administration: acct, swapon and swapoff, ustat, utime and
// lookup_dcookie, as strace's acct.c, swapon.c, ustat.c, utime.c and
// lookup_dcookie.c print them.

var swapFlags = []flag{
	{0x8000, "SWAP_FLAG_PREFER"}, {0x10000, "SWAP_FLAG_DISCARD"}, {0x20000, "SWAP_FLAG_DISCARD_ONCE"},
	{0x40000, "SWAP_FLAG_DISCARD_PAGES"},
}

const swapPrioMask = 0x7fff

var (
	// kSwapFlags is swapon's flags: the flags, then the priority.
	kSwapFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		v := uint64(uint32(c.Args[i]))
		if fl := v &^ swapPrioMask; fl != 0 {
			flagsOrUnknown(p, fl, swapFlags, "", "SWAP_FLAG_???")
			p.c('|')
		}
		p.u(v & swapPrioMask)
	}})
	// kUstat is ustat's struct ustat: f_tfree and f_tinode.
	kUstat = newKind(kindInfo{out: true, cap: capOut(32), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 32)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{f_tfree=")
		p.u(uint64(le.Uint32(b)))
		p.s(", f_tinode=")
		p.u(le.Uint64(b[8:]))
		p.c('}')
	}})
	// kUtimbuf is utime's struct utimbuf, each time with its date.
	kUtimbuf = newKind(kindInfo{cap: capIn(16), fmt: func(p *printer, c *Call, i int) {
		b := capturedIn(c, i, 16)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.s("{actime=")
		at := int64(le.Uint64(b))
		p.d(at)
		timeComment(p, at, 0, 0, 0)
		p.s(", modtime=")
		mt := int64(le.Uint64(b[8:]))
		p.d(mt)
		timeComment(p, mt, 0, 0, 0)
		p.c('}')
	}})
)

func init() {
	const F = ClassFile
	registerSigs(map[string]sig{
		"acct":           {args: []kind{kPath}, class: F},
		"swapon":         {args: []kind{kPath, kSwapFlags}, class: F},
		"swapoff":        {args: []kind{kPath}, class: F},
		"ustat":          {args: []kind{kDev, kUstat}, class: ClassStatfsLike},
		"utime":          {args: []kind{kPath, kUtimbuf}, class: F},
		"lookup_dcookie": {args: []kind{kUlong, kBufOut, kUlong}},
	})
}
