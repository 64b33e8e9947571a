package strace

import "github.com/eproc/eproc/loader/wire"

// io_uring_register's operations whose argument points to a struct with
// arrays behind pointers in it (FILES_UPDATE, FILES2, BUFFERS2,
// FILES_UPDATE2, BUFFERS_UPDATE: the arrays are wire.CKDeref captures),
// and those strace prints again at exit (PROBE, IOWQ_MAX_WORKERS), as
// strace 6.1's io_uring.c prints them.

const (
	uringRegFilesUpdate    = 6
	uringRegProbe          = 8
	uringRegFiles2         = 13
	uringRegFilesUpdate2   = 14
	uringRegBuffers2       = 15
	uringRegBuffersUpdate  = 16
	uringRegIowqMaxWorkers = 19
	// uringProbeOpsMax: strace prints the address of a probe of more ops.
	uringProbeOpsMax = 256
	uringProbeSize   = 16 + 8*uringProbeOpsMax
	// uringRsrcSize is struct io_uring_rsrc_register's and
	// io_uring_rsrc_update2's; strace prints the bytes past it up to
	// nr_args, at most a page (uringRsrcMax).
	uringRsrcSize = 32
	uringRsrcMax  = 4096
)

var (
	uringRsrcRegisterFlags = []flag{{1, "IORING_RSRC_REGISTER_SPARSE"}}
	uringFilesUpdateFds    = []flag{{^uint64(1), "IORING_REGISTER_FILES_SKIP"}} // -2
	uringIowqAcct          = []flag{{0, "IO_WQ_BOUND"}, {1, "IO_WQ_UNBOUND"}}
	uringOpFlags           = []flag{{1, "IO_URING_OP_SUPPORTED"}}
)

// uringDeref captures the array of elem-byte elements the pointer at
// ptrOff in the argument's struct points to, as many as the u32 at cntOff
// says (at most as many as strace prints, and the one past them).
func uringDeref(ptrOff, cntOff uint8, elem int) capRule {
	return capRule{kind: wire.CKDeref, elem: uint16(elem), max: uint16(elem * uringArrayMax), when: wire.CWIn,
		ptrOff: ptrOff, cntOff: cntOff, cntSize: 4}
}

// uringRsrcRule captures struct io_uring_rsrc_register or
// io_uring_rsrc_update2 (nr_args bytes, at most a page), and its data
// (elements of dataElem bytes) and tags arrays, nr of each.
func uringRsrcRule(dataOff, tagsOff, nrOff uint8, dataElem int) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 1, max: uringRsrcMax, when: wire.CWIn,
		also: &[]capRule{uringDeref(dataOff, nrOff, dataElem), uringDeref(tagsOff, nrOff, 8)}}
}

// uringRsrcCases are the captures of these operations' argument.
func uringRsrcCases(m map[uint32]map[int]capRule) {
	m[uringRegFilesUpdate] = map[int]capRule{2: {kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 16, max: 16, when: wire.CWIn,
		// fds: nr_args of them (the whole register: CK_DEREF takes no
		// 32-bit count; the capture's bound keeps it small).
		also: &[]capRule{{kind: wire.CKDeref, sizeFrom: wire.SzArg, sizeRel: 1, elem: 4, max: 4 * uringArrayMax,
			when: wire.CWIn, ptrOff: 8}}}}
	m[uringRegFiles2] = map[int]capRule{2: uringRsrcRule(16, 24, 0, 4)}
	m[uringRegBuffers2] = map[int]capRule{2: uringRsrcRule(16, 24, 0, 16)}
	m[uringRegFilesUpdate2] = map[int]capRule{2: uringRsrcRule(8, 16, 24, 4)}
	m[uringRegBuffersUpdate] = map[int]capRule{2: uringRsrcRule(8, 16, 24, 16)}
	// The probe: its header and as many ops as strace reads at most (the
	// read stops at the first page that cannot be read).
	m[uringRegProbe] = map[int]capRule{2: capIn(uringProbeSize)}
	m[uringRegIowqMaxWorkers] = map[int]capRule{2: {kind: wire.CKMem, sizeFrom: wire.SzArg32, sizeRel: 1, elem: 4,
		max: 4 * uringArrayMax, when: wire.CWIn}}
}

// uringRegisterOutFrom: PROBE's and IOWQ_MAX_WORKERS' argument is printed
// once the call returned (what it was, " => " and what it is).
func uringRegisterOutFrom(c *Call) int {
	switch uint32(c.Args[1]) {
	case uringRegProbe, uringRegIowqMaxWorkers:
		return 2
	}
	return noOut
}

// fmtUringRsrcArg prints the argument of the operations of this file; it
// reports false for the others.
func fmtUringRsrcArg(p *printer, c *Call, i int) bool {
	switch op := uint32(c.Args[1]); op {
	case uringRegFilesUpdate:
		fmtUringFilesUpdate(p, c, i)
	case uringRegFiles2, uringRegBuffers2, uringRegFilesUpdate2, uringRegBuffersUpdate:
		fmtUringRsrc(p, c, i, op)
	case uringRegProbe:
		fmtUringProbe(p, c, i)
	case uringRegIowqMaxWorkers:
		fmtUringIowqMax(p, c, i)
	default:
		return false
	}
	return true
}

