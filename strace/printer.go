package strace

import (
	"strconv"
)

// printer appends strace notation to a byte slice, never allocating once
// the slice has grown to its working size.
type printer struct {
	b         []byte
	lineStart int        // index in b where the current line began
	strsize   int        // -s (strSize's)
	hex       int        // strace's -x (1) and -xx (2): see quote
	align     int        // strace's -a: the result column; 0: resultCol; -1: -a0
	style     ConstStyle // strace's -X: how constants and flags are printed
	fds       *fdTable   // -y: descriptors are printed with what they refer to (fds.go)
	// -v, -e abbrev=, -e verbose= (verbosity.go): the sets (nil: the
	// defaults), and the current call's modes.
	qual                 *qualSets
	unabbrev, nonverbose bool
	pids                 *pidTable   // -Y, --decode-pids: pids with comm, namespace (pids.go)
	nl                   *nlFamilies // sockets' netlink protocols (sys_net_netlink_fd.go); nil: none decoded
	// injected: the call being printed had its result injected (-e
	// inject=, Options.Injected): the memory it was given is as the
	// caller left it, whatever the result says the call did.
	injected bool
}

func (p *printer) s(s string)     { p.b = append(p.b, s...) }
func (p *printer) c(c byte)       { p.b = append(p.b, c) }
func (p *printer) bytes(b []byte) { p.b = append(p.b, b...) }

// d and u print a number in decimal: inlined for one digit (most are: fds,
// results, lengths), and a call (dn, un; kept out of line) for more.
func (p *printer) d(v int64) {
	if uint64(v) < 10 {
		p.c('0' + byte(v))
		return
	}
	p.dn(v)
}

//go:noinline
func (p *printer) dn(v int64) { p.b = strconv.AppendInt(p.b, v, 10) }

func (p *printer) u(v uint64) {
	if v < 10 {
		p.c('0' + byte(v))
		return
	}
	p.un(v)
}

//go:noinline
func (p *printer) un(v uint64) { p.b = strconv.AppendUint(p.b, v, 10) }

func (p *printer) col() int       { return len(p.b) - p.lineStart }
func (p *printer) newline()       { p.b = append(p.b, '\n'); p.lineStart = len(p.b) }
func (p *printer) x(v uint64)     { p.s("0x"); p.b = strconv.AppendUint(p.b, v, 16) }
func (p *printer) octal(v uint64) { p.c('0'); p.b = strconv.AppendUint(p.b, v, 8) }
func (p *printer) sep(first *bool) {
	if !*first {
		p.s(", ")
	}
	*first = false
}

// ptr prints an address the way strace does: NULL or 0x...
func (p *printer) ptr(v uint64) {
	if v == 0 {
		p.s("NULL")
		return
	}
	p.x(v)
}

// resultCol is strace's result column; blanks is enough spaces to reach it
// from anywhere on a line, so toResult appends them at once, with the "= "
// after them (blanksEq).
const (
	resultCol = 40
	blanks    = "                                        "
	blanksEq  = blanks + "= "
)

// blankRow is blanks as an array, for toResult's copy of known size.
var blankRow = func() (a [len(blanks)]byte) {
	copy(a[:], blanks)
	return a
}()

// toResult moves to strace's result column (-a's, resultCol without it),
// as tabto() does, or past it, one space after a line already longer, and
// prints the "= " the result follows.
func (p *printer) toResult() { p.b = p.appendToResult(p.b) }

// appendToResult is toResult on b: p.b and what was appended to it since.
// (A caller printing several parts at once keeps the line in a variable:
// not stored into p.b and loaded again for each part, each waiting on the
// last.)
func (p *printer) appendToResult(b []byte) []byte {
	col := resultCol
	if p.align != 0 {
		col = max(p.align, 0) // -a0: -1
	}
	n := col - (len(b) - p.lineStart)
	if n <= 0 {
		return append(b, " = "...)
	}
	if l := len(b); n <= len(blanks) && cap(b)-l >= len(blanksEq) {
		// Most lines: all the blanks copied at once (a copy of known
		// size, no call), the "= " written after the n wanted, and the
		// blanks past them left past the end.
		b = b[:l+len(blanksEq)]
		*(*[len(blanks)]byte)(b[l:]) = blankRow
		b[l+n], b[l+n+1] = '=', ' '
		return b[:l+n+2]
	}
	for n > len(blanks) {
		b = append(b, blanks...)
		n -= len(blanks)
	}
	return append(b, blanksEq[len(blanks)-n:]...)
}

// endDecimal ends a call's line with ")", its result in decimal at the
// result column, and the newline, the line kept in a variable throughout.
func (p *printer) endDecimal(ret int64) {
	b := append(p.b, ')')
	b = p.appendToResult(b)
	if uint64(ret) < 10 {
		b = append(b, '0'+byte(ret))
	} else {
		b = strconv.AppendInt(b, ret, 10)
	}
	b = append(b, '\n')
	p.b, p.lineStart = b, len(b)
}

