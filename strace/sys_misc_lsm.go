package strace

import "github.com/eproc/eproc/loader/wire"

// lsm_get_self_attr, lsm_set_self_attr and lsm_list_modules (Linux 6.8),
// which strace 6.1 does not know: as strace 7.2 prints them (its lsm.c).

const lsmCtxSize = 32 // struct lsm_ctx without its ctx bytes

var (
	lsmAttrs = []flag{{0, "LSM_ATTR_UNDEF"}, {100, "LSM_ATTR_CURRENT"}, {101, "LSM_ATTR_EXEC"}, {102, "LSM_ATTR_FSCREATE"},
		{103, "LSM_ATTR_KEYCREATE"}, {104, "LSM_ATTR_PREV"}, {105, "LSM_ATTR_SOCKCREATE"}}
	lsmIDs = []flag{{0, "LSM_ID_UNDEF"}, {100, "LSM_ID_CAPABILITY"}, {101, "LSM_ID_SELINUX"}, {102, "LSM_ID_SMACK"},
		{103, "LSM_ID_TOMOYO"}, {104, "LSM_ID_APPARMOR"}, {105, "LSM_ID_YAMA"}, {106, "LSM_ID_LOADPIN"},
		{107, "LSM_ID_SAFESETID"}, {108, "LSM_ID_LOCKDOWN"}, {109, "LSM_ID_BPF"}, {110, "LSM_ID_LANDLOCK"},
		{111, "LSM_ID_IMA"}, {112, "LSM_ID_EVM"}, {113, "LSM_ID_IPE"}}
	lsmFlags = []flag{{1, "LSM_FLAG_SINGLE"}}
)

// lsmCtx prints the struct lsm_ctx at addr whose first bytes are d (its
// header at least), in a buffer of size bytes from addr: its ctx bytes
// (as many as ctx_len says, within len and the buffer) in hex, cut at -s;
// their address when they could not be read.
func lsmCtx(p *printer, d []byte, addr uint64, size uint32) {
	p.s("{id=")
	p.xlat(le.Uint64(d), lsmIDs, "")
	p.s(", flags=")
	hexOrZero(p, le.Uint64(d[8:]))
	p.s(", len=")
	p.u(le.Uint64(d[16:]))
	p.s(", ctx_len=")
	p.u(le.Uint64(d[24:]))
	msg := min(le.Uint64(d[16:]), uint64(size))
	var n uint64
	if msg > lsmCtxSize {
		n = min(le.Uint64(d[24:]), msg-lsmCtxSize)
	}
	if n > 0 {
		p.s(", ctx=")
		show := min(n, uint64(p.strsize))
		if uint64(len(d)-lsmCtxSize) < show {
			p.x(addr + lsmCtxSize)
		} else {
			p.quoteHex(d[lsmCtxSize:lsmCtxSize+show], n > show)
		}
	}
	p.c('}')
}

// lsmCtxs prints lsm_get_self_attr's buffer: the struct lsm_ctx one after
// another, each len bytes, in size bytes (strace's
// decode_lsm_ctx_sequence), from its capture cp.
func lsmCtxs(p *printer, cp *wire.Cap, addr uint64, size uint32) {
	var d []byte
	if cp != nil && (!cp.Fault() || cp.Part()) {
		d = cp.Data
	}
	off := uint64(0)
	for elt := 0; ; elt++ {
		if size < lsmCtxSize || uint64(len(d)) < off+lsmCtxSize {
			if elt > 0 {
				p.s("... /* ")
				p.x(addr)
				p.s(" */]")
			} else {
				p.ptr(addr)
			}
			return
		}
		if elt == p.strsize && p.abbrev() {
			p.s("...")
			if elt > 0 {
				p.c(']')
			}
			return
		}
		h := d[off:]
		var nextAddr uint64
		var nextSize uint32
		if l := le.Uint64(h[16:]); l >= lsmCtxSize {
			if uint64(size) >= l {
				nextSize = size - uint32(l)
			}
			if nextSize > 0 && addr+l > addr {
				nextAddr = addr + l
			}
		}
		if elt == 0 {
			p.c('[')
		}
		lsmCtx(p, h, addr, size)
		if nextAddr == 0 {
			p.c(']')
			return
		}
		p.s(", ")
		off += nextAddr - addr
		addr, size = nextAddr, nextSize
	}
}

// atEntry is the first n bytes argument i pointed to as the call entered
// (a wire.CWEntry capture). When its entry was not seen (a call under way
// as tracing began, or one -e inject= answered without making it), the
// bytes there at its exit.
func atEntry(p *printer, c *Call, i, n int) ([]byte, bool) {
	if c.Args[i] == 0 || !p.verbose() {
		return nil, false
	}
	ep := c.Cap(i, wire.EntryIdx)
	if ep == nil {
		ep = c.Cap(i, 0)
		if ep == nil || ep.Fault() && !ep.Part() {
			return nil, false
		}
	} else if ep.Fault() {
		return nil, false
	}
	if len(ep.Data) < n {
		return nil, false
	}
	return ep.Data, true
}

// lsmSizeAtEntry is the u32 argument i points to as the call entered.
func lsmSizeAtEntry(p *printer, c *Call, i int) (uint32, bool) {
	d, ok := atEntry(p, c, i, 4)
	if !ok {
		return 0, false
	}
	return le.Uint32(d), true
}

