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
func (p *printer) d(v int64)      { p.b = strconv.AppendInt(p.b, v, 10) }
func (p *printer) u(v uint64)     { p.b = strconv.AppendUint(p.b, v, 10) }
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

// pad moves to strace's result column (40), as tabto() does.
func (p *printer) pad() {
	for p.col() < 40 {
		p.c(' ')
	}
}

// quote prints data as a C string the way strace does: printable ASCII as
// is, \t \n \v \f \r \" \\ as escapes, anything else in octal, as short as
// the next character allows. With more (there was more data than shown),
// the string is followed by "...".
func (p *printer) quote(data []byte, more bool) {
	p.c('"')
	for i, ch := range data {
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
			if ch >= ' ' && ch < 0x7f {
				p.c(ch)
				continue
			}
			p.c('\\')
			next := byte(0)
			if i+1 < len(data) {
				next = data[i+1]
			}
			if next >= '0' && next <= '7' {
				p.c('0' + ch>>6)
				p.c('0' + (ch>>3)&7)
				p.c('0' + ch&7)
			} else {
				if ch >= 0100 {
					p.c('0' + ch>>6)
				}
				if ch >= 010 {
					p.c('0' + (ch>>3)&7)
				}
				p.c('0' + ch&7)
			}
		}
	}
	p.c('"')
	if more {
		p.s("...")
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
