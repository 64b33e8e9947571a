package unwind

import (
	"debug/elf"
	"path/filepath"
	"sort"
)

// A process's code mappings, from what its records say (EV_MAP: the
// program and interpreter an execve loaded, each mmap of a file with
// PROT_EXEC, each munmap) rather than /proc/PID/maps, which is gone with
// the process: the decoder reads a short command's records after it has
// ended. /proc is read for a process the session never saw exec (one
// attached with -p, or forked from one).

type proc struct {
	maps   []Mapping
	traced bool // maps come from records, not /proc
}

// Exec: process tgid now runs the program at path, whose executable
// segments start at startCode (mm->start_code), and its first thread
// starts at entry: the interpreter's entry point (PT_INTERP), or the
// program's.
func (u *Unwinder) Exec(tgid uint32, path string, startCode, entry uint64) {
	p := &proc{traced: true}
	u.procs[tgid] = p
	f, err := elf.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	lo := ^uint64(0)
	for _, ph := range f.Progs {
		if ph.Type == elf.PT_LOAD && ph.Flags&elf.PF_X != 0 {
			lo = min(lo, ph.Vaddr)
		}
	}
	if lo == ^uint64(0) {
		return
	}
	p.maps = append(p.maps, loads(f, path, startCode-lo)...)
	for _, ph := range f.Progs {
		if ph.Type != elf.PT_INTERP {
			continue
		}
		b := make([]byte, ph.Filesz)
		if _, err := ph.ReadAt(b, 0); err != nil {
			break
		}
		interp := string(b)
		if i := len(interp); i > 0 && interp[i-1] == 0 {
			interp = interp[:i-1]
		}
		if r, err := filepath.EvalSymlinks(interp); err == nil {
			interp = r // maps name the file, not the link (ld-linux-x86-64.so.2)
		}
		if fi, err := elf.Open(interp); err == nil {
			p.maps = append(p.maps, loads(fi, interp, entry-fi.Entry)...)
			fi.Close()
		}
	}
	sort.Slice(p.maps, func(i, j int) bool { return p.maps[i].Start < p.maps[j].Start })
}

// loads are the mappings of f's executable segments, loaded at bias.
func loads(f *elf.File, path string, bias uint64) []Mapping {
	const page = 4096
	var out []Mapping
	for _, ph := range f.Progs {
		if ph.Type != elf.PT_LOAD || ph.Flags&elf.PF_X == 0 {
			continue
		}
		out = append(out, Mapping{
			Start: bias + ph.Vaddr&^(page-1), End: bias + (ph.Vaddr+ph.Memsz+page-1)&^(page-1),
			Off: ph.Off &^ (page - 1), Exec: true, Path: path,
		})
	}
	return out
}

// Mmap: process tgid mapped size bytes of path's file at addr, from
// offset off, executable.
func (u *Unwinder) Mmap(tgid uint32, addr, size, off uint64, path string) {
	p := u.procs[tgid]
	if p == nil || !p.traced {
		delete(u.procs, tgid) // /proc's, when needed
		return
	}
	end := addr + (size+4095)&^4095
	p.unmap(addr, end)
	p.maps = append(p.maps, Mapping{Start: addr, End: end, Off: off, Exec: true, Path: path})
	sort.Slice(p.maps, func(i, j int) bool { return p.maps[i].Start < p.maps[j].Start })
}

// Munmap: process tgid unmapped size bytes at addr.
func (u *Unwinder) Munmap(tgid uint32, addr, size uint64) {
	if p := u.procs[tgid]; p != nil && p.traced {
		p.unmap(addr, addr+(size+4095)&^4095)
	}
}

// Fork: process child starts with a copy of parent's mappings.
func (u *Unwinder) Fork(parent, child uint32) {
	if p := u.procs[parent]; p != nil && p.traced {
		u.procs[child] = &proc{maps: append([]Mapping(nil), p.maps...), traced: true}
	}
}

// unmap takes [start, end) out of p's mappings, cutting those that
// overlap it.
func (p *proc) unmap(start, end uint64) {
	out := p.maps[:0:0]
	for _, m := range p.maps {
		if m.End <= start || m.Start >= end {
			out = append(out, m)
			continue
		}
		if m.Start < start {
			l := m
			l.End = start
			out = append(out, l)
		}
		if m.End > end {
			r := m
			r.Off += end - m.Start
			r.Start = end
			out = append(out, r)
		}
	}
	p.maps = out
}