// uringUpdateFd prints an element of FILES_UPDATE's descriptors: a
// descriptor, or below -1 a constant (IORING_REGISTER_FILES_SKIP) or the
// number.
func uringUpdateFd(c *Call) func(p *printer, _ uint64, b []byte) bool {
	return func(p *printer, _ uint64, b []byte) bool {
		fd := int32(le.Uint32(b))
		if fd < -1 {
			p.xlatFmt(uint64(int64(fd)), uringFilesUpdateFds, 'd', "")
		} else {
			p.fd(c, fd)
		}
		return true
	}
}

// fmtUringFilesUpdate prints struct io_uring_files_update and its fds,
// nr_args of them.
func fmtUringFilesUpdate(p *printer, c *Call, i int) {
	cp := captured(p, c, i, 16)
	if cp == nil {
		return
	}
	b := cp.Data
	p.s("{offset=")
	p.u(uint64(le.Uint32(b)))
	if v := le.Uint32(b[4:]); v != 0 {
		p.s(", resv=")
		p.x(uint64(v))
	}
	p.s(", fds=")
	printArrayAt(p, le.Uint64(b[8:]), c.Cap(i, wire.DerefIdx+8), 4, uint64(uint32(c.Args[i+1])), uringUpdateFd(c))
	p.c('}')
}

// fmtUringRsrc prints struct io_uring_rsrc_register (FILES2, BUFFERS2) or
// io_uring_rsrc_update2 (FILES_UPDATE2, BUFFERS_UPDATE): its address when
// nr_args is less than its size; the bytes past it, up to nr_args, when
// they are not all zero.
func fmtUringRsrc(p *printer, c *Call, i int, op uint32) {
	size := uint64(uint32(c.Args[i+1]))
	cp := c.Cap(i, 0)
	switch {
	case c.Args[i] == 0:
		p.s("NULL")
		return
	case size < uringRsrcSize || !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < uringRsrcSize:
		p.ptr(c.Args[i])
		return
	}
	b := cp.Data
	update := op == uringRegFilesUpdate2 || op == uringRegBuffersUpdate
	var nr uint64
	var dataOff int
	if update {
		nr, dataOff = uint64(le.Uint32(b[24:])), 8
		p.s("{offset=")
		p.u(uint64(le.Uint32(b)))
		if v := le.Uint32(b[4:]); v != 0 {
			p.s(", resv=")
			p.x(uint64(v))
		}
	} else {
		nr, dataOff = uint64(le.Uint32(b)), 16
		p.s("{nr=")
		p.u(nr)
		p.s(", flags=")
		flagsOrUnknown(p, uint64(le.Uint32(b[4:])), uringRsrcRegisterFlags, "", "IORING_RSRC_REGISTER_???")
		if v := le.Uint64(b[8:]); v != 0 {
			p.s(", resv2=")
			p.x(v)
		}
	}
	uringRsrcArrays(p, c, i, op, b, dataOff, nr)
	if update {
		p.s(", nr=")
		p.u(nr)
		if v := le.Uint32(b[28:]); v != 0 {
			p.s(", resv2=")
			p.x(uint64(v))
		}
	}
	structTail(p, cp, uringRsrcSize, min(size, uringRsrcMax))
	p.c('}')
}

// uringRsrcArrays prints data (descriptors, or iovecs for the buffer
// operations) and tags (u64s), the arrays the pointers at dataOff and
// dataOff+8 of struct b point to, nr elements each.
func uringRsrcArrays(p *printer, c *Call, i int, op uint32, b []byte, dataOff int, nr uint64) {
	data, tags := le.Uint64(b[dataOff:]), le.Uint64(b[dataOff+8:])
	dcp := c.Cap(i, wire.DerefIdx+dataOff)
	p.s(", data=")
	switch op {
	case uringRegFiles2:
		printArrayAt(p, data, dcp, 4, nr, func(p *printer, _ uint64, e []byte) bool {
			p.fd(c, int32(le.Uint32(e)))
			return true
		})
	case uringRegFilesUpdate2:
		printArrayAt(p, data, dcp, 4, nr, uringUpdateFd(c))
	default:
		printArrayAt(p, data, dcp, 16, nr, func(p *printer, _ uint64, e []byte) bool {
			p.s("{iov_base=")
			p.ptr(le.Uint64(e))
			p.s(", iov_len=")
			p.u(le.Uint64(e[8:]))
			p.c('}')
			return true
		})
	}
	p.s(", tags=")
	printArrayAt(p, tags, c.Cap(i, wire.DerefIdx+dataOff+8), 8, nr, func(p *printer, _ uint64, e []byte) bool {
		hexOrZero(p, le.Uint64(e))
		return true
	})
}

