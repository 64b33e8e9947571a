package strace

// Syscalls strace 6.1 predates (it prints them as syscall_0x1c3(...)), as
// strace 7.2 prints them: cachestat (cachestat.c), map_shadow_stack
// (map_shadow_stack.c) and mseal (mem.c).

var (
	// struct cachestat_range: off in hex, len.
	kCachestatRange = structIn(16, func(p *printer, b []byte) {
		p.s("{off=")
		hexOrZero(p, le.Uint64(b))
		p.s(", len=")
		p.u(le.Uint64(b[8:]))
		p.c('}')
	})
	// struct cachestat, filled by the call.
	kCachestat = structOut(40, func(p *printer, b []byte) {
		for k, name := range [...]string{"{nr_cache=", ", nr_dirty=", ", nr_writeback=", ", nr_evicted=", ", nr_recently_evicted="} {
			p.s(name)
			p.u(le.Uint64(b[8*k:]))
		}
		p.c('}')
	})
	// cachestat's flags, printed at exit after the struct the call
	// filled (an unsigned int, in hex).
	kCachestatFlags = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { hexOrZero(p, c.Args[i]&0xffffffff) }})
	// map_shadow_stack's flags: an unsigned int.
	kShadowStackFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.flagsDflt(c.Args[i]&0xffffffff, []flag{{1, "SHADOW_STACK_SET_TOKEN"}}, "", "SHADOW_STACK_???")
	}})
)

func init() {
	registerSigs(map[string]sig{
		"cachestat":        {args: []kind{kFd, kCachestatRange, kCachestat, kCachestatFlags}, class: ClassDesc},
		"map_shadow_stack": {args: []kind{kPtr, kUlong, kShadowStackFlags}, class: ClassMemory},
		"mseal":            {args: []kind{kPtr, kUlong, kHex0}, class: ClassMemory},
	})
}
