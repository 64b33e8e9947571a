package strace

import "github.com/eproc/eproc/loader/wire"

// process_madvise, as strace 6.1's mem.c prints it: the pidfd, the iovec
// array with its bases as addresses (tprint_iov with iov_decode_addr),
// its length, the advice and the flags.

// iovAddrMax is the iovec elements captured: strace prints at most
// strsize of them, reading one more.
const iovAddrMax = 64

// kIovAddrs is an iovec array whose length is the next argument, its
// bases printed as addresses: [{iov_base=0x..., iov_len=N}, ...].
var kIovAddrs = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 16, max: 16 * iovAddrMax, when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		printArray(p, c, i, 16, c.Args[i+1], func(p *printer, _ uint64, b []byte) bool {
			p.s("{iov_base=")
			p.ptr(le.Uint64(b))
			p.s(", iov_len=")
			p.u(le.Uint64(b[8:]))
			p.c('}')
			return true
		})
	}})

var kHex32 = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]&0xffffffff) }})

func init() {
	registerSigs(map[string]sig{
		"process_madvise": {args: []kind{kFd, kIovAddrs, kUlong, kMadvice, kHex32}, class: ClassDesc},
	})
}
