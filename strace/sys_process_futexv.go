package strace

import "github.com/eproc/eproc/loader/wire"

// futex_waitv, as strace 6.1's futex_waitv.c prints it.

const (
	waitvSize = 24  // struct futex_waitv
	waitvMax  = 128 // FUTEX_WAITV_MAX: strace prints no more
)

var futexWaiterFlags = []flag{{2, "FUTEX_32"}, {128, "FUTEX_PRIVATE_FLAG"}}

// kFutexWaiters is the array of struct futex_waitv, as long as the next
// argument (an unsigned int) says.
var kFutexWaiters = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: waitvSize, max: waitvSize * (waitvMax + 1), when: wire.CWIn},
	fmt: func(p *printer, c *Call, i int) {
		n := int(uint32(c.Args[i+1]))
		if c.Args[i] == 0 {
			p.s("NULL")
			return
		}
		if n == 0 {
			p.s("[]")
			return
		}
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() || len(cp.Data) < waitvSize {
			p.x(c.Args[i])
			return
		}
		d := cp.Data
		p.c('[')
		for k := 0; k < n; k++ {
			if k > 0 {
				p.s(", ")
			}
			if k == waitvMax || k == p.strsize && p.abbrev() || waitvSize*(k+1) > len(d) {
				p.s("...")
				break
			}
			w := d[waitvSize*k:]
			p.s("{val=")
			hexOrZero(p, le.Uint64(w))
			p.s(", uaddr=")
			p.ptr(le.Uint64(w[8:]))
			p.s(", flags=")
			flagsOrUnknown(p, uint64(le.Uint32(w[16:])), futexWaiterFlags, "", "FUTEX_???")
			if r := le.Uint32(w[20:]); r != 0 {
				p.s(", __reserved=")
				p.x(uint64(r))
			}
			p.c('}')
		}
		p.c(']')
	}})

// kClockName is a clock id with strace's /* CLOCK_??? */ when unknown.
var kClockName = xlatKind(clockIDs, "CLOCK_???")

func init() {
	registerSigs(map[string]sig{
		"futex_waitv": {args: []kind{kFutexWaiters, kUint, kUintHex, kTimespec, kClockName}},
	})
}
