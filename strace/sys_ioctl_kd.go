package strace

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Console ioctls (_IOC type 'K': KD*, KIOC*, GIO_*, PIO_*), as strace
// 6.1's kd_ioctl.c and kd_mpers_ioctl.c decode them. Tables: zkd_xlat.go.
// The requests carry no size: each capture has the size of what strace
// reads, taken at exit, and keeps what precedes a page it cannot read
// (strace reads a struct's fields, an array's elements, a string's
// bytes one after the other and stops there). The font and unicode maps
// GIO_UNIMAP, PIO_UNIMAP, GIO_FONTX, PIO_FONTX and KDFONTOP point to are
// not captured (a capture follows no pointer): their addresses.

// kdBytes is what the capture of argument i holds, all of it or what
// precedes a page it could not read; nil when nothing was read.
func kdBytes(c *Call, i int) []byte {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 || cp == nil || cp.Fault() && !cp.Part() {
		return nil
	}
	return cp.Data
}

// kdDef is a request printed from a capture of n bytes by pr, which gets
// what was read (maybe fewer than n bytes).
func kdDef(n int, pr func(p *printer, c *Call, i int, b []byte)) ioctlDef {
	return kdDefV(n, true, pr)
}

// kdDefV is kdDef; verbose: the struct is read with umove_or_printaddr,
// print_array or the like (an address under -e verbose=), not with
// printstr or umoven (kdHexStr, kdKbEntry).
func kdDefV(n int, verbose bool, pr func(p *printer, c *Call, i int, b []byte)) ioctlDef {
	return ioctlDef{size: n, exit: true, arg: func(p *printer, c *Call, i int) {
		if c.Args[i] == 0 || verbose && !p.verbose() {
			p.ptr(c.Args[i])
			return
		}
		pr(p, c, i, kdBytes(c, i))
	}}
}

// kdIndirect is umove_or_printaddr of an n-byte value printed in [],
// read when the call returned (get: only when it succeeded).
func kdIndirect(n int, get bool, pr func(p *printer, v uint64)) ioctlDef {
	return kdDef(n, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < n || get && !ioctlSucceeded(c) {
			p.x(c.Args[i])
			return
		}
		v := uint64(b[0])
		if n == 4 {
			v = uint64(le.Uint32(b))
		}
		p.c('[')
		pr(p, v)
		p.c(']')
	})
}

// kdHexStr is printstr_ex(arg, n, QUOTE_FORCE_HEX) (hexStrOf); get: the
// address when the call failed.
func kdHexStr(n int, get bool) ioctlDef {
	return kdDefV(min(n, hexStrMax), false, func(p *printer, c *Call, i int, b []byte) {
		if get && !ioctlSucceeded(c) {
			p.x(c.Args[i])
			return
		}
		hexStrOf(p, c.Args[i], b, n)
	})
}

func kdLeds(get, dflt bool) ioctlDef {
	tab := kdLedFlags
	if dflt {
		tab = kdDefaultLedFlags
	}
	pr := func(p *printer, v uint64) { p.flagsDflt(v, tab, "", "LED_???") }
	if get {
		return kdIndirect(1, true, pr)
	}
	return ioctlDef{arg: func(p *printer, c *Call, i int) { pr(p, uint64(uint8(c.Args[i]))) }}
}

// kdHz prints strace's comment of a tone's frequency.
func kdHz(p *printer, freq uint64, extra string) {
	if p.style == ConstRaw {
		return
	}
	if freq == 0 {
		p.comment("off")
		return
	}
	p.comment(fmt.Sprintf("%d Hz%s", freq, extra))
}

const kdPitTickRate = 1193182

func kiocsound(p *printer, c *Call, i int) {
	arg := c.Args[i]
	p.u(arg)
	freq := uint64(0)
	if arg != 0 {
		freq = uint64(uint32(kdPitTickRate / arg))
	}
	kdHz(p, freq, "")
}

func kdMkTone(p *printer, c *Call, i int) {
	arg := uint32(c.Args[i])
	ticks, count := arg>>16, arg&0xffff
	if ticks != 0 {
		p.u(uint64(ticks))
		p.s("<<16|")
	}
	p.u(uint64(count))
	freq := uint64(0)
	if ticks != 0 && count != 0 {
		freq = uint64(kdPitTickRate / count)
	}
	kdHz(p, freq, fmt.Sprintf(", %d ms", ticks))
}

func kdIo(p *printer, c *Call, i int) {
	arg := c.Args[i]
	hexOrZero(p, arg)
	if arg >= 0x3b4 && arg <= 0x3df && p.style != ConstRaw {
		p.comment(fmt.Sprintf("GPFIRST + %d", arg-0x3b4))
	}
}

