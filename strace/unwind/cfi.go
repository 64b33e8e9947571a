package unwind

import (
	"encoding/binary"
	"sort"
)

// A reader of .eh_frame: the call frame information (DWARF CFI, as GCC and
// clang emit it for x86_64 whether or not frame pointers are kept) that
// says, for each instruction, where the caller's stack pointer (the CFA)
// and the return address are. Only what a stack walk needs: the rows of
// a function's table up to an address, for the registers below.

// DWARF's x86_64 register numbers.
const (
	regRBP = 6
	regRSP = 7
	regRA  = 16 // the return address column
	nRegs  = 17
)

type cie struct {
	codeAlign  uint64
	dataAlign  int64
	ra         uint64
	enc        byte // FDE pointer encoding ('R')
	signal     bool // 'S': a signal trampoline's frame
	init       []byte
	hasAugData bool
}

type fde struct {
	begin, end uint64
	cie        *cie
	ins        []byte
}

type cfiTable struct {
	fdes []fde  // by begin
	addr uint64 // the section's address: pc-relative pointers count from it
	// rows: each address's row, once computed: a traced loop walks the
	// same few addresses call after call (dd bs=1: two stacks).
	rows map[uint64]cachedRow
}

type cachedRow struct {
	rw row
	ok bool
}

// maxRows bounds rows: past it, the cache starts again.
const maxRows = 1 << 16

// rowAt is the row at va, false where there is none or it cannot be
// computed.
func (t *cfiTable) rowAt(va uint64) (row, bool) {
	if c, hit := t.rows[va]; hit {
		return c.rw, c.ok
	}
	var c cachedRow
	if f := t.find(va); f != nil {
		c.rw, c.ok = f.rowAt(va, t.addr)
	}
	if t.rows == nil || len(t.rows) >= maxRows {
		t.rows = map[uint64]cachedRow{}
	}
	t.rows[va] = c
	return c.rw, c.ok
}

// Pointer encodings (DW_EH_PE_*).
const (
	peOmit    = 0xff
	peAbs     = 0x00
	peULEB    = 0x01
	peU2      = 0x02
	peU4      = 0x03
	peU8      = 0x04
	peSLEB    = 0x09
	peS2      = 0x0a
	peS4      = 0x0b
	peS8      = 0x0c
	pePCRel   = 0x10
	peDataRel = 0x30
)

type reader struct {
	b   []byte
	off int
	bad bool
}

