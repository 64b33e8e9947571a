package strace

import "github.com/eproc/eproc/loader/wire"

// select and pselect6, as strace 6.1's decode_select (desc.c) and
// do_pselect6 print them. The sets print as the call was given them
// when they were read at entry (element wire.EntryIdx of their
// arguments), else as captured; the kernel writes the ready descriptors
// over them, printed with the result from the capture at exit. (No
// entry program reads the sets yet: a call that did not block prints
// them as the kernel left them.)

// selectNfds is decode_select's count: the int, 0 when negative, at
// most 1M.
func selectNfds(c *Call) int { return min(max(int(int32(c.Args[0])), 0), 1<<20) }

// selectFdsize is how many bytes of each set strace reads: whole words.
func selectFdsize(nfds int) int { return ((nfds+7)/8 + 7) &^ 7 }

// fdsetAt is set argument i as strace reads it: as the call was given it
// (entry) or left it; nil when strace's read fails (or it was not
// captured). Its bits past nfds are not the set's.
func fdsetAt(c *Call, i int, entry bool) []byte {
	if c.Args[i] == 0 {
		return nil
	}
	var cp *wire.Cap
	if entry {
		cp = c.Cap(i, wire.EntryIdx)
	}
	if cp == nil {
		cp = c.Cap(i, 0)
	}
	fdsize := selectFdsize(selectNfds(c))
	switch {
	case cp == nil || cp.Fault() && !cp.Part():
		return nil
	case len(cp.Data) >= fdsize:
		return cp.Data[:fdsize]
	case cp.Fault(): // a page ends before fdsize bytes: strace's read fails
		return nil
	}
	return cp.Data // all that was captured: the capture's most
}

// fdset prints a descriptor set; with c, its descriptors as -y prints
// them (the sets given; strace prints those returned as numbers).
func fdset(p *printer, c *Call, b []byte, nfds int) {
	p.c('[')
	first := true
	for fd := 0; fd < nfds && fd/8 < len(b); fd++ {
		if b[fd/8]&(1<<(fd%8)) == 0 {
			continue
		}
		if !first {
			p.c(' ')
		}
		first = false
		if c != nil {
			p.fd(c, int32(fd))
		} else {
			p.d(int64(fd))
		}
	}
	p.c(']')
}

// fmtFdset: no set read (its address) when nfds is not positive or under
// -e verbose=none.
func fmtFdset(p *printer, c *Call, i int) {
	nfds := selectNfds(c)
	b := fdsetAt(c, i, true)
	if nfds == 0 || b == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	fdset(p, c, b, nfds)
}

// selectOutMax and selectLeftMax are decode_select's room in its 1024-byte
// buffer: a descriptor is added while the text is shorter than the first,
// the time left when the text with it is shorter than the second.
const (
	selectOutMax  = 1024 - (len(", except [") + 1 + 12 + 2)
	selectLeftMax = 1024
)

// selectRet prints the ready descriptors as decode_select: set by set,
// as many as the result counts, then the time left.
func selectRet(timespec bool) func(p *printer, c *Call) {
	return func(p *printer, c *Call) {
		p.d(c.Ret)
		if c.Ret == 0 {
			p.s(" (Timeout)")
			return
		}
		p.s(" (")
		start, nfds, ready := len(p.b), selectNfds(c), c.Ret
		sep := ""
		for k, name := range []string{"in", "out", "except"} {
			if ready <= 0 {
				break
			}
			b := fdsetAt(c, k+1, false)
			if b == nil {
				continue
			}
			first := true
			for fd := 0; fd < nfds && fd/8 < len(b) && ready > 0; fd++ {
				if b[fd/8]&(1<<(fd%8)) == 0 {
					continue
				}
				if len(p.b)-start < selectOutMax {
					if first {
						p.s(sep)
						p.s(name)
						p.s(" [")
						first, sep = false, ", "
					} else {
						p.c(' ')
					}
					p.d(int64(fd))
				}
				ready--
			}
			if len(p.b) > start { // strace's: after any set once text began
				p.c(']')
			}
		}
		if c.Args[4] != 0 {
			mark := len(p.b)
			p.s(sep)
			p.s("left ")
			if b := capturedIn(c, 4, 16); b == nil || !p.verbose() {
				p.x(c.Args[4])
			} else if timespec {
				timespecBytes(p, b)
			} else {
				timevalBytes(p, b)
			}
			// sizeof("left ") counts its NUL: one more than written.
			if len(p.b)-start+1 >= selectLeftMax {
				p.b = p.b[:mark]
			}
		}
		p.c(')')
	}
}

// fmtPselectSig prints pselect6's {const sigset_t *ss; size_t ss_len;}
// as do_pselect6: the set (wire.CKDeref of its pointer) when its size is
// a sigset_t's, else its address.
func fmtPselectSig(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 16)
	if b == nil {
		p.ptr(c.Args[i])
		return
	}
	ptr, n := le.Uint64(b), le.Uint64(b[8:])
	p.s("{sigmask=")
	if set, ok := derefBytes(c.Cap(i, wire.DerefIdx), 8); ptr != 0 && n == 8 && ok {
		sigsetOfBytes(p, set)
	} else {
		p.ptr(ptr)
	}
	p.s(", sigsetsize=")
	p.u(n)
	p.c('}')
}

func fdsetRule(rel int8) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: rel, elem: 1, max: 256, when: wire.CWIn}
}

var (
	// The sets are captured nfds bytes long (no size source counts
	// bits), at most 256 (2048 descriptors; a set whose page ends sooner
	// is what precedes it, wire.CapPart).
	kFdset1 = newKind(kindInfo{cap: fdsetRule(-1), fmt: fmtFdset})
	kFdset2 = newKind(kindInfo{cap: fdsetRule(-2), fmt: fmtFdset})
	kFdset3 = newKind(kindInfo{cap: fdsetRule(-3), fmt: fmtFdset})
	// kSelectTimeval is select's timeout as given (its two words read at
	// entry): the kernel writes the time left over it.
	kSelectTimeval = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 16, max: 16, when: wire.CWIn,
		entry: 8, also: &[]capRule{{entry: 8, entryOff: 8}}}, fmt: func(p *printer, c *Call, i int) {
		fmtTimeAtEntry(p, c, i, true)
	}})
	// kPselectSig: the struct, and the set its pointer points to, as long
	// as its size says (a sigset_t's at most).
	kPselectSig = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 16, max: 16, when: wire.CWIn,
		entry: 8}, fmt: fmtPselectSig})
	kPselectTimespec = newKind(kindInfo{cap: capIn(16), fmt: fmtTimespecAtEntry})
)

func init() {
	const D = ClassDesc
	registerSigs(map[string]sig{
		"select":   {args: []kind{kInt, kFdset1, kFdset2, kFdset3, kSelectTimeval}, ret: selectRet(false), class: D},
		"pselect6": {args: []kind{kInt, kFdset1, kFdset2, kFdset3, kPselectTimespec, kPselectSig}, ret: selectRet(true), class: D},
	})
}
