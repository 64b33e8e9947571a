package strace

import (
	"github.com/eproc/eproc/loader/wire"
)

// getdents and getdents64 printed whole (-v, or -e abbrev= without them),
// as strace 6.1's decode_dents (xgetdents.c) and the dentry printers of
// dirent.c and dirent64.c print them: every entry, its name up to 256
// bytes. Abbreviated, fmtDents prints the count the kernel side counted.
//
// A session that prints them whole (loader.SessionConfig.Whole, from
// WholeStructs) has the calls' records take their plans' case
// wire.WholeSel (wholeCaps): the entries' bytes too, up to wire.MaxCap, as
// element wholeIdx. Entries past those bytes end the array with "...",
// as strace ends it where it could read no further.

// wholeIdx is the element of the bytes a whole case captures.
const wholeIdx = 1

// wholeCaps are the calls whose plans have a whole case, and the rule it
// adds to (or, over, puts in place of) the argument's (a table: strace's
// abbrev(tcp) decoders that need more than their abbreviated form).
var wholeCaps = map[string]struct {
	arg  int
	rule capRule
	over bool
}{
	"getdents":   {1, capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, max: wire.MaxCap, when: wire.CWOK, ptrOff: wholeIdx}, false},
	"getdents64": {1, capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, max: wire.MaxCap, when: wire.CWOK, ptrOff: wholeIdx}, false},
	// A failed execve's environment, as its argv (a successful one's
	// comes with EV_EXEC).
	"execve":   {2, capRule{kind: wire.CKStrv, when: wire.CWIn}, true},
	"execveat": {3, capRule{kind: wire.CKStrv, when: wire.CWIn}, true},
}

// WholeStructs are the calls of wholeCaps that a session with strace's
// -e abbrev= set abbrev (Options.Abbrev) prints whole: its
// loader.SessionConfig.Whole.
func WholeStructs(abbrev []uint32) []uint32 {
	if abbrev == nil {
		return nil
	}
	in := map[uint32]bool{}
	for _, nr := range abbrev {
		in[nr] = true
	}
	var out []uint32
	for name := range wholeCaps {
		if nr, ok := Number(name); ok && !in[nr] {
			out = append(out, nr)
		}
	}
	return out
}

// direntTypes is dirent_types.in.
var direntTypes = []flag{{0, "DT_UNKNOWN"}, {1, "DT_FIFO"}, {2, "DT_CHR"}, {4, "DT_DIR"}, {6, "DT_BLK"},
	{8, "DT_REG"}, {10, "DT_LNK"}, {12, "DT_SOCK"}, {14, "DT_WHT"}}

// dentsWhole prints getdents' (hdr 18) or getdents64's (hdr 19) entries
// from their capture, decode_dents' way; false when there is none.
func dentsWhole(p *printer, c *Call, i int, hdr int) bool {
	cp := c.Cap(i, wholeIdx)
	if cp == nil || cp.Fault() || c.Ret < 0 || uint64(c.Ret) > uint64(uint32(c.Args[i+1])) {
		return false
	}
	data, addr, n := cp.Data, c.Args[i], int(c.Ret)
	count := 0
	for off := 0; ; {
		if n < hdr {
			if n == 0 && count == 0 {
				p.c('[')
				count++
			} else if n > 0 {
				p.quoteHex(data[off:min(off+n, len(data))], off+n > len(data))
			}
			break
		}
		if off+hdr > len(data) {
			// Past the bytes captured.
			if count > 0 {
				p.s("... /* ")
				p.x(addr + uint64(off))
				p.s(" */")
			} else {
				p.ptr(addr + uint64(off))
			}
			break
		}
		if count == 0 {
			p.c('[')
		}
		count++
		e := data[off:]
		p.s("{d_ino=")
		p.u(le.Uint64(e))
		p.s(", d_off=")
		p.u(le.Uint64(e[8:]))
		reclen := int(le.Uint16(e[16:]))
		p.s(", d_reclen=")
		p.u(uint64(reclen))
		next := 0
		switch {
		case reclen > n:
			p.s(" /* ")
			p.u(uint64(reclen - n))
			p.s(" bytes overflow */")
			reclen = n
		case reclen < hdr:
			p.s(" /* ")
			p.u(uint64(hdr - reclen))
			p.s(" bytes underflow */")
			reclen = hdr
			next = n - hdr
		default:
			next = n - reclen
		}
		ok := dentTail(p, data, addr, off, hdr, reclen)
		if next == 0 {
			break
		}
		p.s(", ")
		if !ok {
			p.s("...")
			break
		}
		off += reclen
		n = next
	}
	if count > 0 {
		p.c(']')
	}
	return true
}

// dentTail prints an entry's d_type and d_name (getdents64: d_type in
// the header, then the name; getdents: the name, then d_type in the
// record's last byte) and the struct's end; false when its bytes were not
// all captured.
func dentTail(p *printer, data []byte, addr uint64, off, hdr, reclen int) bool {
	nameLen := reclen - hdr // getdents: the name and d_type
	if hdr == 19 {
		p.s(", d_type=")
		xlatOrUnknown(p, uint64(data[off+18]), direntTypes, "DT_???")
	} else if nameLen == 0 {
		p.c('}')
		return true
	} else {
		nameLen--
	}
	ok := true
	if nameLen > 0 {
		ok = dentName(p, data, off+hdr, min(nameLen, 256)-1)
	}
	if hdr == 18 {
		p.s(", d_type=")
		if t := off + reclen - 1; t < len(data) {
			xlatOrUnknown(p, uint64(data[t]), direntTypes, "DT_???")
		} else {
			p.ptr(addr + uint64(t)) // not captured: umove_or_printaddr's address
			ok = false
		}
	}
	p.c('}')
	return ok
}

// dentName is strace's printpathn(addr, n): the name up to its NUL among
// n+1 bytes, "..." when there is none.
func dentName(p *printer, data []byte, at, n int) bool {
	p.s(", d_name=")
	end := min(at+n+1, len(data))
	if at >= len(data) {
		p.s("...")
		return false
	}
	b := data[at:end]
	for k, ch := range b {
		if ch == 0 {
			p.quote(b[:k], false)
			return true
		}
	}
	p.quote(b[:min(len(b), n)], true)
	return end == at+n+1
}
