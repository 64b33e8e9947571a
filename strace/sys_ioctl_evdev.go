package strace

// evdev ioctls (_IOC type 'E'), as strace 6.1's evdev.c, evdev_mpers.c
// and ioctl.c's evdev_decode_number decode them. Tables: zevdev_xlat.go.

// evdevBitset is a bitset request's names and its strace max_nr.
type evdevBitset struct {
	tab     []flag
	max     int
	unknown string
}

var (
	evdevEvBits = map[uint32]evdevBitset{ // EVIOCGBIT's event types
		0: {evdevEv, 0x1f, "EV_???"}, 0x01: {evdevKeycode, 0x2ff, "KEY_???"}, 0x02: {evdevRelAxes, 0x0f, "REL_???"},
		0x03: {evdevAbs, 0x3f, "ABS_???"}, 0x04: {evdevMisc, 0x07, "MSC_???"}, 0x05: {evdevSwitch, 0x10, "SW_???"},
		0x11: {evdevLeds, 0x0f, "LED_???"}, 0x12: {evdevSnd, 0x07, "SND_???"}, 0x14: {evdevAutorepeat, 0x01, "REP_???"},
		0x15: {evdevFFTypes, 0x7f, "FF_???"}, 0x17: {evdevFFStatus, 0x01, "FF_STATUS_???"},
	}
	evdevNrBits = map[uint32]evdevBitset{ // EVIOCGPROP, EVIOCGKEY, EVIOCGLED, EVIOCGSND, EVIOCGSW
		0x09: {evdevProp, 0x1f, "PROP_???"}, 0x18: {evdevKeycode, 0x2ff, "KEY_???"}, 0x19: {evdevLeds, 0x0f, "LED_???"},
		0x1a: {evdevSnd, 0x07, "SND_???"}, 0x1b: {evdevSwitch, 0x10, "SW_???"},
	}
	evdevSized = map[uint32]string{0x06: "EVIOCGNAME", 0x07: "EVIOCGPHYS", 0x08: "EVIOCGUNIQ", 0x09: "EVIOCGPROP",
		0x0a: "EVIOCGMTSLOTS", 0x18: "EVIOCGKEY", 0x19: "EVIOCGLED", 0x1a: "EVIOCGSND", 0x1b: "EVIOCGSW"}
)

// evdevNumberName prints a value of tab as printxval_ex does inside a
// request's name: NAME, else hex with the unknown comment under -X
// abbrev (none inside -X verbose's comment).
func evdevNumberName(p *printer, v uint64, tab []flag, unknown string, verbose bool) {
	if n := lookupName(v, tab); n != "" {
		p.s(n)
		return
	}
	hexOrZero(p, v)
	if !verbose {
		p.comment(unknown)
	}
}

// evdevDecodeNumber is ioctl.c's evdev_decode_number.
func evdevDecodeNumber(p *printer, req uint32) bool {
	nr, dir, size := req&0xff, req>>30, uint64(req>>16&0x3fff)
	verbose := p.style == ConstVerbose
	switch {
	case dir == 1 && nr >= 0xc0:
		p.s("EVIOCSABS(")
		evdevNumberName(p, uint64(nr-0xc0), evdevAbs, "ABS_???", verbose)
		p.c(')')
		return true
	case dir != 2:
		return false
	case nr >= 0x20 && nr < 0x40:
		p.s("EVIOCGBIT(")
		if nr == 0x20 {
			p.c('0')
		} else {
			evdevNumberName(p, uint64(nr-0x20), evdevEv, "EV_???", verbose)
		}
		p.s(", ")
		p.u(size)
		p.c(')')
		return true
	case nr >= 0x40 && nr < 0x80:
		p.s("EVIOCGABS(")
		evdevNumberName(p, uint64(nr-0x40), evdevAbs, "ABS_???", verbose)
		p.c(')')
		return true
	}
	if name, ok := evdevSized[nr]; ok {
		p.s(name)
		p.c('(')
		p.u(size)
		p.c(')')
		return true
	}
	return false
}

// evdevBits is decode_bitset: the set bits' names (at most 4 under
// abbreviation), the words in hex under -X raw and -X verbose.
func evdevBits(bs evdevBitset) func(p *printer, c *Call, i int) {
	return func(p *printer, c *Call, i int) {
		sizeBits := bs.max
		if uint64(c.Ret) <= uint64(bs.max/8) {
			sizeBits = int(c.Ret) * 8
		}
		size := ((sizeBits+7)/8 + 7) &^ 7
		if ioctlFailed(c) || size == 0 {
			p.ptr(c.Args[i])
			return
		}
		b := ioctlStructOf(p, c, i, size, true)
		if b == nil {
			return
		}
		if p.style != ConstRaw {
			style := p.style
			p.c('[')
			shown := 0
			for bit := 0; bit < sizeBits; bit++ {
				if b[bit/8]&(1<<(bit%8)) == 0 {
					continue
				}
				if shown > 0 {
					if ioctlAbbrev(p) && shown > 3 {
						p.s(" ...")
						break
					}
					p.c(' ')
				}
				p.xlat(uint64(bit), bs.tab, "/"+bs.unknown)
				shown++
			}
			p.c(']')
			p.style = style
		}
		if p.style == ConstVerbose {
			p.s(" /* ")
		}
		if p.style != ConstAbbrev {
			xArrayField(p, b, size/8, 8)
		}
		if p.style == ConstVerbose {
			p.s(" */")
		}
	}
}

// evdevAbsinfo is abs_ioctl: struct input_absinfo, as long as the
// request's size says.
func evdevAbsinfo(p *printer, c *Call, i int) {
	sz := int(uint32(c.Args[1]) >> 16 & 0x3fff)
	if sz < 20 {
		p.ptr(c.Args[i])
		return
	}
	b := ioctlStructOf(p, c, i, min(sz, 24), uint32(c.Args[1])>>30 == 2)
	if b == nil {
		return
	}
	p.s("{value=")
	p.u(uint64(le.Uint32(b)))
	p.s(", minimum=")
	p.u(uint64(le.Uint32(b[4:])))
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	for j, f := range []string{", maximum=", ", fuzz=", ", flat="} {
		p.s(f)
		p.u(uint64(le.Uint32(b[8+4*j:])))
	}
	if sz > 20 {
		if sz >= 24 {
			p.s(", resolution=")
			p.u(uint64(le.Uint32(b[20:])))
		}
		if sz != 24 {
			p.s(", ...")
		}
	}
	p.c('}')
}

// evdevMtslotsArg is mtslots_ioctl: a code, then the request's size's ints.
func evdevMtslotsArg(p *printer, c *Call, i int) {
	n := int(uint32(c.Args[1])>>16&0x3fff) / 4
	if n == 0 {
		p.ptr(c.Args[i])
		return
	}
	b := ioctlStructOf(p, c, i, 4*n, true)
	if b == nil {
		return
	}
	p.s("{code=")
	p.xlat(uint64(le.Uint32(b)), evdevMtslots, "/ABS_MT_???")
	p.s(", values=[")
	for j := 1; j < n; j++ {
		if j > 1 {
			p.s(", ")
		}
		if j > p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		p.d(int64(int32(le.Uint32(b[4*j:]))))
	}
	p.s("]}")
}

// evdevString is EVIOCGNAME's and the like: as many bytes as returned.
func evdevString(p *printer, c *Call, i int) {
	if ioctlFailed(c) {
		p.ptr(c.Args[i])
		return
	}
	n := int(c.Ret)
	b := ioctlStructOf(p, c, i, min(n, p.strsize), true)
	if b == nil {
		return
	}
	p.quote(b, n > len(b))
}
