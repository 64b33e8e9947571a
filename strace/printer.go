package strace

import (
	"strconv"
)

// printer appends strace notation to a byte slice, never allocating once
// the slice has grown to its working size.
type printer struct {
	b         []byte
	lineStart int // index in b where the current line began
	strsize   int
}

func (p *printer) s(s string)     { p.b = append(p.b, s...) }
func (p *printer) c(c byte)       { p.b = append(p.b, c) }
func (p *printer) bytes(b []byte) { p.b = append(p.b, b...) }
func (p *printer) d(v int64) {
	if 0 <= v && v < 10 { // most are: fds, results, lengths
		p.c('0' + byte(v))
		return
	}
	p.b = strconv.AppendInt(p.b, v, 10)
}

func (p *printer) u(v uint64) {
	if v < 10 {
		p.c('0' + byte(v))
		return
	}
	p.b = strconv.AppendUint(p.b, v, 10)
}
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
// from anywhere on a line, so tabToResult appends them at once.
const (
	resultCol = 40
	blanks    = "                                        "
)

// tabToResult moves to strace's result column, as tabto() does.
func (p *printer) tabToResult() {
	if n := resultCol - p.col(); n > 0 {
		p.s(blanks[:n])
	}
}

// quote prints data as a C string the way strace does: printable ASCII as
// is, \t \n \v \f \r \" \\ as escapes, anything else in octal, as short as
// the next character allows. With more (there was more data than shown),
// the string is followed by "...".
func (p *printer) quote(data []byte, more bool) {
	p.c('"')
	for len(data) > 0 {
		// Most data is text: copy each run that needs no escape at once.
		n := 0
		for n < len(data) && plain(data[n]) {
			n++
		}
		if n > 0 {
			p.bytes(data[:n])
		}
		if n == len(data) {
			break
		}
		next := byte(0)
		if n+1 < len(data) {
			next = data[n+1]
		}
		p.escape(data[n], next)
		data = data[n+1:]
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
func (p *printer) escape(ch, next byte) {
	switch ch {
	case '"':
		p.s(`\"`)
	case '\\':
		p.s(`\\`)
	case '\t':
		p.s(`\t`)
	case '\n':
		p.s(`\n`)
	case '\v':
		p.s(`\v`)
	case '\f':
		p.s(`\f`)
	case '\r':
		p.s(`\r`)
	default:
		// Octal: all three digits when an octal digit follows, so that it
		// cannot be read as part of the escape.
		full := next >= '0' && next <= '7'
		p.c('\\')
		if full || ch >= 0100 {
			p.c('0' + ch>>6)
		}
		if full || ch >= 010 {
			p.c('0' + (ch>>3)&7)
		}
		p.c('0' + ch&7)
	}
}

// flag is one named bit (or value) in a flags table.
type flag struct {
	v    uint64
	name string
}

// flags prints v as NAME|NAME|0x..., as strace's printflags does; zero
// prints zero (or the table's zero name when it has one).
func (p *printer) flags(v uint64, tab []flag, zero string) {
	if v == 0 {
		if zero != "" {
			p.s(zero)
		} else {
			p.c('0')
		}
		return
	}
	first := true
	for _, f := range tab {
		if f.v != 0 && v&f.v == f.v {
			if !first {
				p.c('|')
			}
			p.s(f.name)
			first = false
			v &^= f.v
		}
	}
	if v != 0 {
		if !first {
			p.c('|')
		}
		p.x(v)
	}
}

// xlat prints the name of v in tab, or v in the given fallback form.
func (p *printer) xlat(v uint64, tab []flag, fallback string) bool {
	for _, f := range tab {
		if f.v == v {
			p.s(f.name)
			return true
		}
	}
	switch fallback {
	case "d":
		p.d(int64(v))
	case "u":
		p.u(v)
	default:
		p.x(v)
	}
	if fallback != "" && fallback[0] == '/' {
		p.s(" /* " + fallback[1:] + " */")
	}
	return false
}
