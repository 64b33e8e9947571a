package strace

// The evdev requests' defs (sys_ioctl_evdev.go).

func evdevInputID(p *printer, b []byte) {
	for j, f := range []string{"{bustype=", ", vendor=", ", product=", ", version="} {
		p.s(f)
		p.u(uint64(le.Uint16(b[2*j:])))
	}
	p.c('}')
}

func evdevPair(p *printer, b []byte) {
	p.c('[')
	p.u(uint64(le.Uint32(b)))
	p.s(", ")
	p.u(uint64(le.Uint32(b[4:])))
	p.c(']')
}

func evdevKeycodePair(p *printer, b []byte) {
	p.c('[')
	p.u(uint64(le.Uint32(b)))
	p.s(", ")
	p.xlat(uint64(le.Uint32(b[4:])), evdevKeycode, "/KEY_???")
	p.c(']')
}

// evdevKeymapEntry is struct input_keymap_entry (40 bytes).
func evdevKeymapEntry(p *printer, b []byte) {
	p.s("{flags=")
	p.u(uint64(b[0]))
	p.s(", len=")
	p.u(uint64(b[1]))
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	p.s(", index=")
	p.u(uint64(le.Uint16(b[2:])))
	p.s(", keycode=")
	p.xlat(uint64(le.Uint32(b[4:])), evdevKeycode, "/KEY_???")
	p.s(", scancode=")
	xArrayField(p, b[8:], 32, 1)
	p.c('}')
}

// evdevFFEffect is struct ff_effect (ff_effect_ioctl): its type, id and
// direction, under -v its trigger, replay and its type's member of the
// union (at 16: it holds a pointer).
func evdevFFEffect(p *printer, b []byte) {
	p.s("{type=")
	p.xlat(uint64(le.Uint16(b)), evdevFFTypes, "/FF_???")
	p.s(", id=")
	p.d(int64(int16(le.Uint16(b[2:]))))
	p.s(", direction=")
	p.u(uint64(le.Uint16(b[4:])))
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	u16 := func(off int) uint64 { return uint64(le.Uint16(b[off:])) }
	fields := func(off int, names ...string) { // u16 fields from off; a name with "-" is signed
		for j, n := range names {
			if j > 0 {
				p.s(", ")
			}
			if n[0] == '-' {
				p.s(n[1:])
				p.c('=')
				p.d(int64(int16(u16(off + 2*j))))
				continue
			}
			p.s(n)
			p.c('=')
			p.u(u16(off + 2*j))
		}
	}
	envelope := func(off int) {
		p.s("envelope={")
		fields(off, "attack_length", "attack_level", "fade_length")
		p.s(", fade_level=")
		hexOrZero(p, u16(off+6))
		p.c('}')
	}
	p.s(", trigger={")
	fields(6, "button", "interval")
	p.s("}, replay={")
	fields(10, "length", "delay")
	p.c('}')
	switch u16(0) { // the union, at 16
	case 0x52: // FF_CONSTANT
		p.s(", constant={")
		fields(16, "-level")
		p.s(", ")
		envelope(18)
		p.c('}')
	case 0x57: // FF_RAMP
		p.s(", ramp={")
		fields(16, "-start_level", "-end_level")
		p.s(", ")
		envelope(20)
		p.c('}')
	case 0x51: // FF_PERIODIC
		p.s(", periodic={")
		fields(16, "waveform", "period", "-magnitude", "-offset", "phase")
		p.s(", ")
		envelope(26)
		p.s(", custom_len=")
		p.u(uint64(le.Uint32(b[36:])))
		p.s(", custom_data=")
		p.ptr(le.Uint64(b[40:]))
		p.c('}')
	case 0x50: // FF_RUMBLE
		p.s(", rumble={")
		fields(16, "strong_magnitude", "weak_magnitude")
		p.c('}')
	}
	p.c('}')
}

// evdevIn and evdevOut: _IOC_WRITE requests are printed at entry,
// _IOC_READ ones at exit (evdev_ioctl).
func evdevIn(pr func(p *printer, b []byte)) ioctlDef {
	return ioctlDef{size: ioctlSizeBits, arg: func(p *printer, c *Call, i int) {
		n := int(uint32(c.Args[1]) >> 16 & 0x3fff)
		if b := ioctlStructOf(p, c, i, n, false); b != nil {
			pr(p, b)
		}
	}}
}

