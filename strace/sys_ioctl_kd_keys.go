package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
)

// Console ioctls (sys_ioctl_kd.go): key map entries, function key
// strings, unicode maps and fonts, and the requests' table.

// kdKeyNames is kd_kbd_entry's table of key names, by the key's type
// (KTYP: its high byte).
var kdKeyNames = map[uint8][]flag{
	1: kdKeyFnKeys, 2: kdKeySpecKeys, 3: kdKeyPadKeys, 4: kdKeyDeadKeys, 6: kdKeyCurKeys,
	7: kdKeyShiftKeys, 9: kdKeyAsciiKeys, 10: kdKeyLockKeys, 12: kdKeySlockKeys, 14: kdKeyBrlKeys,
}

// kdKbEntry is KDGKBENT and KDSKBENT: struct kbentry's table and index
// (as the caller set them), then its value (get: when the call
// succeeded), named in a comment: K(type, value) when it has no name.
func kdKbEntry(get bool) ioctlDef {
	return kdDefV(4, false, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 2 {
			p.x(c.Args[i])
			return
		}
		p.s("{kb_table=")
		if n := lookupName(uint64(b[0]), kdKeyTables); n != "" {
			p.constVal(uint64(b[0]), 'x', n)
		} else {
			p.flagsDflt(uint64(b[0]), kdKeymapFlags, "", "K_???")
		}
		p.s(", kb_index=")
		p.u(uint64(b[1]))
		if get && !ioctlSucceeded(c) {
			p.c('}')
			return
		}
		p.s(", kb_value=")
		if len(b) < 4 {
			p.s("???}")
			return
		}
		v := le.Uint16(b[2:])
		hexOrZero(p, uint64(v))
		if p.style != ConstRaw {
			kdKeyComment(p, v)
		}
		p.c('}')
	})
}

func kdKeyComment(p *printer, v uint16) {
	typ, val := uint8(v>>8), uint8(v)
	if n := lookupName(uint64(v), kdKeyNames[typ]); n != "" {
		p.comment(n)
		return
	}
	p.s(" /* K(")
	if n := lookupName(uint64(typ), kdKeyTypes); n != "" {
		p.s(n)
	} else {
		hexOrZero(p, uint64(typ))
	}
	p.s(", ")
	switch typ {
	case 0, 8, 11, 13: // KT_LATIN, KT_META, KT_LETTER, KT_DEAD2
		kdChar(p, val)
	default:
		hexOrZero(p, uint64(val))
	}
	p.s(") */")
}

// kdKbSentry is KDGKBSENT and KDSKBSENT: struct kbsentry's function key,
// then its string (up to its NUL, at most 512 bytes and -s; ??? when it
// cannot be read).
func kdKbSentry(get bool) ioctlDef {
	return kdDef(513, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 1 {
			p.x(c.Args[i])
			return
		}
		p.s("{kb_func=")
		p.xlat(uint64(b[0]), kdKeyFnKeyVals, "/KVAL(K_???)")
		if get && !ioctlSucceeded(c) {
			p.c('}')
			return
		}
		p.s(", kb_string=")
		s := b[1:]
		n := 0 // umovestr's result: the length with its NUL, 0 without one in 512 bytes
		for j, ch := range s {
			if ch == 0 {
				n = j + 1
				break
			}
		}
		switch {
		case n == 0 && len(s) < 512: // a page it cannot read before the NUL
			p.s("???}")
			return
		case n == 0:
			n = 512
		}
		show := s[:min(n, p.strsize)]
		more := show[len(show)-1] != 0
		if !more {
			show = show[:len(show)-1]
		}
		p.quote(show, more)
		p.c('}')
	})
}

// kdUnimap is GIO_UNIMAP and PIO_UNIMAP: struct unimapdesc's count (the
// caller's, then the driver's) and its entries (wire.CKDeref: entry_ct
// of struct unipair, as the call left them).
func kdUnimap(get bool) ioctlDef {
	d := kdDef(16, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 16 {
			p.x(c.Args[i])
			return
		}
		ct, entries := uint64(le.Uint16(b)), le.Uint64(b[8:])
		p.s("{entry_ct=")
		p.u(ct)
		if get && c.Complete() {
			p.s(" => ")
			p.u(ct)
		}
		p.s(", entries=")
		if get && !ioctlSucceeded(c) && c.Ret != -12 { // but ENOMEM
			p.ptr(entries)
		} else {
			printArrayAt(p, entries, c.Cap(i, wire.DerefIdx+8), 4, ct, func(p *printer, _ uint64, e []byte) bool {
				p.s("{unicode=")
				hexOrZero(p, uint64(le.Uint16(e)))
				p.s(", fontpos=")
				hexOrZero(p, uint64(le.Uint16(e[2:])))
				p.c('}')
				return true
			})
		}
		p.c('}')
	})
	d.also = &[]capRule{{kind: wire.CKDeref, elem: 4, ptrOff: 8, cntSize: 2}}
	return d
}