// kdUniScrnmap is print_array of the 256 unsigned shorts of a unicode
// screen map, those in the direct range as UNI_DIRECT_BASE+n.
func kdUniScrnmap(get bool) ioctlDef {
	return kdDef(512, func(p *printer, c *Call, i int, b []byte) {
		if get && !ioctlSucceeded(c) || len(b) < 2 {
			p.x(c.Args[i])
			return
		}
		kdArray(p, c.Args[i], b, 2, 256, 256, false, func(e []byte) {
			v := uint64(le.Uint16(e))
			direct := v&^0x1ff == 0xf000
			if p.style != ConstAbbrev || !direct {
				hexOrZero(p, v)
			}
			if p.style == ConstRaw || !direct {
				return
			}
			s := fmt.Sprintf("UNI_DIRECT_BASE+%#x", v&0x1ff)
			if v&0x1ff == 0 {
				s = "UNI_DIRECT_BASE+0"
			}
			if p.style == ConstVerbose {
				p.comment(s)
			} else {
				p.s(s)
			}
		})
	})
}

// kdArray is print_array_ex over the bytes b read from addr: n elements
// of size bytes (at most -s of them without -v), up to the first that
// was not read ("... /* addr */"); truncated: the count was capped, "..."
// follows. The caller checked the first element was read.
func kdArray(p *printer, addr uint64, b []byte, size, n, cnt int, truncated bool, elem func(e []byte)) {
	if n == 0 {
		p.s("[]")
		return
	}
	p.c('[')
	k := 0
	for ; k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		if (k+1)*size > len(b) { // strace fetches an element before it abbreviates
			p.s("... /* ")
			p.x(addr + uint64(k*size))
			p.s(" */")
			break
		}
		if k >= p.strsize && p.abbrev() {
			p.s("...")
			break
		}
		elem(b[k*size : (k+1)*size])
	}
	if truncated && k == n {
		p.s(", ...")
	}
	p.c(']')
}

// kdCount is the struct of a kb_cnt and its array (KDGKBDIACR,
// KDSKBDIACR and their UC forms): size bytes an element.
func kdCount(get bool, field string, size int, elem func(p *printer, e []byte)) ioctlDef {
	return kdDef(4+256*size, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 4 || get && !ioctlSucceeded(c) {
			p.x(c.Args[i])
			return
		}
		cnt := int(le.Uint32(b))
		p.s("{kb_cnt=")
		p.u(uint64(uint32(cnt)))
		p.s(", ")
		p.s(field)
		p.c('=')
		n := min(cnt, 256)
		if n > 0 && len(b) < 4+size {
			p.x(c.Args[i] + 4)
		} else {
			kdArray(p, c.Args[i]+4, b[4:], size, n, cnt, cnt > 256, func(e []byte) { elem(p, e) })
		}
		p.c('}')
	})
}

// kdChar is print_char with quotes and \t-style white space.
func kdChar(p *printer, ch byte) {
	if ch >= '\t' && ch <= '\r' {
		p.s(`'\`)
		p.c("tnvfr"[ch-'\t'])
		p.c('\'')
		return
	}
	v4l2Char(p, ch)
}

func kdDiacr(p *printer, e []byte) {
	p.s("{diacr=")
	kdChar(p, e[0])
	p.s(", base=")
	kdChar(p, e[1])
	p.s(", result=")
	kdChar(p, e[2])
	p.c('}')
}

func kdDiacrUC(p *printer, e []byte) {
	for j, f := range []string{"{diacr=", ", base=", ", result="} {
		p.s(f)
		hexOrZero(p, uint64(le.Uint32(e[4*j:])))
	}
	p.c('}')
}

func kdKeycode(get bool) ioctlDef {
	return kdDef(8, func(p *printer, c *Call, i int, b []byte) {
		if len(b) < 8 {
			p.x(c.Args[i])
			return
		}
		p.s("{scancode=")
		hexOrZero(p, uint64(le.Uint32(b)))
		p.s(", keycode=")
		hexOrZero(p, uint64(le.Uint32(b[4:])))
		if get && ioctlSucceeded(c) {
			p.s(" => ")
			hexOrZero(p, uint64(le.Uint32(b[4:])))
		}
		p.c('}')
	})
}

func kdKbdRepeat(p *printer, b []byte) {
	p.s("{delay=")
	p.d(int64(int32(le.Uint32(b))))
	p.s(", period=")
	p.d(int64(int32(le.Uint32(b[4:]))))
	p.c('}')
}

func kdKbdrep(p *printer, c *Call, i int, b []byte) {
	if len(b) < 8 {
		p.x(c.Args[i])
		return
	}
	kdKbdRepeat(p, b)
	if ioctlSucceeded(c) {
		p.s(" => ")
		kdKbdRepeat(p, b)
	}
}

func kdUnimapclr(p *printer, c *Call, i int, b []byte) {
	if len(b) < 6 {
		p.x(c.Args[i])
		return
	}
	for j, f := range []string{"{advised_hashsize=", ", advised_hashstep=", ", advised_hashlevel="} {
		p.s(f)
		p.u(uint64(le.Uint16(b[2*j:])))
	}
	p.c('}')
}

func kdSigaccept(p *printer, c *Call, i int) {
	if arg := c.Args[i]; arg < 0x7fffffff { // printsignal: a constant under -X
		name := ""
		switch {
		case arg == 32:
			name = "SIGRTMIN"
		case arg > 32 && arg <= 64:
			name = fmt.Sprintf("SIGRT_%d", arg-32)
		default:
			name = unix.SignalName(unix.Signal(arg))
		}
		p.constVal(arg, 'u', name)
	} else {
		p.u(arg)
	}
}
