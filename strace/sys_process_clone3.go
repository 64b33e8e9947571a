package strace

import "github.com/eproc/eproc/loader/wire"

// clone3, as strace 6.1's clone.c prints it: struct clone_args, captured
// as long as its size argument says (up to a page, as strace reads it),
// and after the call " => {...}" with what the call filled. set_tid's
// array is captured as the call enters, pidfd and parent_tid as it
// returns (wire.CKDeref).

// clone3Flags are clone's flags strace names for clone3 (clone_flags, but
// CLONE_DETACHED, then clone3_flags).
var clone3Flags = func() []flag {
	var tab []flag
	for _, f := range cloneFlagTab {
		switch f.v {
		case 0x400000, 0x100000000, 0x200000000:
		default:
			tab = append(tab, f)
		}
	}
	return append(tab, flag{0x80, "CLONE_NEWTIME"}, flag{0x100000000, "CLONE_CLEAR_SIGHAND"}, flag{0x200000000, "CLONE_INTO_CGROUP"})
}()

const (
	cloneArgsMin  = 64 // up to tls: CLONE_ARGS_SIZE_VER0
	cloneArgsSize = 88 // struct clone_args
	clonePidfd    = 0x1000
	cloneChildTID = 0x1000000 | 0x200000
	cloneParent   = 0x100000
	cloneSettls   = 0x80000
	cloneCgroup   = 0x200000000
)

// set_tid's array: at most 32 pids (strace prints the address of a
// longer one).
var kClone3Args = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: wire.CWIn,
	also: &[]capRule{{kind: wire.CKDeref, elem: 4, max: 4 * 32, when: wire.CWIn, ptrOff: 64, cntOff: 72, cntSize: 8},
		{kind: wire.CKDeref, elem: 4, max: 4, when: wire.CWOK, ptrOff: 8},    // pidfd, as the call stored it
		{kind: wire.CKDeref, elem: 4, max: 4, when: wire.CWOK, ptrOff: 24}}}, // parent_tid
	fmt: fmtClone3Args})

func fmtClone3Args(p *printer, c *Call, i int) {
	size := c.Args[i+1]
	fetch := min(size, cloneArgsSize)
	cp := c.Cap(i, 0)
	if size < cloneArgsMin || c.Args[i] == 0 || !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || uint64(len(cp.Data)) < fetch {
		p.ptr(c.Args[i]) // -e verbose=: umoven_or_printaddr; nothing at exit either
		return
	}
	var d [cloneArgsSize]byte
	copy(d[:], cp.Data[:fetch])
	u := func(off int) uint64 { return le.Uint64(d[off:]) }
	fl := u(0)
	p.s("{flags=")
	flagsOrUnknown(p, fl, clone3Flags, "", "CLONE_???")
	field := func(name string, v uint64) {
		p.s(", ")
		p.s(name)
		p.c('=')
		p.ptr(v)
	}
	if fl&clonePidfd != 0 {
		field("pidfd", u(8))
	}
	if fl&cloneChildTID != 0 {
		field("child_tid", u(16))
	}
	if fl&cloneParent != 0 {
		field("parent_tid", u(24))
	}
	p.s(", exit_signal=")
	if sig := u(32); sig < 0x7fffffff {
		argSignal(p, int(sig), kernelSignalName)
	} else {
		p.u(sig)
	}
	field("stack", u(40))
	p.s(", stack_size=")
	hexOrZero(p, u(48))
	if fl&cloneSettls != 0 {
		field("tls", u(56))
	}
	if tid, n := u(64), u(72); tid != 0 || n != 0 {
		p.s(", set_tid=")
		if tid == 0 || n == 0 || n > 32 {
			p.ptr(tid)
		} else {
			printArrayAt(p, tid, c.Cap(i, wire.DerefIdx+64), 4, n, func(p *printer, _ uint64, b []byte) bool {
				p.d(int64(int32(le.Uint32(b))))
				return true
			})
		}
		p.s(", set_tid_size=")
		p.u(n)
	}
	if fetch > 80 && (u(80) != 0 || fl&cloneCgroup != 0) {
		p.s(", cgroup=")
		p.u(u(80))
	}
	total := min(size, 4096)
	structTail(p, cp, int(fetch), total)
	p.c('}')
	if c.Complete() && c.Ret >= 0 {
		clone3Changed(p, c, fl, u(8), u(24), func(p *printer) { structTail(p, cp, int(fetch), total) })
	}
}

// clone3Changed prints what strace prints at exit: " => {pidfd=[fd],
// parent_tid=[tid], and the struct's tail past clone_args again (tail, as
// ", ..." or nothing)}", each int as the call stored it (its address when
// it could not be read).
func clone3Changed(p *printer, c *Call, fl, pidfd, ptid uint64, tail func(p *printer)) {
	first := true
	out := func(name string, addr uint64, off int) {
		if first {
			p.s(" => {")
			first = false
		} else {
			p.s(", ")
		}
		p.s(name)
		p.c('=')
		// The int the call stored there, read at its exit (wire.CKDeref).
		cp := c.Cap(0, wire.DerefIdx+off)
		if addr == 0 || cp == nil || cp.Fault() || len(cp.Data) < 4 {
			p.ptr(addr)
			return
		}
		p.c('[')
		if v := int32(le.Uint32(cp.Data)); off == 8 {
			p.pidfd(c, v) // printnum_fd
		} else {
			p.d(int64(v))
		}
		p.c(']')
	}
	if fl&clonePidfd != 0 {
		out("pidfd", pidfd, 8)
	}
	if fl&cloneParent != 0 {
		out("parent_tid", ptid, 24)
	}
	at := len(p.b)
	tail(p)
	if len(p.b) > at && first { // the tail's ", " opens the struct
		p.b = append(p.b[:at], append([]byte(" => {"), p.b[at+2:]...)...)
		first = false
	}
	if !first {
		p.c('}')
	}
}