func (r *reader) u8() byte {
	if r.off >= len(r.b) {
		r.bad = true
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || r.off+n > len(r.b) {
		r.bad = true
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *reader) uleb() uint64 {
	var v uint64
	for s := uint(0); ; s += 7 {
		c := r.u8()
		if s < 64 {
			v |= uint64(c&0x7f) << s
		}
		if c&0x80 == 0 || r.bad {
			return v
		}
	}
}

func (r *reader) sleb() int64 {
	var v int64
	var s uint
	for {
		c := r.u8()
		if s < 64 {
			v |= int64(c&0x7f) << s
		}
		s += 7
		if c&0x80 == 0 || r.bad {
			if s < 64 && c&0x40 != 0 {
				v |= -1 << s
			}
			return v
		}
	}
}

// ptr reads a pointer of encoding enc at the reader's place; base is the
// section's address (for pc-relative pointers).
func (r *reader) ptr(enc byte, base uint64) uint64 {
	at := base + uint64(r.off)
	var v uint64
	le := binary.LittleEndian
	switch enc & 0x0f {
	case peAbs, peU8, peS8:
		if b := r.bytes(8); b != nil {
			v = le.Uint64(b)
		}
	case peULEB:
		v = r.uleb()
	case peSLEB:
		v = uint64(r.sleb())
	case peU2:
		if b := r.bytes(2); b != nil {
			v = uint64(le.Uint16(b))
		}
	case peS2:
		if b := r.bytes(2); b != nil {
			v = uint64(int64(int16(le.Uint16(b))))
		}
	case peU4:
		if b := r.bytes(4); b != nil {
			v = uint64(le.Uint32(b))
		}
	case peS4:
		if b := r.bytes(4); b != nil {
			v = uint64(int64(int32(le.Uint32(b))))
		}
	default:
		r.bad = true
	}
	if enc&0x70 == pePCRel {
		v += at
	}
	return v
}

// parseEHFrame reads every FDE of an .eh_frame section loaded at addr.
func parseEHFrame(b []byte, addr uint64) *cfiTable {
	t := &cfiTable{addr: addr}
	cies := map[int]*cie{}
	le := binary.LittleEndian
	for off := 0; off+4 <= len(b); {
		start := off
		n := uint64(le.Uint32(b[off:]))
		off += 4
		if n == 0 {
			break // the terminator
		}
		if n == 0xffffffff {
			if off+8 > len(b) {
				break
			}
			n = le.Uint64(b[off:])
			off += 8
		}
		if n > uint64(len(b)-off) || n < 4 {
			break
		}
		body := b[off : off+int(n)]
		idAt := off
		next := off + int(n)
		id := le.Uint32(body)
		if id == 0 {
			if c := parseCIE(body[4:], addr+uint64(idAt+4)); c != nil {
				cies[start] = c
			}
		} else {
			c := cies[idAt-int(id)]
			if c == nil {
				c = cieAt(b, idAt-int(id), addr)
				if c != nil {
					cies[idAt-int(id)] = c
				}
			}
			if c != nil {
				r := &reader{b: body[4:]}
				base := addr + uint64(idAt+4)
				begin := r.ptr(c.enc, base)
				size := r.ptr(c.enc&0x0f, base)
				if c.hasAugData {
					r.bytes(int(r.uleb()))
				}
				if !r.bad && size > 0 {
					t.fdes = append(t.fdes, fde{begin: begin, end: begin + size, cie: c, ins: r.b[r.off:]})
				}
			}
		}
		off = next
	}
	sort.Slice(t.fdes, func(i, j int) bool { return t.fdes[i].begin < t.fdes[j].begin })
	return t
}

// cieAt parses the CIE whose length field is at off (an FDE may point at
// a CIE after it).
func cieAt(b []byte, off int, addr uint64) *cie {
	if off < 0 || off+8 > len(b) {
		return nil
	}
	n := int(binary.LittleEndian.Uint32(b[off:]))
	if n == 0xffffffff || off+4+n > len(b) || binary.LittleEndian.Uint32(b[off+4:]) != 0 {
		return nil
	}
	return parseCIE(b[off+8:off+4+n], addr+uint64(off+8))
}

// parseCIE parses a CIE's body after its id; base is its address.
func parseCIE(b []byte, base uint64) *cie {
	r := &reader{b: b}
	c := &cie{enc: peAbs}
	version := r.u8()
	aug := []byte{}
	for {
		ch := r.u8()
		if ch == 0 || r.bad {
			break
		}
		aug = append(aug, ch)
	}
	if len(aug) >= 2 && aug[0] == 'e' && aug[1] == 'h' {
		r.bytes(8)
	}
	c.codeAlign = r.uleb()
	c.dataAlign = r.sleb()
	if version == 1 {
		c.ra = uint64(r.u8())
	} else {
		c.ra = r.uleb()
	}
	if len(aug) > 0 && aug[0] == 'z' {
		c.hasAugData = true
		n := int(r.uleb())
		end := r.off + n
		for _, a := range aug[1:] {
			switch a {
			case 'L':
				r.u8()
			case 'P':
				e := r.u8()
				r.ptr(e, base)
			case 'R':
				c.enc = r.u8()
			case 'S':
				c.signal = true
			}
		}
		r.off = end
	}
	if r.bad || r.off > len(b) {
		return nil
	}
	c.init = b[r.off:]
	return c
}

// find is the FDE whose range holds pc, or nil.
func (t *cfiTable) find(pc uint64) *fde {
	i := sort.Search(len(t.fdes), func(i int) bool { return t.fdes[i].begin > pc })
	if i > 0 && pc < t.fdes[i-1].end {
		return &t.fdes[i-1]
	}
	return nil
}

// A rule says where a register's value in the caller is.
type ruleKind uint8

const (
	ruleSame      ruleKind = iota // unchanged (unspecified: callee-saved, as libunwind takes it)
	ruleUndefined                 // lost: for the return address, the stack's end
	ruleOffset                    // saved at CFA+off
	ruleValOffset                 // is CFA+off
	ruleRegister                  // in register reg
	ruleUnknown                   // an expression: not followed
)

type rule struct {
	kind ruleKind
	off  int64
	reg  uint64
}

// row is the table's row at an address: the CFA (a register plus an
// offset) and a rule for each register.
type row struct {
	cfaReg  uint64
	cfaOff  int64
	cfaExpr bool
	regs    [nRegs]rule
}

// rowAt runs f's CIE's initial instructions and its own up to pc.
func (f *fde) rowAt(pc uint64, base uint64) (row, bool) {
	in := &interp{c: f.cie, pc: ^uint64(0) - 1, base: base}
	ok := in.run(f.cie.init)
	init := in.rw
	in.init, in.loc, in.pc = &init, f.begin, pc
	ok = ok && in.run(f.ins)
	return in.rw, ok
}

// interp is the state of a CFA program's run: the row so far, the
// address it is at, and the rows remember_state keeps.
type interp struct {
	c        *cie
	rw       row
	init     *row // the CIE's row (restore), nil while running it
	stack    []row
	loc, pc  uint64 // where the program is; where the row is wanted
	base     uint64 // the section's address
	finished bool   // the row for pc is reached
}

// run interprets instructions until the first row past pc.
func (in *interp) run(ins []byte) bool {
	r := &reader{b: ins}
	for r.off < len(r.b) && !r.bad && !in.finished {
		op := r.u8()
		c := in.c
		switch op >> 6 {
		case 1: // advance_loc
			in.advance(uint64(op & 0x3f))
		case 2: // offset
			in.set(uint64(op&0x3f), rule{kind: ruleOffset, off: int64(r.uleb()) * c.dataAlign})
		case 3: // restore
			in.restore(uint64(op & 0x3f))
		default:
			if !in.op(r, op) {
				return false
			}
		}
	}
	return !r.bad
}

func (in *interp) advance(delta uint64) {
	in.loc += delta * in.c.codeAlign
	if in.loc > in.pc {
		in.finished = true
	}
}

func (in *interp) set(reg uint64, ru rule) {
	if reg < nRegs {
		in.rw.regs[reg] = ru
	}
}

func (in *interp) restore(reg uint64) {
	if in.init != nil && reg < nRegs {
		in.rw.regs[reg] = in.init.regs[reg]
	}
}

// op interprets one of the instructions with an opcode of their own.
func (in *interp) op(r *reader, op byte) bool {
	c, rw := in.c, &in.rw
	switch op {
	case 0x00: // nop
	case 0x01: // set_loc
		in.loc = r.ptr(c.enc, in.base)
		in.finished = in.loc > in.pc
	case 0x02:
		in.advance(uint64(r.u8()))
	case 0x03:
		if b := r.bytes(2); b != nil {
			in.advance(uint64(binary.LittleEndian.Uint16(b)))
		}
	case 0x04:
		if b := r.bytes(4); b != nil {
			in.advance(uint64(binary.LittleEndian.Uint32(b)))
		}
	case 0x05: // offset_extended
		reg := r.uleb()
		in.set(reg, rule{kind: ruleOffset, off: int64(r.uleb()) * c.dataAlign})
	case 0x06: // restore_extended
		in.restore(r.uleb())
	case 0x07: // undefined
		in.set(r.uleb(), rule{kind: ruleUndefined})
	case 0x08: // same_value
		in.set(r.uleb(), rule{kind: ruleSame})
	case 0x09: // register
		reg := r.uleb()
		in.set(reg, rule{kind: ruleRegister, reg: r.uleb()})
	case 0x0a: // remember_state
		in.stack = append(in.stack, *rw)
	case 0x0b: // restore_state: the CFA too, as libgcc's and libunwind's
		// unwinders read it (GCC's epilogues rely on that)
		if len(in.stack) == 0 {
			return false
		}
		*rw = in.stack[len(in.stack)-1]
		in.stack = in.stack[:len(in.stack)-1]
	case 0x0c: // def_cfa
		rw.cfaReg, rw.cfaOff, rw.cfaExpr = r.uleb(), int64(r.uleb()), false
	case 0x0d: // def_cfa_register
		rw.cfaReg, rw.cfaExpr = r.uleb(), false
	case 0x0e: // def_cfa_offset
		rw.cfaOff = int64(r.uleb())
	case 0x0f: // def_cfa_expression (PLT entries): not followed
		r.bytes(int(r.uleb()))
		rw.cfaExpr = true
	case 0x10, 0x16: // expression, val_expression: not followed
		reg := r.uleb()
		r.bytes(int(r.uleb()))
		in.set(reg, rule{kind: ruleUnknown})
	case 0x11: // offset_extended_sf
		reg := r.uleb()
		in.set(reg, rule{kind: ruleOffset, off: r.sleb() * c.dataAlign})
	case 0x12: // def_cfa_sf
		rw.cfaReg, rw.cfaOff, rw.cfaExpr = r.uleb(), r.sleb()*c.dataAlign, false
	case 0x13: // def_cfa_offset_sf
		rw.cfaOff = r.sleb() * c.dataAlign
	case 0x14: // val_offset
		reg := r.uleb()
		in.set(reg, rule{kind: ruleValOffset, off: int64(r.uleb()) * c.dataAlign})
	case 0x15: // val_offset_sf
		reg := r.uleb()
		in.set(reg, rule{kind: ruleValOffset, off: r.sleb() * c.dataAlign})
	case 0x2e: // GNU_args_size
		r.uleb()
	case 0x2f: // GNU_negative_offset_extended
		reg := r.uleb()
		in.set(reg, rule{kind: ruleOffset, off: -int64(r.uleb()) * c.dataAlign})
	default:
		return false
	}
	return true
}
