package strace

import "strconv"

// Netlink attributes (strace's nlattr.c): arrays of struct nlattr and
// its payload, named by a table per message kind and decoded by the
// table's decoders; what no decoder takes is printed as hex bytes.

const nlaHdrLen = 4

const (
	nlaFNested       = 0x8000
	nlaFNetByteorder = 0x4000
	nlaTypeMask      = 0x3fff
)

// nlaDecoder prints the n bytes of an attribute's payload at addr; false
// leaves them to hexStr. typ is the attribute's type (with its flags).
type nlaDecoder func(d *nlDec, addr, n uint64, typ uint16) bool

// nlAttrTable is how one kind of attributes is printed: names and their
// default, and decoders by type (all, when set, decodes every type).
type nlAttrTable struct {
	names    []flag
	dflt     string
	decoders map[uint16]nlaDecoder
	all      nlaDecoder
}

// attrs is decode_nlattr: the attributes in the n bytes at addr.
func (d *nlDec) attrs(addr, n uint64, t nlAttrTable) {
	isArray := false
	for elt := 0; ; elt++ {
		if n < nlaHdrLen {
			d.hexStr(addr, n)
			break
		}
		b, ok := d.fetchElem(addr, nlaHdrLen, isArray)
		if !ok {
			break
		}
		if d.more(elt) {
			d.p.s("...")
			break
		}
		nlaLen, typ := le.Uint16(b), le.Uint16(b[2:])
		aligned := uint64(nlaLen+3) &^ 3
		var next, nextLen uint64
		if nlaLen >= nlaHdrLen {
			if n >= aligned {
				nextLen = n - aligned
			}
			if nextLen != 0 && addr+aligned > addr {
				next = addr + aligned
			}
		}
		if !isArray && next != 0 {
			d.p.c('[')
			isArray = true
		}
		d.attr(nlaLen, typ, addr, n, t)
		if next == 0 {
			break
		}
		d.p.s(", ")
		addr, n = next, nextLen
	}
	if isArray {
		d.p.c(']')
	}
}

// attr is decode_nlattr_with_data.
func (d *nlDec) attr(nlaLen, typ uint16, addr, n uint64, t nlAttrTable) {
	p := d.p
	l := min(uint64(nlaLen), n)
	if l > nlaHdrLen {
		p.c('[')
	}
	p.s("{nla_len=")
	p.u(uint64(nlaLen))
	p.s(", nla_type=")
	if typ&nlaFNested != 0 {
		p.constVal(nlaFNested, 'x', "NLA_F_NESTED")
		p.c('|')
	}
	if typ&nlaFNetByteorder != 0 {
		p.constVal(nlaFNetByteorder, 'x', "NLA_F_NET_BYTEORDER")
		p.c('|')
	}
	p.xlat(uint64(typ&nlaTypeMask), t.names, "/"+t.dflt)
	p.c('}')
	if l > nlaHdrLen {
		p.s(", ")
		dec := t.all
		if dec == nil {
			dec = t.decoders[typ&nlaTypeMask]
		}
		if dec == nil || !dec(d, addr+nlaHdrLen, l-nlaHdrLen, typ) {
			d.hexStr(addr+nlaHdrLen, l-nlaHdrLen)
		}
		p.c(']')
	}
}

// nlaStr is decode_nla_str: a string whose NUL ends it; "..." when it
// has none where it ends.
func nlaStr(d *nlDec, addr, n uint64, _ uint16) bool {
	b, ok := d.str(addr, n)
	if !ok {
		return true
	}
	p := d.p
	if p.hex == 2 || p.hex == 1 && !textual(b) {
		p.quoteHex(b, n > 0)
		return true
	}
	trailing0 := len(b) > 0 && b[len(b)-1] == 0
	if trailing0 {
		b = b[:len(b)-1]
	}
	p.quote(b, !trailing0 && n > 0)
	return true
}

// nlaU32 is decode_nla_u32.
var nlaU32 = nlaInt(4, 'u')

// nlaCookie is decode_nlmsgerr_attr_cookie: the bytes as numbers.
func nlaCookie(d *nlDec, addr, n uint64, _ uint16) bool {
	d.array(addr, n, 1, func(b []byte) { d.p.u(uint64(b[0])) })
	return true
}

// array is print_array of n/size elements at addr, each printed by elem.
func (d *nlDec) array(addr, n, size uint64, elem func(b []byte)) {
	count := n / size
	if count == 0 {
		d.p.s("[]")
		return
	}
	d.p.c('[')
	for k := uint64(0); k < count; k++ {
		if k > 0 {
			d.p.s(", ")
		}
		if d.more(int(k)) {
			d.p.s("...")
			break
		}
		b, ok := d.m.at(addr+k*size, size)
		if !ok {
			if k == 0 {
				d.p.b = d.p.b[:len(d.p.b)-1]
				d.p.ptr(addr)
				return
			}
			d.p.s("...")
			d.p.comment("0x" + strconv.FormatUint(addr+k*size, 16))
			break
		}
		elem(b)
	}
	d.p.c(']')
}

// nlFlagsOut is printflags_ex: 0 is the table's name for 0 when it has
// one (NUD_NONE), a bare "0" otherwise.
func nlFlagsOut(p *printer, v uint64, tab []flag, dflt string) {
	if v == 0 {
		if name := lookupName(0, tab); name != "" {
			p.constVal(0, 'x', name)
		} else {
			p.c('0') // in every -X style
		}
		return
	}
	p.flagsDflt(v, tab, "0", dflt)
}
