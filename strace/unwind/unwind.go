package unwind

import (
	"encoding/binary"
	"runtime"
	"strconv"
)

// MaxFrames is how deep a trace goes, as strace's.
const MaxFrames = 256

// Frame is one line of a stack trace: the file an address is in, the
// function symbol at or below it and the distance, and its offset in the
// file (strace's "true offset"); or an error, where the walk could not go on.
type Frame struct {
	Path string
	Sym  string
	Off  uint64
	Rel  uint64
	Err  string
}

// AppendLine appends f as strace prints it, with its newline:
// ` > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]`,
// ` > /usr/bin/echo() [0x2901]` without a symbol.
func (f *Frame) AppendLine(b []byte) []byte {
	b = append(b, " > "...)
	switch {
	case f.Err != "" && f.Rel != 0:
		b = append(b, f.Err...)
		b = append(b, " ["...)
	case f.Err != "":
		b = append(b, f.Err...)
		return append(b, '\n')
	case f.Sym != "":
		b = append(b, f.Path...)
		b = append(b, '(')
		b = append(b, f.Sym...)
		b = append(b, "+0x"...)
		b = strconv.AppendUint(b, f.Off, 16)
		b = append(b, ") ["...)
	default:
		b = append(b, f.Path...)
		b = append(b, "() ["...)
	}
	b = append(b, "0x"...)
	b = strconv.AppendUint(b, f.Rel, 16)
	return append(b, "]\n"...)
}

type modKey struct {
	path     string
	dev, ino uint64
}

// Unwinder walks and names stacks. It keeps each process's code mappings
// (proc.go: from its records, or /proc/PID/maps) and each file's symbols
// and CFI. Not safe for concurrent use.
type Unwinder struct {
	procs map[uint32]*proc // proc.go
	mods  map[modKey]*module
	// ReadMaps reads a process's mappings; ReadMaps (/proc) by default.
	ReadMaps func(pid uint32) []Mapping
}

// New returns an Unwinder with empty caches.
func New() *Unwinder {
	return &Unwinder{procs: map[uint32]*proc{}, mods: map[modKey]*module{}, ReadMaps: ReadMaps}
}

// Forget drops what is known of process tgid's mappings: it has ended.
func (u *Unwinder) Forget(tgid uint32) { delete(u.procs, tgid) }

// mapsOf are process tgid's mappings: its records', or /proc's (read
// again when fresh).
func (u *Unwinder) mapsOf(tgid uint32, fresh bool) []Mapping {
	p := u.procs[tgid]
	if p != nil && (p.traced || !fresh) {
		return p.maps
	}
	p = &proc{maps: u.ReadMaps(tgid)}
	u.procs[tgid] = p
	return p.maps
}

func (u *Unwinder) module(m *Mapping) *module {
	k := modKey{m.Path, m.Dev, m.Ino}
	mod, ok := u.mods[k]
	if !ok {
		mod = openModule(m.Path)
		u.mods[k] = mod
	}
	return mod
}

// Walk unwinds the stack of a thread of tgid that stopped at ip with
// stack pointer sp and frame pointer fp, stack being its memory from sp
// on; it appends the frames to dst.
func (u *Unwinder) Walk(dst []Frame, tgid uint32, ip, sp, fp uint64, stack []byte) []Frame {
	w := walker{sp0: sp, stack: stack}
	w.regs[regRA], w.regs[regRSP], w.regs[regRBP] = ip, sp, fp
	w.known[regRA], w.known[regRSP], w.known[regRBP] = true, true, true
	maps := u.mapsOf(tgid, false)
	refreshed := false
	for depth := 0; depth < MaxFrames; depth++ {
		pc := w.regs[regRA]
		m := find(maps, pc)
		if (m == nil || !m.Exec) && !refreshed {
			// Code mapped since the maps were read (a process /proc
			// describes: attached, not exec'd under the session).
			maps, refreshed = u.mapsOf(tgid, true), true
			m = find(maps, pc)
		}
		if m == nil || !m.Exec {
			if pc != 0 {
				dst = append(dst, Frame{Err: "unexpected_backtracing_error", Rel: pc})
			}
			return dst
		}
		rel := pc - m.Start + m.Off
		look := rel // a caller's frame: the call, not what follows it
		if depth > 0 {
			look--
		}
		fr := Frame{Path: m.Path, Rel: rel}
		mod := u.module(m)
		var va uint64
		ok := false
		if mod != nil {
			if va, ok = mod.vaddr(look); ok {
				fr.Sym, fr.Off = mod.symbolAt(va)
				if depth > 0 && fr.Sym != "" {
					fr.Off++
				}
			}
		}
		dst = append(dst, fr)
		if !ok || mod.cfi == nil || runtime.GOARCH != "amd64" || !w.step(mod.cfi, va) {
			return dst
		}
	}
	return append(dst, Frame{Err: "too many stack frames"})
}

// walker holds the registers of the frame a walk is at, and the stack
// they are read from.
type walker struct {
	regs  [nRegs]uint64
	known [nRegs]bool
	sp0   uint64
	stack []byte
}

func (w *walker) read(addr uint64) (uint64, bool) {
	if addr < w.sp0 || addr-w.sp0 >= uint64(len(w.stack)) || addr-w.sp0+8 > uint64(len(w.stack)) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(w.stack[addr-w.sp0:]), true
}

// step moves to the caller's frame, by the CFI row at va (the frame's
// address in its file's terms); false at the outermost frame, or where
// the rules cannot be followed.
func (w *walker) step(t *cfiTable, va uint64) bool {
	rw, good := t.rowAt(va)
	if !good || rw.cfaExpr || rw.cfaReg >= nRegs || !w.known[rw.cfaReg] {
		return false
	}
	cfa := w.regs[rw.cfaReg] + uint64(rw.cfaOff)
	next, nknown := w.regs, w.known
	for r := range nRegs {
		ru := rw.regs[r]
		switch ru.kind {
		case ruleUndefined, ruleUnknown:
			nknown[r] = false
		case ruleOffset:
			next[r], nknown[r] = w.read(cfa + uint64(ru.off))
		case ruleValOffset:
			next[r] = cfa + uint64(ru.off)
		case ruleRegister:
			if ru.reg < nRegs {
				next[r], nknown[r] = w.regs[ru.reg], w.known[ru.reg]
			} else {
				nknown[r] = false
			}
		}
	}
	if rw.regs[regRA].kind == ruleSame || !nknown[regRA] || next[regRA] == 0 {
		return false // the outermost frame (_start, a thread's start)
	}
	if cfa <= w.regs[regRSP] {
		return false // no progress: a broken table or stack
	}
	next[regRSP], nknown[regRSP] = cfa, true
	w.regs, w.known = next, nknown
	return true
}
