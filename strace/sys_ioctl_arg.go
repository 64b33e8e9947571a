package strace

// Argument printers shared by the ioctl families of sys_ioctl_*.go files
// (strace's umove_or_printaddr and printnum_int around a request's
// decoder).

// ioctlFailed: a call whose outputs strace does not read (it failed, or
// has not returned).
func ioctlFailed(c *Call) bool { return c.Ret < 0 || !c.Complete() }

// ioctlIn prints a struct of n bytes the caller passes, read at entry:
// NULL, its address when unreadable, else printed by pr.
func ioctlIn(n int, pr func(p *printer, b []byte)) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		if b := ioctlStructOf(p, c, i, n, false); b != nil {
			pr(p, b)
		}
	}
}

// ioctlOut prints a struct of n bytes the call fills: NULL, its address
// when the call failed or it is unreadable, else printed by pr.
func ioctlOut(n int, pr func(p *printer, b []byte)) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		if b := ioctlStructOf(p, c, i, n, true); b != nil {
			pr(p, b)
		}
	}
}

// ioctlStructOf returns argument i's n captured bytes, or prints NULL or
// the address (out: also when the call failed; always under -e
// verbose=none) and returns nil.
func ioctlStructOf(p *printer, c *Call, i, n int, out bool) []byte {
	v := c.Args[i]
	if v == 0 {
		p.s("NULL")
		return nil
	}
	if !p.verbose() { // -e verbose=: strace's umove_or_printaddr reads nothing
		p.x(v)
		return nil
	}
	b := capturedIn(c, i, n)
	if b == nil || out && ioctlFailed(c) {
		p.x(v)
		return nil
	}
	return b[:n]
}

// ioctlInt is printnum_int's [N] (an int at the argument), printed by pr.
func ioctlInt(out bool, pr func(p *printer, v uint32)) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		if b := ioctlStructOf(p, c, i, 4, out); b != nil {
			p.c('[')
			pr(p, le.Uint32(b))
			p.c(']')
		}
	}
}

func ioctlIntD(p *printer, v uint32) { p.d(int64(int32(v))) }
func ioctlIntU(p *printer, v uint32) { p.u(uint64(v)) }
func ioctlIntX(p *printer, v uint32) { hexOrZero(p, uint64(v)) }

// intIn and intOut are the defs of requests whose argument points to an
// int, read (printed at entry) or written (at exit).
func intIn(pr func(p *printer, v uint32)) ioctlDef {
	return ioctlDef{size: 4, arg: ioctlInt(false, pr)}
}

func intOut(pr func(p *printer, v uint32)) ioctlDef {
	return ioctlDef{size: 4, exit: true, arg: ioctlInt(true, pr)}
}

// ioctlAbbrev is strace's abbrev(tcp) for the ioctl decoders.
func ioctlAbbrev(p *printer) bool { return p.abbrev() }

// cstringField prints a char array of the struct as strace's
// print_quoted_cstring does: up to its NUL, or all but its last byte
// and "..." when it has none.
func cstringField(p *printer, b []byte) {
	for i, ch := range b {
		if ch == 0 {
			p.quote(b[:i], false)
			return
		}
	}
	p.quote(b[:len(b)-1], false)
	p.s("...")
}

// xArrayField prints n little-endian words of size w in hex, as
// PRINT_FIELD_X_ARRAY does.
func xArrayField(p *printer, b []byte, n, w int) {
	p.c('[')
	for j := 0; j < n; j++ {
		if j > 0 {
			p.s(", ")
		}
		var v uint64
		switch w {
		case 1:
			v = uint64(b[j])
		case 4:
			v = uint64(le.Uint32(b[4*j:]))
		default:
			v = le.Uint64(b[8*j:])
		}
		hexOrZero(p, v)
	}
	p.c(']')
}

// uArrayField prints the first n little-endian unsigned words of size w
// in decimal, as PRINT_FIELD_ARRAY_UPTO does: abbreviated (no -v), at most -s of them, then
// "...".
func uArrayField(p *printer, b []byte, n, w int) {
	p.c('[')
	for j := 0; j < n; j++ {
		if j > 0 {
			p.s(", ")
		}
		if j >= p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		if w == 1 {
			p.u(uint64(b[j]))
		} else {
			p.u(uint64(le.Uint32(b[4*j:])))
		}
	}
	p.c(']')
}

// ioctlInOut prints, for a request strace decodes at entry and, when it
// succeeded, again at exit (" => ..."), both parts from the one capture
// (taken at exit: the entry part shows the values the call left, which
// are the caller's when the call was injected or failed).
func ioctlInOut(n int, in, out func(p *printer, c *Call, b []byte)) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: func(p *printer, c *Call, i int) {
		b := ioctlStructOf(p, c, i, n, false)
		if b == nil {
			return
		}
		in(p, c, b)
		if c.Complete() && c.Ret >= 0 && out != nil {
			p.s(" => ")
			out(p, c, b)
		}
	}}
}

// hexStrOf is printstr_ex(addr, n, QUOTE_FORCE_HEX) of the bytes b read
// there: min(n, -s) bytes in hex, "..." when n is more; strace reads one
// byte more than -s to know, and prints the address when it cannot read
// them all. At most hexStrMax bytes are printed (what the captures that
// use it hold at most).
func hexStrOf(p *printer, addr uint64, b []byte, n int) {
	if n == 0 {
		p.s(`""`)
		return
	}
	if len(b) < min(n, p.strsize+1, hexStrMax) {
		p.x(addr)
		return
	}
	show := min(n, p.strsize, hexStrMax)
	p.quoteHex(b[:show], n > show)
}

// hexStrMax bounds hexStrOf's captures (GIO_FONT's 8192 bytes): -s
// beyond it prints this many.
const hexStrMax = 4096
