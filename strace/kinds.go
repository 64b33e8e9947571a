package strace

import (
	"math"

	"github.com/eproc/eproc/loader/wire"
	"golang.org/x/sys/unix"
)

// kinds is the table of argument kinds; newKind adds a row. Family files
// declare their kinds as package variables: var kFoo = newKind(...).
var kinds []kindInfo

func newKind(k kindInfo) kind {
	if len(kinds) > math.MaxUint16 {
		panic("strace: more argument kinds than type kind holds")
	}
	kinds = append(kinds, k)
	return kind(len(kinds) - 1)
}

// Capture rules shared by many kinds.
var (
	capPath   = capRule{kind: wire.CKStr, max: 4096, when: wire.CWIn}
	capStr    = capRule{kind: wire.CKStr, when: wire.CWIn}
	capBufIn  = capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, when: wire.CWIn}
	capBufOut = capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, when: wire.CWOK}
)

func capIn(size int) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: uint16(size), max: uint16(size), when: wire.CWIn}
}

func capOut(size int) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: uint16(size), max: uint16(size), when: wire.CWOK}
}

// capOutAny captures an output at every exit, whatever the result: for
// outputs the kernel writes on some errors too (the printer decides).
func capOutAny(size int) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: uint16(size), max: uint16(size)}
}

// Scalar kinds.
var (
	kHex   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.x(c.Args[i]) }})
	kPtr   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }})
	kInt   = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }})
	kUint  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.u(uint64(uint32(c.Args[i]))) }})
	kLong  = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.d(int64(c.Args[i])) }})
	kUlong = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.u(c.Args[i]) }})
	kFd    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.fd(c, int32(c.Args[i])) }})
	// kFdTarget is dup2's and dup3's new descriptor: open or not.
	kFdTarget = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { p.fdOpen(c, int32(c.Args[i]), false) }})
	kDirfd    = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		if int32(c.Args[i]) == unix.AT_FDCWD {
			p.constVal(uint64(int64(int32(c.Args[i]))), 'd', "AT_FDCWD")
			if p.fds != nil && p.fds.set&DecodeFdPath != 0 {
				// strace -y prints the working directory with it, when
				// the kernel can name it (d_path: a page at most).
				if cwd := p.fds.cwd(c.Tgid); cwd != "" && len(cwd) <= pathShown {
					p.c('<')
					p.quoteAngle(cwd)
					p.c('>')
				}
			}
			return
		}
		p.fd(c, int32(c.Args[i]))
	}})
	// kOctal is open's and creat's mode: strace's print_numeric_umode_t,
	// an unsigned short as %#03o.
	kOctal = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { octalMode(p, uint64(uint16(c.Args[i]))) }})
)

// Memory kinds.
var (
	kPath   = newKind(kindInfo{cap: capPath, fmt: fmtStr})
	kStr    = newKind(kindInfo{cap: capStr, fmt: fmtStrLimited})
	kBufIn  = newKind(kindInfo{cap: capBufIn, fmt: fmtBufIn})
	kBufOut = newKind(kindInfo{out: true, cap: capBufOut, fmt: fmtBufOut})
)

// pathShown is the longest path the kernel names (d_path's page, less
// the NUL): PATH_MAX - 1.
const pathShown = 4095

// fmtStr prints a NUL-terminated string argument.
func fmtStr(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 0)
	if cp == nil {
		return
	}
	p.quote(cp.Data, cp.Trunc() && !wholePath(c, i, cp.Data))
}

// wholePath says whether path argument i, captured cut at pathShown
// bytes, is in fact whole: capPath's capture cannot tell a path of
// exactly pathShown bytes from a longer one (reading one more could fault
// where strace reads none), but the kernel refuses a longer path with
// ENAMETOOLONG. So a call that succeeded had all of it, and so had one
// that failed otherwise, when it takes no other path that could be the
// one it failed on.
func wholePath(c *Call, i int, d []byte) bool {
	if len(d) != pathShown || !c.Complete() || c.Ret == -int64(unix.ENAMETOOLONG) {
		return false
	}
	if c.Ret >= 0 {
		return true
	}
	for j, k := range lookup(c.Nr).signature().args {
		if r := kinds[k].cap; j != i && r.kind == capPath.kind && r.max == capPath.max { // capPath, capPathExact
			return false
		}
	}
	return true
}

// fmtStrLimited prints a NUL-terminated string argument cut at -s. It is
// captured one byte longer than that (capStr), so a string of exactly -s
// bytes is whole and one longer is cut with "...".
func fmtStrLimited(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 0)
	if cp == nil {
		return
	}
	quoteLimited(p, cp.Data, cp.Trunc())
}