// quote prints data as a C string the way strace does: printable ASCII as
// is, \t \n \v \f \r \" \\ as escapes, anything else in octal, as short as
// the next character allows. With more (there was more data than shown),
// the string is followed by "...". With -xx (hex 2) every byte is printed
// as \xNN instead; with -x (hex 1), so is every byte of a string that has a
// byte outside printable ASCII and \t \n \v \f \r.
func (p *printer) quote(data []byte, more bool) {
	if p.hex == 2 || p.hex == 1 && !textual(data) {
		p.quoteHex(data, more)
		return
	}
	// The string is built in b, stored into p.b once: each append to
	// p.b would wait on the last one's store.
	b := append(p.b, '"')
	for len(data) > 0 {
		// Most data is text: copy each run that needs no escape at once.
		n := 0
		for n < len(data) && plain(data[n]) {
			n++
		}
		if n > 0 {
			b = append(b, data[:n]...)
		}
		if n == len(data) {
			break
		}
		next := byte(0)
		if n+1 < len(data) {
			next = data[n+1]
		}
		b = appendEscape(b, data[n], next, p.hex)
		data = data[n+1:]
	}
	b = append(b, '"')
	if more {
		b = append(b, "..."...)
	}
	p.b = b
}

// textual reports whether data is printable ASCII and white space only:
// strace -x prints such strings as it does without -x.
func textual(data []byte) bool {
	for _, ch := range data {
		if ch > 0x7e || ch < ' ' && (ch < '\t' || ch > '\r') {
			return false
		}
	}
	return true
}

// quoteHex prints data as quote does under strace -xx: "\x68\x69".
func (p *printer) quoteHex(data []byte, more bool) {
	const hx = "0123456789abcdef"
	p.c('"')
	for _, b := range data {
		p.c('\\')
		p.c('x')
		p.c(hx[b>>4])
		p.c(hx[b&15])
	}
	p.c('"')
	if more {
		p.s("...")
	}
}

// plain reports whether quote prints ch as it is.
func plain(ch byte) bool {
	return ch >= ' ' && ch < 0x7f && ch != '"' && ch != '\\'
}

// escape prints a byte that is not plain, given the byte after it (0 at
// the end of the data).
func (p *printer) escape(ch, next byte) { p.b = appendEscape(p.b, ch, next, p.hex) }

// appendEscape is escape on b, under -x's mode hex.
func appendEscape(b []byte, ch, next byte, hex int) []byte {
	switch ch {
	case '"':
		return append(b, `\"`...)
	case '\\':
		return append(b, `\\`...)
	case '\t':
		return append(b, `\t`...)
	case '\n':
		return append(b, `\n`...)
	case '\v':
		return append(b, `\v`...)
	case '\f':
		return append(b, `\f`...)
	case '\r':
		return append(b, `\r`...)
	}
	if hex == HexNonASCIIChars {
		return appendHexByte(b, ch)
	}
	// Octal: all three digits when an octal digit follows, so that it
	// cannot be read as part of the escape.
	full := next >= '0' && next <= '7'
	b = append(b, '\\')
	if full || ch >= 0100 {
		b = append(b, '0'+ch>>6)
	}
	if full || ch >= 010 {
		b = append(b, '0'+(ch>>3)&7)
	}
	return append(b, '0'+ch&7)
}

// padLeft right-aligns s in w columns, padding with spaces.
func padLeft(s string, w int) string {
	for len(s) < w {
		s = " " + s
	}
	return s
}

// The file family: calls that name files by path (stat, access, xattrs,
// directory and link operations, statfs), as strace prints them in its
// default (abbreviated) mode.

// Helpers shared by the file and descriptor families.

// hexOrZero prints v as C's %#x: 0 for zero, 0x... otherwise.
func hexOrZero(p *printer, v uint64) {
	if v == 0 {
		p.c('0')
		return
	}
	p.x(v)
}

// octalMode prints v as C's %#03o, as strace prints a mode_t: 000, 007,
// 0644. (ipcPerms differs: 7 is 07 there.)
func octalMode(p *printer, v uint64) {
	var buf [24]byte
	i := len(buf)
	for v > 0 {
		i--
		buf[i] = byte('0' + v&7)
		v >>= 3
	}
	i--
	buf[i] = '0'
	for len(buf)-i < 3 {
		i--
		buf[i] = '0'
	}
	p.b = append(p.b, buf[i:]...)
}

// nineDigits prints v's last nine decimal digits, zero-padded: a
// nanosecond count. (zeroPadded pads without cutting: a wider or negative
// v prints differently.)
func nineDigits(p *printer, v int64) {
	var buf [9]byte
	for k := 8; k >= 0; k-- {
		buf[k] = byte('0' + v%10)
		v /= 10
	}
	p.b = append(p.b, buf[:]...)
}

// zeroPadded prints v in decimal, padded with zeros to at least w digits.
func zeroPadded(p *printer, v int64, w int) {
	s := len(p.b)
	p.d(v)
	for n := len(p.b) - s; n < w; n++ {
		p.b = append(p.b, 0)
		copy(p.b[s+1:], p.b[s:])
		p.b[s] = '0'
	}
}

// StrSizeZero is the -s an Options (or NewJSON) takes for strace's -s 0:
// its zero value means the default, 32.
const StrSizeZero = -1

// strSize is the -s that strsize (an Options' StrSize) stands for.
func strSize(strsize int) int {
	switch {
	case strsize == 0:
		return 32
	case strsize < 0:
		return 0
	}
	return strsize
}
