package strace

import "github.com/eproc/eproc/loader/wire"

// move_pages, as strace 6.1's numa.c prints it: the pid, the count, the
// pages (addresses) and nodes (ints) at entry, the status (an errno per
// page, or the node) and the flags at exit. The arrays are captured up to
// movePagesMax elements, or up to a page that cannot be read.

const movePagesMax = 64

var (
	kMovePages = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 8, max: 8 * movePagesMax, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) {
			printArray(p, c, i, 8, c.Args[1], func(p *printer, _ uint64, b []byte) bool {
				p.ptr(le.Uint64(b))
				return true
			})
		}})
	kMoveNodes = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -2, elem: 4, max: 4 * movePagesMax, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) {
			printArray(p, c, i, 4, c.Args[1], func(p *printer, _ uint64, b []byte) bool {
				p.d(int64(int32(le.Uint32(b))))
				return true
			})
		}})
	kMoveStatus = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -3, elem: 4, max: 4 * movePagesMax, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			// A failed call's status is not read (CWOK): but an empty
			// one needs no reading, and strace prints it, "[]".
			if c.Args[i] != 0 && c.Args[1] != 0 && (c.Ret < 0 || !c.Complete()) {
				p.ptr(c.Args[i])
				return
			}
			printArray(p, c, i, 4, c.Args[1], func(p *printer, _ uint64, b []byte) bool {
				negErr(p, int64(int32(le.Uint32(b))))
				return true
			})
		}})
	kMoveFlags = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, c.Args[i]&0xffffffff, []flag{{2, "MPOL_MF_MOVE"}, {4, "MPOL_MF_MOVE_ALL"}}, "", "MPOL_???")
	}})
)

// negErr prints a negated errno as print_err(v, true) does: -EFAULT, or
// the number.
func negErr(p *printer, v int64) {
	name := ""
	if v < 0 {
		name = errnoName(-v)
	}
	if name == "" || p.style != ConstAbbrev {
		p.d(v)
	}
	switch {
	case name == "" || p.style == ConstRaw:
	case p.style == ConstAbbrev:
		p.c('-')
		p.s(name)
	default:
		p.comment("-" + name)
	}
}

func init() {
	registerSigs(map[string]sig{
		"move_pages": {args: []kind{kPidTgid, kUlong, kMovePages, kMoveNodes, kMoveStatus, kMoveFlags}, class: ClassMemory},
	})
}
