package strace

import "errors"

// Flag tables and their printers: NAME|NAME|0x..., and a value's name,
// in the style strace's -X selects (Options.ConstStyle).

// ConstStyle is strace's -X (--const-print-style): how named constants
// and flags are printed.
type ConstStyle uint8

const (
	ConstAbbrev  ConstStyle = iota // -X abbrev, the default: O_WRONLY|O_CREAT
	ConstRaw                       // -X raw: the number alone, 0x41
	ConstVerbose                   // -X verbose: 0x41 /* O_WRONLY|O_CREAT */
)

// ParseConstStyle reads -X's argument: raw, abbrev or verbose.
func ParseConstStyle(s string) (ConstStyle, error) {
	switch s {
	case "abbrev":
		return ConstAbbrev, nil
	case "raw":
		return ConstRaw, nil
	case "verbose":
		return ConstVerbose, nil
	}
	return 0, errors.New("invalid -X argument: '" + s + "' (raw, abbrev or verbose)")
}

// flag is one named bit (or value) in a flags table.
type flag struct {
	v    uint64
	name string
}

// comment prints " /* s */".
func (p *printer) comment(s string) {
	p.s(" /* ")
	p.s(s)
	p.s(" */")
}

// val prints v as a constant's number: 'd' signed decimal, 'u' unsigned
// decimal, anything else C's %#x (0, 0x...), as strace's print_xlat_val.
func (p *printer) val(v uint64, f byte) {
	switch f {
	case 'd':
		p.d(int64(v))
	case 'u':
		p.u(v)
	default:
		hexOrZero(p, v)
	}
}

// constant prints v, whose name is name ("": none), as strace's
// print_xlat_ex does: NAME (abbrev), the number (raw, or no name), or the
// number and /* NAME */ (verbose). The number is printed by num.
func (p *printer) constant(name string, num func()) {
	switch {
	case name == "" || p.style == ConstRaw:
		num()
	case p.style == ConstVerbose:
		num()
		p.comment(name)
	default:
		p.s(name)
	}
}

// constVal is constant with a number printed by val.
func (p *printer) constVal(v uint64, f byte, name string) {
	p.constant(name, func() { p.val(v, f) })
}

// whole prints a value strace prints as one constant made of parts (open
// flags, mmap flags, a mode): by abbrev, its abbreviated form, under
// -X abbrev; by num alone under -X raw; num, then abbrev's form in a
// comment, under -X verbose.
func (p *printer) whole(num, abbrev func()) {
	switch p.style {
	case ConstRaw:
		num()
	case ConstVerbose:
		num()
		p.s(" /* ")
		p.style = ConstAbbrev
		abbrev()
		p.style = ConstVerbose
		p.s(" */")
	default:
		abbrev()
	}
}

// flags prints v as NAME|NAME|0x..., as strace's printflags does; zero
// prints zero (or the table's zero name when it has one). Under -X raw it
// prints the number; under -X verbose the number, then /* NAME|NAME */.
func (p *printer) flags(v uint64, tab []flag, zero string) {
	p.flagsDflt(v, tab, zero, "")
}

// flagsDflt is flags with a default comment for a value no name matched
// (strace's dflt: "" prints none).
func (p *printer) flagsDflt(v uint64, tab []flag, zero, unknown string) {
	if v == 0 {
		if zero == "0" {
			// No name for 0: strace's printflags prints the number
			// alone, -X verbose too (no "0 /* 0 */").
			zero = ""
		}
		p.constVal(0, 'x', zero)
		return
	}
	if p.style == ConstRaw {
		p.x(v)
		return
	}
	known := false
	for _, f := range tab {
		if f.v != 0 && v&f.v == f.v {
			known = true
			break
		}
	}
	if !known {
		p.x(v)
		if unknown != "" {
			p.comment(unknown)
		}
		return
	}
	if p.style == ConstVerbose {
		p.x(v)
		p.s(" /* ")
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
		p.c('|')
		p.x(v)
	}
	if p.style == ConstVerbose {
		p.s(" */")
	}
}

// lookupName is the name of v in tab, "" when it has none.
func lookupName(v uint64, tab []flag) string {
	for _, f := range tab {
		if f.v == v {
			return f.name
		}
	}
	return ""
}

// named prints the name of v in tab, if it has one (abbrev only: raw and
// verbose print numbers; see xlatFmt).
func (p *printer) named(v uint64, tab []flag) bool {
	if name := lookupName(v, tab); name != "" {
		p.s(name)
		return true
	}
	return false
}

// unknownComment prints strace's " /* PREFIX_??? */" after a value with no
// name ("" prints nothing). Under -X raw it prints nothing.
func unknownComment(p *printer, unknown string) {
	if unknown != "" && p.style != ConstRaw {
		p.comment(unknown)
	}
}

// xlatFmt prints v as strace's printxval does: its name in tab, or the
// number in form f (see val) followed by the unknown comment ("": none);
// -X raw prints the number alone, -X verbose the number and /* NAME */.
// It reports whether v has a name.
func (p *printer) xlatFmt(v uint64, tab []flag, f byte, unknown string) bool {
	name := lookupName(v, tab)
	if name == "" {
		p.val(v, f)
		unknownComment(p, unknown)
		return false
	}
	p.constVal(v, f, name)
	return true
}

// xlat prints the name of v in tab, or v in the given fallback form: "d",
// "u", hex otherwise; "/PREFIX_???" adds strace's unknown comment.
func (p *printer) xlat(v uint64, tab []flag, fallback string) bool {
	switch {
	case fallback == "d" || fallback == "u":
		return p.xlatFmt(v, tab, fallback[0], "")
	case fallback != "" && fallback[0] == '/':
		return p.xlatFmt(v, tab, 'x', fallback[1:])
	}
	return p.xlatFmt(v, tab, 'x', "")
}

// flagsOrUnknown prints v as strace's printflags does: known names joined by |, any
// rest in hex; when no name matched, the hex number is followed by the
// table's /* PREFIX_??? */ comment (unknown: "" prints none).
func flagsOrUnknown(p *printer, v uint64, tab []flag, zero, unknown string) {
	p.flagsDflt(v, tab, zero, unknown)
}

// xlatOrUnknown prints the name of v, or v in hex with a /* PREFIX_??? */ comment.
func xlatOrUnknown(p *printer, v uint64, tab []flag, unknown string) {
	p.xlatFmt(v, tab, 'x', unknown)
}

// xlatDecOrUnknown prints the name of v, or v in decimal with a /* PREFIX_??? */ comment.
func xlatDecOrUnknown(p *printer, v int64, tab []flag, unknown string) {
	p.xlatFmt(uint64(v), tab, 'd', unknown)
}
