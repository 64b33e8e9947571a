package strace

// The NUMA memory policy calls mbind, set_mempolicy, get_mempolicy and
// migrate_pages, as strace 6.1 prints them (numa.c). The node masks are
// printed as addresses: strace reads (maxnode+62)/64 words of them, a size
// the capture plans cannot express.

var (
	mpolModes     = []flag{{0, "MPOL_DEFAULT"}, {1, "MPOL_PREFERRED"}, {2, "MPOL_BIND"}, {3, "MPOL_INTERLEAVE"}, {4, "MPOL_LOCAL"}, {5, "MPOL_PREFERRED_MANY"}}
	mpolModeFlags = []flag{{1 << 15, "MPOL_F_STATIC_NODES"}, {1 << 14, "MPOL_F_RELATIVE_NODES"}, {1 << 13, "MPOL_F_NUMA_BALANCING"}}
)

// mpolMode prints a memory policy mode as strace's print_mode does: the
// mode's name, with its flags when it has some.
func mpolMode(p *printer, v uint64) {
	const flagsMask = 1<<15 | 1<<14 | 1<<13
	mode, flags := v&^flagsMask, v&flagsMask
	if flags == 0 {
		p.xlat(mode, mpolModes, "/MPOL_???")
		return
	}
	name := lookupName(mode, mpolModes)
	if name == "" && mode != 0 {
		p.flagsDflt(v, mpolModeFlags, "", "MPOL_???")
		return
	}
	if name == "" {
		name = "MPOL_DEFAULT"
	}
	p.whole(func() { p.x(v) }, func() {
		p.s(name)
		p.c('|')
		p.flags(flags, mpolModeFlags, "")
	})
}

var (
	kMpolMode    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { mpolMode(p, c.Args[i]) }})
	kMpolMode32  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { mpolMode(p, c.Args[i]&0xffffffff) }})
	kMbindFlags  = flagsKind([]flag{{1, "MPOL_MF_STRICT"}, {2, "MPOL_MF_MOVE"}, {4, "MPOL_MF_MOVE_ALL"}}, "MPOL_???")
	kGetMpolFlag = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.flagsDflt(c.Args[i], []flag{{1, "MPOL_F_NODE"}, {2, "MPOL_F_ADDR"}, {4, "MPOL_F_MEMS_ALLOWED"}}, "", "MPOL_???")
	}})
	// kMpolOut is get_mempolicy's int *mode: [MPOL_...].
	kMpolOut = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) {
		b := capturedOut(c, i, 4)
		if b == nil {
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.xlat(uint64(le.Uint32(b)), mpolModes, "/MPOL_???")
		p.c(']')
	}})
	// kNodemaskOut is get_mempolicy's node mask, an output (printed at exit).
	kNodemaskOut = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }})
)

func init() {
	registerSigs(map[string]sig{
		"mbind":         {args: []kind{kPtr, kUlong, kMpolMode, kPtr, kUlong, kMbindFlags}, class: ClassMemory},
		"set_mempolicy": {args: []kind{kMpolMode32, kPtr, kUlong}, class: ClassMemory},
		"get_mempolicy": {args: []kind{kMpolOut, kNodemaskOut, kUlong, kPtr, kGetMpolFlag}, class: ClassMemory},
		"migrate_pages": {args: []kind{kPidTgid, kUlong, kPtr, kPtr}, class: ClassMemory},
	})
}
