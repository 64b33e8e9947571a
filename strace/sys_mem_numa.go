package strace

import (
	"fmt"

	"github.com/eproc/eproc/loader/wire"
)

// The NUMA memory policy calls mbind, set_mempolicy, get_mempolicy,
// migrate_pages and move_pages, as strace 6.1 prints them (numa.c). A
// node mask is (maxnode+62)/64 words, a size the capture plans cannot
// express: nodemaskMax bytes are captured, or those before a page that
// cannot be read, and printArray prints the words strace shows from them.

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
		if b == nil || !p.verbose() { // -e verbose=: umove_or_printaddr
			p.ptr(c.Args[i])
			return
		}
		p.c('[')
		p.xlat(uint64(le.Uint32(b)), mpolModes, "/MPOL_???")
		p.c(']')
	}})
	// kNodemaskOut is get_mempolicy's node mask, an output (printed at
	// exit, its address when the call failed); maxnode follows it.
	kNodemaskOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: nodemaskMax, max: nodemaskMax, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if c.Args[i] != 0 && (c.Ret < 0 || !c.Complete()) {
				p.ptr(c.Args[i])
				return
			}
			nodemask(p, c, i, c.Args[i+1])
		}})
	// kNodemaskIn, kNodemaskIn2: an input node mask, maxnode the next
	// argument (set_mempolicy, mbind) or the one before the one before
	// (migrate_pages' new_nodes).
	kNodemaskIn  = newKind(kindInfo{cap: capIn(nodemaskMax), fmt: func(p *printer, c *Call, i int) { nodemask(p, c, i, c.Args[i+1]) }})
	kNodemaskOld = newKind(kindInfo{cap: capIn(nodemaskMax), fmt: func(p *printer, c *Call, i int) { nodemask(p, c, i, c.Args[i-1]) }})
	kNodemaskNew = newKind(kindInfo{cap: capIn(nodemaskMax), fmt: func(p *printer, c *Call, i int) { nodemask(p, c, i, c.Args[i-2]) }})
)

// nodemaskMax is the bytes of a node mask captured: 64 words.
const nodemaskMax = 8 * 64

// nodemask prints argument i, a node mask of maxnode bits, as strace's
// print_nodemask: its words as %#016lx (0 as 16 zeros).
func nodemask(p *printer, c *Call, i int, maxnode uint64) {
	nmemb := (maxnode + 62) / 64 // wrapping around as strace's does
	if nmemb < maxnode/64 || maxnode != 0 && nmemb == 0 {
		p.ptr(c.Args[i])
		return
	}
	printArray(p, c, i, 8, nmemb, func(p *printer, _ uint64, b []byte) bool {
		if v := le.Uint64(b); v == 0 {
			p.s("0000000000000000")
		} else {
			p.s(fmt.Sprintf("0x%014x", v)) // C's %#016lx: 16 with the 0x
		}
		return true
	})
}

func init() {
	registerSigs(map[string]sig{
		"mbind":         {args: []kind{kPtr, kUlong, kMpolMode, kNodemaskIn, kUlong, kMbindFlags}, class: ClassMemory},
		"set_mempolicy": {args: []kind{kMpolMode32, kNodemaskIn, kUlong}, class: ClassMemory},
		"get_mempolicy": {args: []kind{kMpolOut, kNodemaskOut, kUlong, kPtr, kGetMpolFlag}, class: ClassMemory},
		"migrate_pages": {args: []kind{kPidTgid, kUlong, kNodemaskOld, kNodemaskNew}, class: ClassMemory},
	})
}
