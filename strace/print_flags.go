package strace

// Flag tables and their printers: NAME|NAME|0x..., and a value's name.

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

// named prints the name of v in tab, if it has one.
func (p *printer) named(v uint64, tab []flag) bool {
	for _, f := range tab {
		if f.v == v {
			p.s(f.name)
			return true
		}
	}
	return false
}

// unknownComment prints strace's " /* PREFIX_??? */" after a value with no
// name ("" prints nothing).
func unknownComment(p *printer, unknown string) {
	if unknown != "" {
		p.s(" /* ")
		p.s(unknown)
		p.s(" */")
	}
}

// xlat prints the name of v in tab, or v in the given fallback form.
func (p *printer) xlat(v uint64, tab []flag, fallback string) bool {
	if p.named(v, tab) {
		return true
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
		unknownComment(p, fallback[1:])
	}
	return false
}

// flagsOrUnknown prints v as strace's printflags does: known names joined by |, any
// rest in hex; when no name matched, the hex number is followed by the
// table's /* PREFIX_??? */ comment (unknown: "" prints none).
func flagsOrUnknown(p *printer, v uint64, tab []flag, zero, unknown string) {
	known := v == 0 // printed as the table's zero name, or 0
	for _, f := range tab {
		if f.v != 0 && v&f.v == f.v {
			known = true
			break
		}
	}
	if !known {
		p.x(v)
		unknownComment(p, unknown)
		return
	}
	p.flags(v, tab, zero)
}

// xlatOrUnknown prints the name of v, or v in hex with a /* PREFIX_??? */ comment.
func xlatOrUnknown(p *printer, v uint64, tab []flag, unknown string) {
	if !p.named(v, tab) {
		p.x(v)
		unknownComment(p, unknown)
	}
}

// xlatDecOrUnknown prints the name of v, or v in decimal with a /* PREFIX_??? */ comment.
func xlatDecOrUnknown(p *printer, v int64, tab []flag, unknown string) {
	if !p.named(uint64(v), tab) {
		p.d(v)
		unknownComment(p, unknown)
	}
}
