package strace

import "golang.org/x/sys/unix"

// The memory family: mmap, munmap, mprotect, brk, madvise, msync, mremap,
// mlock, with strace's notation, checked against strace 6.1's output.

var (
	protFlags = []flag{{unix.PROT_READ, "PROT_READ"}, {unix.PROT_WRITE, "PROT_WRITE"}, {unix.PROT_EXEC, "PROT_EXEC"},
		{0x8, "PROT_SEM"}, {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"}}
	mmapTypes   = []flag{{1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"}}
	mmapFlagTab = []flag{{0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"}, {0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"},
		{0x80000, "MAP_SYNC"}, {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"}}
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
	v &= 0xffffffff
	p.whole(func() { hexOrZero(p, v) }, func() { mmapFlagsAbbrev(p, v) })
}

func mmapFlagsAbbrev(p *printer, v uint64) {
	t := v & 3
	rest := v &^ 3
	if t != 0 {
		p.xlat(t, mmapTypes, "")
		if rest != 0 {
			p.c('|')
		}
	}
	if rest != 0 || t == 0 {
		p.flags(rest, mmapFlagTab, "")
	}
}

var (
	kProt        = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, protFlags, "PROT_NONE") }})
	kMmapFlags   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { mmapFlags(p, c.Args[i]) }})
	kMmapOffset  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]) }})
	kMadvice     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.xlat(c.Args[i]&0xffffffff, madvices, "/MADV_???") }})
	kMsyncFlags  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, msyncFlags, "") }})
	kMremapFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.flags(c.Args[i]&0xffffffff, mremapFlags, "") }})
)

func addrRet(p *printer, c *Call) { p.x(uint64(c.Ret)) }

func init() {
	registerSigs(map[string]sig{
		"mmap":     {args: []kind{kPtr, kUlong, kProt, kMmapFlags, kFd, kMmapOffset}, ret: addrRet, class: ClassMemory},
		"munmap":   {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"mprotect": {args: []kind{kPtr, kUlong, kProt}, class: ClassMemory},
		"brk":      {args: []kind{kPtr}, ret: addrRet, class: ClassMemory},
		"madvise":  {args: []kind{kPtr, kUlong, kMadvice}, class: ClassMemory},
		"msync":    {args: []kind{kPtr, kUlong, kMsyncFlags}, class: ClassMemory},
		"mremap":   {args: []kind{kPtr, kUlong, kUlong, kMremapFlags, kPtr}, ret: addrRet, class: ClassMemory},
		"mlock":    {args: []kind{kPtr, kUlong}, class: ClassMemory},
		"munlock":  {args: []kind{kPtr, kUlong}, class: ClassMemory},
	})
}
