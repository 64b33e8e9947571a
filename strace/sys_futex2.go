package strace

// futex_wake, futex_wait and futex_requeue (Linux 6.7), which strace 6.1
// does not know: as strace 7.2 prints them (its futex2.c).

var (
	futex2Sizes = []flag{{0, "FUTEX2_SIZE_U8"}, {1, "FUTEX2_SIZE_U16"}, {2, "FUTEX2_SIZE_U32"}, {3, "FUTEX2_SIZE_U64"}}
	futex2Flags = []flag{{0x04, "FUTEX2_NUMA"}, {0x08, "FUTEX2_MPOL"}, {0x80, "FUTEX2_PRIVATE"}}
)

// futex2FlagsVal prints FUTEX2 flags: the size (its two low bits, always
// named, U8 too), then the named flags and the rest in hex; under -X raw
// the number, under -X verbose the number and the names in a comment.
func futex2FlagsVal(p *printer, v uint32) {
	p.whole(func() { hexOrZero(p, uint64(v)) }, func() {
		p.s(lookupName(uint64(v&3), futex2Sizes))
		rest := uint64(v &^ 3)
		for _, f := range futex2Flags {
			if rest&f.v != 0 {
				p.c('|')
				p.s(f.name)
				rest &^= f.v
			}
		}
		if rest != 0 {
			p.c('|')
			p.x(rest)
		}
	})
}

// futexMask64 is the futex2 calls' 64-bit bitset: FUTEX_BITSET_MATCH_ANY
// is 0xffffffff exactly (strace's printxval64 of futexbitset).
func futexMask64(p *printer, v uint64) {
	if v == 0xffffffff {
		p.constVal(v, 'x', "FUTEX_BITSET_MATCH_ANY")
		return
	}
	hexOrZero(p, v)
}

var (
	kFutex2Flags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { futex2FlagsVal(p, uint32(c.Args[i])) }})
	kFutexMask64 = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { futexMask64(p, c.Args[i]) }})
	// kFutex2Waiters is futex_requeue's two struct futex_waitv.
	kFutex2Waiters = newKind(kindInfo{cap: capIn(2 * waitvSize), fmt: func(p *printer, c *Call, i int) {
		if c.Args[i] != 0 && !p.verbose() {
			p.x(c.Args[i])
			return
		}
		printArray(p, c, i, waitvSize, 2, futex2Waiter)
	}})
)

// futex2Waiter prints a struct futex_waitv with FUTEX2 flags.
func futex2Waiter(p *printer, _ uint64, w []byte) bool {
	p.s("{val=")
	hexOrZero(p, le.Uint64(w))
	p.s(", uaddr=")
	p.ptr(le.Uint64(w[8:]))
	p.s(", flags=")
	futex2FlagsVal(p, le.Uint32(w[16:]))
	if r := le.Uint32(w[20:]); r != 0 {
		p.s(", __reserved=")
		p.x(uint64(r))
	}
	p.c('}')
	return true
}

func init() {
	registerSigs(map[string]sig{
		"futex_wake":    {args: []kind{kPtr, kFutexMask64, kInt, kFutex2Flags}},
		"futex_wait":    {args: []kind{kPtr, kUlong, kFutexMask64, kFutex2Flags, kTimespec, kClockName}},
		"futex_requeue": {args: []kind{kFutex2Waiters, kUintHex, kInt, kInt}},
	})
}