// kdFontx is GIO_FONTX and PIO_FONTX: struct consolefontdesc, with its
// chardata (wire.CKDeref, up to -s's bytes as the call left them): the
// font set, in hex; the one got, after the call (its address before).
func kdFontx(get bool) ioctlDef {
	desc := func(p *printer, b []byte, cp *wire.Cap, data bool) {
		p.s("{charcount=")
		p.u(uint64(le.Uint16(b)))
		p.s(", charheight=")
		p.u(uint64(le.Uint16(b[2:])))
		p.s(", chardata=")
		chardata, n := le.Uint64(b[8:]), int(min(le.Uint16(b), 512))*32
		if d, ok := derefBytes(cp, min(n, p.strsize)); data && chardata != 0 && (ok || n == 0) {
			p.quoteHex(d, n > p.strsize) // no bytes: "", which reads none
		} else {
			p.ptr(chardata)
		}
		p.c('}')
	}
	return kdDefAlso(16, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 16 {
			p.x(c.Args[i])
			return
		}
		cp := c.Cap(i, wire.DerefIdx+8)
		desc(p, b, cp, !get)
		if get && ioctlSucceeded(c) {
			p.s(" => ")
			desc(p, b, cp, true)
		}
	}, &[]capRule{{kind: wire.CKDeref, sizeFrom: wire.SzStrsize, elem: 1, ptrOff: 8}})
}

// kdFontOp is KDFONTOP: struct console_font_op, by its op, with its font
// data (wire.CKDeref: up to -s's bytes, as the call left them).
func kdFontOp(p *printer, c *Call, i int, b []byte) {
	if len(b) < 32 {
		p.x(c.Args[i])
		return
	}
	op := le.Uint32(b)
	data := c.Cap(i, wire.DerefIdx+24)
	kdFontOpFields(p, b, data, true)
	if op != 0 && op != 3 && ioctlSucceeded(c) { // but SET and COPY: what the driver left
		p.s(" => ")
		kdFontOpFields(p, b, data, false)
	}
}

var kdFontOpData = &[]capRule{{kind: wire.CKDeref, sizeFrom: wire.SzStrsize, elem: 1, ptrOff: 24}}

func kdFontOpFields(p *printer, b []byte, cp *wire.Cap, entry bool) {
	op := le.Uint32(b)
	u := func(name string, off int) { p.s(name); p.u(uint64(le.Uint32(b[off:]))) }
	p.c('{')
	if entry {
		p.s("op=")
		p.xlat(uint64(op), kdFontOps, "/KD_FONT_OP_???")
		if op != 2 && op != 3 {
			p.s(", flags=")
			p.flagsDflt(uint64(le.Uint32(b[4:])), kdFontFlags, "", "KD_FONT_FLAG_???")
		}
		p.s(", ")
	}
	if op == 3 { // COPY
		u("height=", 12)
	} else {
		u("width=", 8)
		u(", height=", 12)
	}
	if op != 2 && op != 3 {
		u(", charcount=", 16)
	}
	if op != 3 && (entry || op != 2) {
		p.s(", data=")
		data := le.Uint64(b[24:])
		n := (min(le.Uint32(b[8:]), 32) + 7) / 8 * 32 * min(le.Uint32(b[16:]), 512)
		switch {
		case data != 0 && n == 0 && (op == 0 || op == 1 && !entry):
			p.s(`""`) // printstr_ex of no bytes reads none
		case op == 0 || op == 1 && !entry: // the font, in hex
			if d, ok := derefBytes(cp, min(int(n), p.strsize)); ok {
				p.quoteHex(d, int(n) > p.strsize)
			} else {
				p.ptr(data)
			}
		case op == 2 && entry: // the font's name: up to its NUL, at most 32 bytes
			d, ok := derefBytes(cp, min(32, p.strsize+1))
			if !ok && cp != nil && cp.Part() && bytes.IndexByte(cp.Data, 0) >= 0 {
				d, ok = cp.Data, true // it ends before the page that could not be read
			}
			if ok && data != 0 {
				quote0(p, d, true)
			} else {
				p.ptr(data)
			}
		default:
			p.ptr(data)
		}
	}
	p.c('}')
}

// derefBytes is the first n bytes of a wire.CKDeref capture, if they were
// read (up to a page that could not be, they may be).
func derefBytes(cp *wire.Cap, n int) ([]byte, bool) {
	if cp == nil || len(cp.Data) < n || cp.Fault() && !cp.Part() {
		return nil, false
	}
	return cp.Data[:n], true
}

func kdDefAlso(n int, pr func(p *printer, c *Call, i int, b []byte), also *[]capRule) ioctlDef {
	d := kdDef(n, pr)
	d.also = also
	return d
}