// fmtBufIn prints a buffer whose length is the next argument.
func fmtBufIn(p *printer, c *Call, i int) {
	n := c.Args[i+1]
	fmtData(p, c, i, n)
}

// fmtBufOut prints a buffer the call filled, as long as its result.
func fmtBufOut(p *printer, c *Call, i int) {
	if c.Ret < 0 || !c.Complete() {
		p.ptr(c.Args[i])
		return
	}
	fmtData(p, c, i, uint64(c.Ret))
}

func fmtData(p *printer, c *Call, i int, n uint64) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() {
		p.ptr(c.Args[i])
		return
	}
	show := cp.Data
	if lim := uint64(p.strsize); uint64(len(show)) > lim {
		show = show[:lim]
	}
	p.quote(show, uint64(len(show)) < n)
}

// args prints the arguments [from, to) of c.
func (p *printer) args(s *sig, c *Call, from, to int) {
	p.qualify(c.Nr)
	for i := from; i < to; i++ {
		if i > from {
			p.s(", ")
		}
		if i < len(s.args) {
			kinds[s.args[i]].fmt(p, c, i)
		} else {
			p.x(c.Args[i])
		}
	}
}

// exitArgs prints the arguments [from, to) of c that come once it returned,
// after its entry's: with the separator first for a call whose entry
// leaves it to them (sig.sepAtExit).
func (p *printer) exitArgs(s *sig, c *Call, from, to int) {
	if s.sepAtExit && from > 0 {
		p.s(", ")
	}
	p.args(s, c, from, to)
}

// capturedOut returns the captured bytes of output argument i of a call that
// succeeded, or nil when there are none to show (the caller prints the
// address).
func capturedOut(c *Call, i int, size int) []byte {
	if c.Ret < 0 || !c.Complete() || c.Args[i] == 0 {
		return nil
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < size {
		return nil
	}
	return cp.Data
}

// captured is argument i's capture, when there is one of at least size
// bytes to print; else it prints what strace prints for the pointer (NULL,
// or the address of memory that was not captured, could not be read or is
// too short) and returns nil.
func captured(p *printer, c *Call, i, size int) *wire.Cap {
	if size > 0 && c.Args[i] != 0 && !p.verbose() { // -e verbose=none: structs' addresses
		p.x(c.Args[i])
		return nil
	}
	return capturedAlways(p, c, i, size)
}

// capturedAlways is captured whatever -e verbose= says: for strings
// strace reads with umovestr or umoven (never under verbose's rule).
func capturedAlways(p *printer, c *Call, i, size int) *wire.Cap {
	if c.Args[i] == 0 {
		p.s("NULL")
		return nil
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < size {
		p.x(c.Args[i])
		return nil
	}
	return cp
}

// capturedIn returns the captured bytes of input argument i, at least size long.
func capturedIn(c *Call, i int, size int) []byte {
	if c.Args[i] == 0 {
		return nil
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < size {
		return nil
	}
	return cp.Data
}

// structIn is a struct of size bytes the caller passes, printed by pr.
func structIn(size int, pr func(p *printer, b []byte)) kind {
	return newKind(kindInfo{cap: capIn(size), fmt: func(p *printer, c *Call, i int) {
		if !p.verbose() { // -e verbose=none: the address
			p.ptr(c.Args[i])
			return
		}
		if cp := captured(p, c, i, size); cp != nil {
			pr(p, cp.Data)
		}
	}})
}

// structOut is a struct of size bytes the call fills: NULL, its address
// when the call failed or it could not be read, else printed by pr.
func structOut(size int, pr func(p *printer, b []byte)) kind {
	return newKind(kindInfo{out: true, cap: capOut(size), fmt: func(p *printer, c *Call, i int) {
		if c.Args[i] == 0 {
			p.s("NULL")
			return
		}
		d := capturedOut(c, i, size)
		if d == nil || !p.verbose() {
			p.x(c.Args[i])
			return
		}
		pr(p, d)
	}})
}

func flagsKind(tab []flag, unknown string) kind {
	return newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, uint64(uint32(c.Args[i])), tab, "", unknown)
	}})
}

func xlatKind(tab []flag, unknown string) kind {
	return newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		xlatOrUnknown(p, uint64(uint32(c.Args[i])), tab, unknown)
	}})
}

// capturedU64 returns the first 8 bytes of argument i's capture.
func capturedU64(c *Call, i int) (uint64, bool) {
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() || len(cp.Data) < 8 {
		return 0, false
	}
	return le.Uint64(cp.Data), true
}