func evdevOut(pr func(p *printer, b []byte)) ioctlDef {
	return ioctlDef{size: ioctlSizeBits, exit: true, arg: func(p *printer, c *Call, i int) {
		n := int(uint32(c.Args[1]) >> 16 & 0x3fff)
		if b := ioctlStructOf(p, c, i, n, true); b != nil {
			pr(p, b)
		}
	}}
}

func evdevIntOut(pr func(p *printer, v uint32)) ioctlDef {
	d := evdevOut(func(p *printer, b []byte) { p.c('['); pr(p, le.Uint32(b)); p.c(']') })
	return d
}

func init() {
	ioctlNumberDecoders['E'] = evdevDecodeNumber
	u := func(p *printer, c *Call, i int) { p.u(c.Args[i]) }
	defs := map[uint32]ioctlDef{
		0x80044501: evdevIntOut(ioctlIntX),                                                                // EVIOCGVERSION
		0x80044584: evdevIntOut(ioctlIntU),                                                                // EVIOCGEFFECTS
		0x80084502: evdevOut(evdevInputID),                                                                // EVIOCGID
		0x80084503: evdevOut(evdevPair),                                                                   // EVIOCGREP
		0x40084503: evdevIn(evdevPair),                                                                    // EVIOCSREP
		0x80084504: evdevOut(evdevKeycodePair),                                                            // EVIOCGKEYCODE
		0x40084504: evdevIn(evdevKeycodePair),                                                             // EVIOCSKEYCODE
		0x80284504: evdevOut(evdevKeymapEntry),                                                            // EVIOCGKEYCODE_V2
		0x40284504: evdevIn(evdevKeymapEntry),                                                             // EVIOCSKEYCODE_V2
		0x40304580: evdevIn(evdevFFEffect),                                                                // EVIOCSFF
		0x40044581: {arg: func(p *printer, c *Call, i int) { p.d(int64(int32(c.Args[i]))) }},              // EVIOCRMFF
		0x40044590: {arg: u},                                                                              // EVIOCGRAB
		0x40044591: {arg: u},                                                                              // EVIOCREVOKE
		0x400445a0: evdevIn(func(p *printer, b []byte) { p.c('['); p.u(uint64(le.Uint32(b))); p.c(']') }), // EVIOCSCLOCKID
		0x8000450a: {anySize: true, size: ioctlSizeBits, exit: true, arg: evdevMtslotsArg},                // EVIOCGMTSLOTS(len)
	}
	for nr := uint32(0x06); nr <= 0x08; nr++ { // EVIOCGNAME, EVIOCGPHYS, EVIOCGUNIQ
		defs[0x80004500|nr] = ioctlDef{anySize: true, size: ioctlSizeBits, exit: true, arg: evdevString}
	}
	for nr, bs := range evdevNrBits {
		defs[0x80004500|nr] = ioctlDef{anySize: true, size: (bs.max/8 + 8) &^ 7, exit: true, arg: evdevBits(bs)}
	}
	for ev := uint32(0); ev < 0x20; ev++ { // EVIOCGBIT(ev, len)
		d := ioctlDef{anySize: true, exit: true, arg: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }}
		if bs, ok := evdevEvBits[ev]; ok {
			d.size, d.arg = (bs.max/8+8)&^7, evdevBits(bs)
		} else if ev == 0x16 { // EV_PWR
			d.size, d.arg = 4, ioctlInt(true, ioctlIntD)
		}
		defs[0x80004520+ev] = d
	}
	for abs := uint32(0); abs < 0x40; abs++ { // EVIOCGABS(abs), EVIOCSABS(abs)
		defs[0x80004540+abs] = ioctlDef{anySize: true, size: ioctlSizeBits, exit: true, arg: evdevAbsinfo}
		defs[0x400045c0+abs] = ioctlDef{anySize: true, size: ioctlSizeBits, arg: evdevAbsinfo}
	}
	registerIoctls(defs)
}
