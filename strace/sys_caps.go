package strace

import "github.com/eproc/eproc/loader/wire"

// capget and capset (strace's capability.c). The header, {version, pid},
// is printed as the call entered: the kernel writes its preferred version
// back into a header whose version it does not know (and then fails, or
// for capget with a NULL data pointer succeeds), so it is read at entry
// too (element wire.EntryIdx). The data array has one element
// (_LINUX_CAPABILITY_VERSION_1, or a version it does not know) or two
// (_2, _3), each {effective, permitted, inheritable}; bits 32 to 63 of a
// set are the second element's, printed after the first's. -e verbose=
// without the call: both pointers' addresses.

const (
	capVersion1 = 0x19980330
	capVersion2 = 0x20071026
	capVersion3 = 0x20080522
	capHdrSize  = 8
	capDataSize = 12 // struct __user_cap_data_struct
)

var (
	capVersions = []flag{{capVersion1, "_LINUX_CAPABILITY_VERSION_1"}, {capVersion2, "_LINUX_CAPABILITY_VERSION_2"},
		{capVersion3, "_LINUX_CAPABILITY_VERSION_3"}}
	// capMask0 and capMask1 are strace's cap_mask0 and cap_mask1: the
	// bits of a set's first and second 32-bit words.
	capMask0 = capMaskTab(0)
	capMask1 = capMaskTab(32)
)

func capMaskTab(from int) []flag {
	var tab []flag
	for _, f := range capNames {
		if n := int(f.v) - from; n >= 0 && n < 32 {
			tab = append(tab, flag{1 << n, "1<<" + f.name})
		}
	}
	return tab
}

var (
	// kCapHeader is the header: read at exit (capget's data needs the
	// version the kernel left there) and as the call entered (printed).
	kCapHeader = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: capHdrSize,
		max: capHdrSize, when: wire.CWIn, entry: capHdrSize}, fmt: fmtCapHeader})
	// kCapDataIn is capset's data, kCapDataOut capget's: two elements
	// read, or those before a page that could not be read (wire.CapPart).
	kCapDataIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 2 * capDataSize,
		max: 2 * capDataSize, when: wire.CWIn}, fmt: func(p *printer, c *Call, i int) {
		h, ok := capHeaderAtEntry(p, c)
		fmtCapData(p, c, i, h, ok)
	}})
	kCapDataOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 2 * capDataSize,
		max: 2 * capDataSize, when: wire.CWOK}, fmt: func(p *printer, c *Call, i int) {
		// The header as the call left it, if it succeeded.
		var h []byte
		ok := c.Ret >= 0 && c.Complete() && p.verbose() && c.Args[0] != 0
		if ok {
			h, ok = capHeaderCap(c, 0)
		}
		fmtCapData(p, c, i, h, ok)
	}})
)

// capHeaderCap is header capture idx (0: at exit; wire.EntryIdx: at
// entry), when it was read.
func capHeaderCap(c *Call, idx int) ([]byte, bool) {
	cp := c.Cap(0, idx)
	if cp == nil || cp.Fault() || len(cp.Data) < capHdrSize {
		return nil, false
	}
	return cp.Data, true
}

// capHeaderAtEntry is strace's get_cap_header at entry: the header as the
// call entered (as it left, when its entry was not seen), unless NULL,
// unreadable or not to be shown (-e verbose=).
func capHeaderAtEntry(p *printer, c *Call) ([]byte, bool) {
	if c.Args[0] == 0 || !p.verbose() {
		return nil, false
	}
	if h, ok := capHeaderCap(c, wire.EntryIdx); ok {
		return h, true
	}
	// Its entry was not seen, or the page was not in memory then: as
	// the call left it.
	return capHeaderCap(c, 0)
}

func fmtCapHeader(p *printer, c *Call, i int) {
	h, ok := capHeaderAtEntry(p, c)
	if !ok {
		p.ptr(c.Args[i])
		return
	}
	p.s("{version=")
	p.xlat(uint64(le.Uint32(h)), capVersions, "/_LINUX_CAPABILITY_VERSION_???")
	p.s(", pid=")
	p.pid(int32(le.Uint32(h[4:])), ptTgid)
	p.c('}')
}

// fmtCapData is strace's print_cap_data with header h (ok: there is one).
func fmtCapData(p *printer, c *Call, i int, h []byte, ok bool) {
	if c.Args[i] == 0 || !ok {
		p.ptr(c.Args[i])
		return
	}
	n := 1
	if v := le.Uint32(h); v == capVersion2 || v == capVersion3 {
		n = 2
	}
	cp := c.Cap(i, 0)
	if cp == nil || len(cp.Data) < n*capDataSize || cp.Fault() && cp.Flags&wire.CapPart == 0 {
		p.ptr(c.Args[i])
		return
	}
	d := cp.Data
	for k, name := range [3]string{"{effective=", ", permitted=", ", inheritable="} {
		p.s(name)
		var hi uint32
		if n > 1 {
			hi = le.Uint32(d[capDataSize+4*k:])
		}
		capBits(p, le.Uint32(d[4*k:]), hi)
	}
	p.c('}')
}

// capBits is strace's print_cap_bits: the low word's flags unless only
// the high word has bits, then the high word's.
func capBits(p *printer, lo, hi uint32) {
	if lo != 0 || hi == 0 {
		p.flagsDflt(uint64(lo), capMask0, "", "CAP_???")
	}
	if hi != 0 {
		if lo != 0 {
			p.c('|')
		}
		p.flagsDflt(uint64(hi), capMask1, "", "CAP_???")
	}
}

func init() {
	registerSigs(map[string]sig{
		"capget": {args: []kind{kCapHeader, kCapDataOut}, class: ClassCreds},
		"capset": {args: []kind{kCapHeader, kCapDataIn}, class: ClassCreds},
	})
}
