package strace

import "github.com/eproc/eproc/loader/wire"

// The *xattrat calls (Linux 6.13), which strace 6.1 does not know:
// setxattrat, getxattrat, listxattrat and removexattrat, as strace 7.2's
// xattr.c prints them. Their dirfd, path and AT_ flags come first; the
// value of setxattrat and getxattrat is in a struct xattr_args (value,
// size, flags) whose size is the last argument.

// xattrArgsSize is struct xattr_args' (XATTR_ARGS_SIZE_VER0).
const xattrArgsSize = 16

var xattrFlagTab = []flag{{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}}

// capXattrArgs is the struct, as long as the size argument says (a page
// at most: the bytes past its 16 are printed when not zero), and the
// value it points to: as long as its size field, -s's bytes and one at
// most (element wire.DerefIdx).
func capXattrArgs(valueWhen uint8) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: wire.CWIn,
		also: &[]capRule{{kind: wire.CKDeref, elem: 1, ptrOff: 0, cntOff: 8, cntSize: 4, when: valueWhen}}}
}

var (
	kXattratFlags = flagsKind([]flag{{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x1000, "AT_EMPTY_PATH"}}, "AT_???")
	// kXattrArgsIn is setxattrat's args: the value given, of its size.
	kXattrArgsIn = newKind(kindInfo{cap: capXattrArgs(wire.CWIn), fmt: func(p *printer, c *Call, i int) {
		if b := xattrArgs(p, c, i); b != nil {
			xattrArgsStruct(p, c, i, b, true, uint64(le.Uint32(b[8:])))
		}
	}})
	// kXattrArgsOut is getxattrat's args: the value got (as long as the
	// result), its address when the call failed; without a size, the
	// value's address.
	kXattrArgsOut = newKind(kindInfo{out: true, cap: capXattrArgs(wire.CWOK), fmt: func(p *printer, c *Call, i int) {
		b := xattrArgs(p, c, i)
		if b == nil {
			return
		}
		n := uint64(c.Ret)
		if !c.Complete() {
			n = ^uint64(0)
		}
		xattrArgsStruct(p, c, i, b, le.Uint32(b[8:]) != 0, n)
	}})
)

// xattrArgs returns the captured struct xattr_args of argument i, or
// prints its address (strace's umove_xattr_args_or_printaddr: a size
// under 16 too) and returns nil.
func xattrArgs(p *printer, c *Call, i int) []byte {
	size := c.Args[i+1]
	cp := c.Cap(i, 0)
	if size < xattrArgsSize || c.Args[i] == 0 || !p.verbose() || cp == nil || len(cp.Data) < xattrArgsSize || cp.Fault() && !cp.Part() {
		p.ptr(c.Args[i])
		return nil
	}
	return cp.Data
}

// xattrArgsStruct prints struct xattr_args b as strace's print_xattr_args:
// the value as a string of n bytes when decoded, else its address; the
// bytes past the struct's 16, up to a page, when not zero.
func xattrArgsStruct(p *printer, c *Call, i int, b []byte, decode bool, n uint64) {
	addr := le.Uint64(b)
	p.s("{value=")
	if decode {
		xattrValAt(p, addr, n, c.Cap(i, wire.DerefIdx))
	} else {
		p.ptr(addr)
	}
	p.s(", size=")
	p.u(uint64(le.Uint32(b[8:])))
	p.s(", flags=")
	flagsOrUnknown(p, uint64(le.Uint32(b[12:])), xattrFlagTab, "", "XATTR_???")
	structTail(p, c.Cap(i, 0), xattrArgsSize, min(c.Args[i+1], 4096))
	p.c('}')
}

// xattrValAt prints the n bytes of a value at addr, captured as cp, as
// strace's print_xattr_val: its address past XATTR_SIZE_MAX, a string
// cut at -s, a NUL ending what is shown left out (then no "...").
func xattrValAt(p *printer, addr, n uint64, cp *wire.Cap) {
	if n > xattrSizeMax || addr == 0 {
		p.ptr(addr)
		return
	}
	var show []byte
	if n > 0 {
		if cp == nil || cp.Fault() && !cp.Part() || uint64(len(cp.Data)) < min(n, uint64(p.strsize)) {
			p.ptr(addr)
			return
		}
		show = cp.Data[:min(n, uint64(len(cp.Data)))]
	}
	if len(show) > p.strsize {
		show = show[:p.strsize]
	}
	if k := len(show); k > 0 && show[k-1] == 0 {
		p.quote(show[:k-1], false)
		return
	}
	p.quote(show, n > uint64(p.strsize))
}

func init() {
	const DF = ClassDesc | ClassFile
	registerSigs(map[string]sig{
		"setxattrat":    {args: []kind{kDirfd, kPath, kXattratFlags, kStr, kXattrArgsIn, kUlong}, class: DF},
		"getxattrat":    {args: []kind{kDirfd, kPath, kXattratFlags, kStr, kXattrArgsOut, kUlong}, class: DF},
		"listxattrat":   {args: []kind{kDirfd, kPath, kXattratFlags, kXattrVal, kUlong}, class: DF},
		"removexattrat": {args: []kind{kDirfd, kPath, kXattratFlags, kStr}, class: DF},
	})
}