// fmtUringProbe prints PROBE's struct io_uring_probe and nr_args ops as
// strace does: at entry the struct unless it is all zero, at exit, when
// the call succeeded, " => " (after the entry's) and the struct with
// min(ops_len, nr_args) ops; when it failed, the address if nothing was
// printed at entry. One capture, taken at exit, serves both: the kernel
// writes the probe only when it succeeds, and succeeds only when it was
// all zero (else EINVAL), so a call that succeeded had a zero probe,
// unless its result was injected (the probe is then as it was).
func fmtUringProbe(p *printer, c *Call, i int) {
	addr, n := c.Args[i], uint64(uint32(c.Args[i+1]))
	need := 16 + 8*n
	cp := c.Cap(i, 0)
	if addr == 0 || n > uringProbeOpsMax || !p.verbose() || cp == nil || cp.Fault() && !cp.Part() ||
		uint64(len(cp.Data)) < need {
		p.ptr(addr)
		return
	}
	b := cp.Data[:need]
	ok := c.Complete() && (c.Ret >= 0 || c.Ret < -4095)
	in := !allZero(b) && !(ok && !p.injected)
	if in {
		uringProbe(p, b, n, false)
	}
	switch {
	case !c.Complete():
	case !ok:
		if !in {
			p.ptr(addr)
		}
	default:
		if in {
			p.s(" => ")
		}
		opsLen := uint64(b[1])
		uringProbe(p, b, min(opsLen, n), n < opsLen)
	}
}

// allZero reports whether every byte of b is zero.
func allZero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

// uringProbe prints struct io_uring_probe b and ops of its ops (cut at
// -s's unless -v); trunc: "..." after them (more ops than were asked for).
func uringProbe(p *printer, b []byte, ops uint64, trunc bool) {
	p.s("{last_op=")
	p.xlatFmt(uint64(b[0]), uringOps, 'u', "IORING_OP_???")
	p.s(", ops_len=")
	p.u(uint64(b[1]))
	if v := le.Uint16(b[2:]); v != 0 {
		p.s(", resv=")
		p.x(uint64(v))
	}
	if r := b[4:16]; !allZero(r) {
		p.s(", resv2=[")
		for k := 0; k < 3; k++ {
			if k > 0 {
				p.s(", ")
			}
			hexOrZero(p, uint64(le.Uint32(r[4*k:])))
		}
		p.c(']')
	}
	p.s(", ops=[")
	for k := uint64(0); k < ops; k++ {
		if k > 0 {
			p.s(", ")
		}
		if k == uint64(p.strsize) && p.abbrev() {
			p.s("...")
			trunc = false
			break
		}
		uringProbeOp(p, b[16+8*k:])
	}
	if trunc {
		if ops > 0 {
			p.s(", ")
		}
		p.s("...")
	}
	p.s("]}")
}

// uringProbeOp prints a struct io_uring_probe_op.
func uringProbeOp(p *printer, b []byte) {
	p.s("{op=")
	p.xlatFmt(uint64(b[0]), uringOps, 'u', "IORING_OP_???")
	if b[1] != 0 {
		p.s(", resv=")
		p.x(uint64(b[1]))
	}
	p.s(", flags=")
	flagsOrUnknown(p, uint64(le.Uint16(b[2:])), uringOpFlags, "", "IO_URING_OP_???")
	if v := le.Uint32(b[4:]); v != 0 {
		p.s(", resv2=")
		p.x(uint64(v))
	}
	p.c('}')
}

// fmtUringIowqMax prints IOWQ_MAX_WORKERS' array of nr_args u32s, by
// index ([IO_WQ_BOUND]=N), and when it was read whole (or cut at -s's),
// " => " and, at exit, the array again (its address when the call
// failed). Both from the one capture, taken at exit: the kernel writes the
// old limits there when it succeeds.
func fmtUringIowqMax(p *printer, c *Call, i int) {
	n := uint64(uint32(c.Args[i+1]))
	if !uringIowqArray(p, c, i, n) || !c.Complete() {
		return
	}
	p.s(" => ")
	if c.Ret < 0 && c.Ret >= -4095 {
		p.ptr(c.Args[i])
		return
	}
	uringIowqArray(p, c, i, n)
}

// uringIowqArray prints the array, as strace's print_array_ex with
// indices, and reports whether it printed it whole or cut at -s's.
func uringIowqArray(p *printer, c *Call, i int, n uint64) bool {
	addr := c.Args[i]
	cp := c.Cap(i, 0)
	switch {
	case addr == 0:
		p.s("NULL")
		return false
	case n == 0:
		p.s("[]")
		return false
	case !p.verbose() || cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 4:
		p.ptr(addr)
		return false
	}
	d := cp.Data
	p.c('[')
	defer p.c(']')
	for k := uint64(0); k < n; k++ {
		if k > 0 {
			p.s(", ")
		}
		switch {
		case (k+1)*4 > uint64(len(d)) && cp.Part():
			p.s("... /* ")
			p.x(addr + 4*k)
			p.s(" */")
			return false
		case (k+1)*4 > uint64(len(d)), k == uint64(p.strsize) && p.abbrev():
			p.s("...")
			return true
		}
		p.c('[')
		p.xlatFmt(k, uringIowqAcct, 'u', "IO_WQ_???")
		p.s("]=")
		p.u(uint64(le.Uint32(d[4*k:])))
	}
	return true
}
