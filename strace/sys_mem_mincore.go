package strace

import (
	"os"

	"github.com/eproc/eproc/loader/wire"
)

// mincore, as strace 6.1's mem.c prints it: the address and the length at
// entry, then the vector at exit, one element per page of the length
// (rounded up), each its residency bit: [1, 0, ...], abbreviated as
// strace's print_array abbreviates.
//
// The capture is sized by the length, in bytes (wire.SzArg): no capture
// size is a number of pages. As the length is never less than its pages,
// the bytes captured, min(length, mincoreMax), hold every element printed
// (strsize of them, and the one past them strace reads); what is read past
// the vector is never printed, and a read that runs into a page that
// cannot be read keeps the bytes before it (wire.CapPart): the whole
// vector, when it ends there.

// mincoreMax is the vector's bytes captured at most: strace prints strsize
// elements and reads one more.
const mincoreMax = 256

var pageSize = uint64(os.Getpagesize())

// mincorePages is the vector's length: the length's pages, rounded up.
func mincorePages(n uint64) uint64 {
	pages := n / pageSize
	if n%pageSize != 0 {
		pages++
	}
	return pages
}

var kMincoreVec = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, max: mincoreMax, when: wire.CWOK},
	fmt: func(p *printer, c *Call, i int) {
		n := mincorePages(c.Args[1])
		printArray(p, c, i, 1, n, func(p *printer, _ uint64, b []byte) bool {
			p.u(uint64(b[0] & 1))
			return true
		})
	}})

func init() {
	registerSigs(map[string]sig{
		"mincore": {args: []kind{kPtr, kUlong, kMincoreVec}, class: ClassMemory},
	})
}