// lsmSingleID is lsm_get_self_attr's ctx->id as the call entered, when
// LSM_FLAG_SINGLE asks the kernel to read it.
func lsmSingleID(p *printer, c *Call) (id uint64, single, ok bool) {
	if c.Args[3]&1 == 0 {
		return 0, false, true
	}
	d, ok := atEntry(p, c, 1, 8)
	if !ok {
		return 0, true, false
	}
	return le.Uint64(d), true, true
}

// lsmSizeOut is argument i, a u32 pointer, at the call's exit.
func lsmSizeOut(c *Call, i int) (uint32, bool) {
	cp := c.Cap(i, 0)
	if c.Args[i] == 0 || cp == nil || cp.Fault() || len(cp.Data) < 4 || !c.Complete() {
		return 0, false
	}
	return le.Uint32(cp.Data), true
}

var (
	kLsmAttr     = xlatKind(lsmAttrs, "LSM_ATTR_???")
	kLsmGetFlags = flagsKind(lsmFlags, "LSM_FLAG_???")
	// kLsmCtxIn is lsm_set_self_attr's struct lsm_ctx, size bytes.
	kLsmCtxIn = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 1, max: wire.MaxCap, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) {
			size := uint32(c.Args[i+1])
			if size < lsmCtxSize {
				p.ptr(c.Args[i])
				return
			}
			// Its header at least: the ctx bytes past a page that could
			// not be read are printed as their address.
			cp := c.Cap(i, 0)
			if !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < lsmCtxSize {
				p.x(c.Args[i])
				return
			}
			lsmCtx(p, cp.Data, c.Args[i], size)
		}})
	// kLsmCtxOut is lsm_get_self_attr's buffer, as long as the size the
	// call wrote back; and the struct's id as the call entered, which
	// the kernel reads with LSM_FLAG_SINGLE.
	kLsmCtxOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArgPtr, sizeRel: 1, elem: 1, max: wire.MaxCap,
		when: wire.CWOK, entry: 8}, fmt: func(p *printer, c *Call, i int) {
		id, single, idOK := lsmSingleID(p, c)
		if _, ok := lsmSizeAtEntry(p, c, i+1); !ok || !idOK {
			p.ptr(c.Args[i])
			return
		}
		if single {
			p.s("{id=")
			p.xlat(id, lsmIDs, "")
			p.c('}')
		}
		size, ok := lsmSizeOut(c, i+1)
		if !ok {
			if !single {
				p.ptr(c.Args[i])
			}
			return
		}
		if single {
			p.s(" => ")
		}
		if c.Ret < 0 || !p.verbose() {
			p.ptr(c.Args[i])
			return
		}
		lsmCtxs(p, c.Cap(i, 0), c.Args[i], size)
	}})
	// kLsmGetSize and kLsmListSize are the calls' u32 *size.
	kLsmGetSize  = lsmSizeKind(true)
	kLsmListSize = lsmSizeKind(false)
	// kLsmIDs is lsm_list_modules' array of u64 LSM ids, as many as it returned.
	kLsmIDs = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 8, max: 8 * 1023, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			if _, ok := lsmSizeAtEntry(p, c, i+1); !ok || !c.Complete() || c.Args[i] != 0 && !p.verbose() {
				p.ptr(c.Args[i])
				return
			}
			if _, ok := lsmSizeOut(c, i+1); !ok {
				p.ptr(c.Args[i])
				return
			}
			printArray(p, c, i, 8, uint64(c.Ret), func(p *printer, _ uint64, b []byte) bool {
				xlatOrUnknown(p, le.Uint64(b), lsmIDs, "LSM_ID_???")
				return true
			})
		}})
)

// lsmSizeKind is a u32 *size the call reads and writes: [in], or [in =>
// out] when it wrote another back (on errors too: E2BIG's is the size
// needed). get: lsm_get_self_attr's, printed as it entered when the
// struct LSM_FLAG_SINGLE names could not be read.
func lsmSizeKind(get bool) kind {
	return newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 4, max: 4, entry: 4},
		fmt: func(p *printer, c *Call, i int) {
			in, ok := lsmSizeAtEntry(p, c, i)
			if !ok {
				p.ptr(c.Args[i])
				return
			}
			out, outOK := lsmSizeOut(c, i)
			if _, _, idOK := lsmSingleID(p, c); get && !idOK {
				out, outOK = in, true // strace printed it at entry
			}
			if !outOK {
				p.ptr(c.Args[i])
				return
			}
			p.c('[')
			p.u(uint64(in))
			if out != in {
				p.s(" => ")
				p.u(uint64(out))
			}
			p.c(']')
		}})
}

func init() {
	registerSigs(map[string]sig{
		"lsm_get_self_attr": {args: []kind{kLsmAttr, kLsmCtxOut, kLsmGetSize, kLsmGetFlags}},
		"lsm_set_self_attr": {args: []kind{kLsmAttr, kLsmCtxIn, kUint, kUintHex}},
		"lsm_list_modules":  {args: []kind{kLsmIDs, kLsmListSize, kUintHex}},
	})
}
