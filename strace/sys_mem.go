package strace

import "golang.org/x/sys/unix"

// The memory family: mmap, munmap, mprotect, brk, madvise, msync, mremap,
// mlock, with strace's notation, checked against strace 6.1's output.

var (
	protFlags = []flag{{unix.PROT_READ, "PROT_READ"}, {unix.PROT_WRITE, "PROT_WRITE"}, {unix.PROT_EXEC, "PROT_EXEC"},
		{0x8, "PROT_SEM"}, {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"}}
	mmapTypes = []flag{{0, "MAP_FILE"}, {1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"}}
	// mmapFlagTab is in strace's order (xlat/mmap_flags.in), not by value.
	mmapFlagTab = []flag{{0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x100, "MAP_GROWSDOWN"}, {0x800, "MAP_DENYWRITE"},
		{0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"}, {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"},
		{0x80000, "MAP_SYNC"}, {0x4000000, "MAP_UNINITIALIZED"}, {0x100000, "MAP_FIXED_NOREPLACE"}}
	madvices = []flag{{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
		{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"}, {11, "MADV_DOFORK"},
		{12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"},
		{16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"}, {18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"},
		{20, "MADV_COLD"}, {21, "MADV_PAGEOUT"}, {22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"},
		{24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"}}
	msyncFlags  = []flag{{1, "MS_ASYNC"}, {2, "MS_INVALIDATE"}, {4, "MS_SYNC"}}
	mremapFlags = []flag{{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}}
)

func mmapFlags(p *printer, v uint64) {
	p.whole(func() { hexOrZero(p, v) }, func() { mmapFlagsAbbrev(p, v) })
}

// mmapFlagsAbbrev is strace's print_mmap_flags: the map type (MAP_TYPE,
// 0xf), the flags, then the huge page size as N<<MAP_HUGE_SHIFT.
func mmapFlagsAbbrev(p *printer, v uint64) {
	const hugeMask = 0x3f << 26
	p.xlat(v&0xf, mmapTypes, "/MAP_???")
	rest := v &^ 0xf
	huge := rest & hugeMask
	rest &^= hugeMask
	if rest != 0 {
		p.c('|')
		p.flags(rest, mmapFlagTab, "")
	}
	if huge != 0 {
		p.c('|')
		p.u(huge >> 26)
		p.s("<<MAP_HUGE_SHIFT")
	}
}

var (
	kProt        = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flagsDflt(c.Args[i], protFlags, "PROT_NONE", "PROT_???") }})
	kMmapFlags   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { mmapFlags(p, c.Args[i]) }})
	kMmapOffset  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]) }})
	kMadvice     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, madvices, "/MADV_???") }})
	kMsyncFlags  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, msyncFlags, "") }})
	kMremapFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flagsDflt(c.Args[i], mremapFlags, "", "MREMAP_???") }})
)

func addrRet(p *printer, c *Call) { p.x(uint64(c.Ret)) }

func init() {
	registerSigs(map[string]sig{
		"mmap":     {args: []kind{kPtr, kUlong, kProt, kMmapFlags, kFd, kMmapOffset}, ret: addrRet, class: ClassMemory | ClassDesc},
		"munmap":   {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"mprotect": {args: []kind{kPtr, kUlong, kProt}, class: ClassMemory},
		"brk":      {args: []kind{kPtr}, ret: addrRet, class: ClassMemory},
		"madvise":  {args: []kind{kPtr, kUlong, kMadvice}, class: ClassMemory},
		"msync":    {args: []kind{kPtr, kUlong, kMsyncFlags}, class: ClassMemory},
		"mremap":   {args: []kind{kPtr, kUlong, kUlong, kMremapFlags, kPtr}, ret: addrRet, class: ClassMemory, nargs: mremapNargs},
		"mlock":    {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"munlock":  {args: []kind{kPtr, kUlong}, class: ClassMemory},
	})
}

// mremapNargs: strace prints mremap's new address only when the flags
// have both MREMAP_MAYMOVE and MREMAP_FIXED.
func mremapNargs(c *Call) int {
	if c.Args[3]&3 == 3 {
		return 5
	}
	return 4
}