func init() {
	kbdMode := func(p *printer, v uint64) { p.xlatFmt(uint64(int64(int32(v))), kdKbdModes, 'd', "K_???") }
	meta := func(p *printer, v uint64) { p.xlat(v, kdMetaVals, "/K_???") }
	registerIoctls(map[uint32]ioctlDef{
		0x4b2f: {arg: kiocsound},                                                                                  // KIOCSOUND
		0x4b30: {arg: kdMkTone},                                                                                   // KDMKTONE
		0x4b31: kdLeds(true, false),                                                                               // KDGETLED
		0x4b32: kdLeds(false, false),                                                                              // KDSETLED
		0x4b64: kdLeds(true, true),                                                                                // KDGKBLED
		0x4b65: kdLeds(false, true),                                                                               // KDSKBLED
		0x4b33: kdIndirect(1, true, func(p *printer, v uint64) { p.xlat(v, kdKbdTypes, "/KB_???") }),              // KDGKBTYPE
		0x4b34: {arg: kdIo},                                                                                       // KDADDIO
		0x4b35: {arg: kdIo},                                                                                       // KDDELIO
		0x4b3a: {arg: func(p *printer, c *Call, i int) { p.xlat(uint64(uint32(c.Args[i])), kdModes, "/KD_???") }}, // KDSETMODE
		0x4b3b: kdIndirect(4, true, func(p *printer, v uint64) { p.xlat(v, kdModes, "/KD_???") }),                 // KDGETMODE
		0x4b40: kdHexStr(256, true),                                                                               // GIO_SCRNMAP
		0x4b41: kdHexStr(256, false),                                                                              // PIO_SCRNMAP
		0x4b69: kdUniScrnmap(true),                                                                                // GIO_UNISCRNMAP
		0x4b6a: kdUniScrnmap(false),                                                                               // PIO_UNISCRNMAP
		0x4b44: kdIndirect(4, true, kbdMode),                                                                      // KDGKBMODE
		0x4b45: {arg: func(p *printer, c *Call, i int) { kbdMode(p, c.Args[i]) }},                                 // KDSKBMODE
		0x4b46: kdKbEntry(true),                                                                                   // KDGKBENT
		0x4b47: kdKbEntry(false),                                                                                  // KDSKBENT
		0x4b48: kdKbSentry(true),                                                                                  // KDGKBSENT
		0x4b49: kdKbSentry(false),                                                                                 // KDSKBSENT
		0x4b4a: kdCount(true, "kbdiacr", 3, kdDiacr),                                                              // KDGKBDIACR
		0x4b4b: kdCount(false, "kbdiacr", 3, kdDiacr),                                                             // KDSKBDIACR
		0x4bfa: kdCount(true, "kbdiacruc", 12, kdDiacrUC),                                                         // KDGKBDIACRUC
		0x4bfb: kdCount(false, "kbdiacruc", 12, kdDiacrUC),                                                        // KDSKBDIACRUC
		0x4b4c: kdKeycode(true),                                                                                   // KDGETKEYCODE
		0x4b4d: kdKeycode(false),                                                                                  // KDSETKEYCODE
		0x4b4e: {arg: kdSigaccept},                                                                                // KDSIGACCEPT
		0x4b52: kdDef(8, kdKbdrep),                                                                                // KDKBDREP
		0x4b60: kdHexStr(8192, true),                                                                              // GIO_FONT
		0x4b61: kdHexStr(8192, false),                                                                             // PIO_FONT
		0x4b62: kdIndirect(4, true, meta),                                                                         // KDGKBMETA
		0x4b63: {arg: func(p *printer, c *Call, i int) { meta(p, uint64(uint32(c.Args[i]))) }},                    // KDSKBMETA
		0x4b68: kdDef(6, kdUnimapclr),                                                                             // PIO_UNIMAPCLR
		0x4b70: kdHexStr(48, true),                                                                                // GIO_CMAP
		0x4b71: kdHexStr(48, false),                                                                               // PIO_CMAP
		0x4b66: kdUnimap(true),                                                                                    // GIO_UNIMAP
		0x4b67: kdUnimap(false),                                                                                   // PIO_UNIMAP
		0x4b6b: kdFontx(true),                                                                                     // GIO_FONTX
		0x4b6c: kdFontx(false),                                                                                    // PIO_FONTX
		0x4b72: kdDefAlso(32, kdFontOp, kdFontOpData),                                                             // KDFONTOP
		// KDENABIO, KDDISABIO, KDMAPDISP, KDUNMAPDISP, PIO_FONTRESET
		0x4b36: {none: true}, 0x4b37: {none: true}, 0x4b3c: {none: true}, 0x4b3d: {none: true}, 0x4b6d: {none: true},
	})
}
