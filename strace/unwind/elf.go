package unwind

import (
	"debug/elf"
	"sort"
)

// module is what one ELF file gives the unwinder: where its file offsets
// load, its function symbols, and its call frame information.
type module struct {
	loads []elf.ProgHeader // PT_LOAD
	syms  []symbol         // by address
	cfi   *cfiTable        // nil: none could be read
	names map[uint64]named // symbolAt's answers, by address (a loop's few)
	// BuildID is the file's GNU build id (hex), "" when it has none.
	BuildID string
}

type symbol struct {
	addr uint64
	name string
	rank int // its place in the file's tables: the first of equals wins
}

// openModule reads path's ELF; nil when it cannot be read.
func openModule(path string) *module {
	f, err := elf.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	m := &module{}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			m.loads = append(m.loads, p.ProgHeader)
		}
	}
	m.readSymbols(f)
	m.BuildID = buildID(f)
	if s := f.Section(".eh_frame"); s != nil {
		if b, err := s.Data(); err == nil {
			m.cfi = parseEHFrame(b, s.Addr)
		}
	}
	return m
}

// readSymbols keeps the defined functions of .dynsym and .symtab, in the
// order libunwind looks at them (section order: .dynsym comes first in
// Debian's files), for the nearest one at or below an address.
func (m *module) readSymbols(f *elf.File) {
	type table struct {
		off  uint64
		syms func() ([]elf.Symbol, error)
	}
	var tables []table
	for _, s := range f.Sections {
		switch s.Type {
		case elf.SHT_DYNSYM:
			tables = append(tables, table{s.Offset, f.DynamicSymbols})
		case elf.SHT_SYMTAB:
			tables = append(tables, table{s.Offset, f.Symbols})
		}
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].off < tables[j].off })
	rank := 0
	for _, t := range tables {
		syms, err := t.syms()
		if err != nil {
			continue
		}
		for _, s := range syms {
			rank++
			if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || s.Name == "" {
				continue
			}
			m.syms = append(m.syms, symbol{addr: s.Value, name: s.Name, rank: rank})
		}
	}
	sort.SliceStable(m.syms, func(i, j int) bool {
		if m.syms[i].addr != m.syms[j].addr {
			return m.syms[i].addr < m.syms[j].addr
		}
		return m.syms[i].rank < m.syms[j].rank
	})
}

// symbolAt is the function symbol nearest at or below vaddr, as libunwind
// names a frame (its size is not looked at: a static function that only
// .symtab knows is named after the exported one before it); "" when none.
func (m *module) symbolAt(vaddr uint64) (string, uint64) {
	if n, hit := m.names[vaddr]; hit {
		return n.name, n.off
	}
	name, off := m.lookup(vaddr)
	if m.names == nil || len(m.names) >= maxRows {
		m.names = map[uint64]named{}
	}
	m.names[vaddr] = named{name, off}
	return name, off
}

type named struct {
	name string
	off  uint64
}

func (m *module) lookup(vaddr uint64) (string, uint64) {
	i := sort.Search(len(m.syms), func(i int) bool { return m.syms[i].addr > vaddr })
	if i == 0 {
		return "", 0
	}
	top := m.syms[i-1].addr
	for i > 1 && m.syms[i-2].addr == top {
		i-- // the first of those at that address
	}
	return m.syms[i-1].name, vaddr - top
}

// vaddr is the address in the file's own terms of file offset off.
func (m *module) vaddr(off uint64) (uint64, bool) {
	for _, p := range m.loads {
		if off >= p.Off && off < p.Off+p.Filesz {
			return off - p.Off + p.Vaddr, true
		}
	}
	return 0, false
}

// buildID is the file's NT_GNU_BUILD_ID note, in hex.
func buildID(f *elf.File) string {
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOTE {
			continue
		}
		b, err := s.Data()
		if err != nil {
			continue
		}
		for len(b) >= 12 {
			nsz, dsz, typ := f.ByteOrder.Uint32(b), f.ByteOrder.Uint32(b[4:]), f.ByteOrder.Uint32(b[8:])
			na, da := (nsz+3)&^3, (dsz+3)&^3
			if uint64(12)+uint64(na)+uint64(da) > uint64(len(b)) {
				break
			}
			if typ == 3 && nsz == 4 && string(b[12:15]) == "GNU" {
				const hex = "0123456789abcdef"
				d := b[12+na : 12+na+dsz]
				out := make([]byte, 0, 2*len(d))
				for _, c := range d {
					out = append(out, hex[c>>4], hex[c&15])
				}
				return string(out)
			}
			b = b[12+na+da:]
		}
	}
	return ""
}
