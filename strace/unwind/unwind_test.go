package unwind

import (
	"debug/elf"
	"encoding/binary"
	"reflect"
	"testing"
)

func TestParseMaps(t *testing.T) {
	text := `55d0c0a00000-55d0c0a02000 r--p 00000000 fe:01 1312  /usr/bin/echo
55d0c0a02000-55d0c0a06000 r-xp 00002000 fe:01 1312  /usr/bin/echo
55d0c1a00000-55d0c1a21000 rw-p 00000000 00:00 0     [heap]
7f0000000000-7f0000001000 rw-p 00000000 00:00 0
7f0000100000-7f0000101000 r-xp 00000000 00:1f 77    /tmp/a file (deleted)
7ffe00000000-7ffe00002000 r-xp 00000000 00:00 0     [vdso]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]
`
	got := ParseMaps([]byte(text))
	want := []Mapping{
		{Start: 0x55d0c0a00000, End: 0x55d0c0a02000, Dev: 0xfe<<32 | 1, Ino: 1312, Path: "/usr/bin/echo"},
		{Start: 0x55d0c0a02000, End: 0x55d0c0a06000, Off: 0x2000, Exec: true, Dev: 0xfe<<32 | 1, Ino: 1312, Path: "/usr/bin/echo"},
		{Start: 0x55d0c1a00000, End: 0x55d0c1a21000, Path: "[heap]"},
		{Start: 0x7f0000100000, End: 0x7f0000101000, Exec: true, Dev: 0x1f, Ino: 77, Path: "/tmp/a file (deleted)"},
		{Start: 0x7ffe00000000, End: 0x7ffe00002000, Exec: true, Path: "[vdso]"},
		{Start: 0xffffffffff600000, End: 0xffffffffff601000, Exec: true, Path: "[vsyscall]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseMaps:\n got %+v\nwant %+v", got, want)
	}
	if m := find(got, 0x55d0c0a02fff); m == nil || m.Off != 0x2000 {
		t.Errorf("find: %+v", m)
	}
	if m := find(got, 0x7f0000000800); m != nil {
		t.Errorf("find in an anonymous mapping: %+v", m)
	}
}

// TestAppendLine: strace's three forms (unwind.c's STACK_ENTRY_*_FMT).
func TestAppendLine(t *testing.T) {
	for _, c := range []struct {
		f    Frame
		want string
	}{
		{Frame{Path: "/usr/lib/x86_64-linux-gnu/libc.so.6", Sym: "__write", Off: 0x10, Rel: 0xf8350}, " > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]\n"},
		{Frame{Path: "/usr/bin/echo", Rel: 0x2901}, " > /usr/bin/echo() [0x2901]\n"},
		{Frame{Err: "unexpected_backtracing_error", Rel: 0x7f00}, " > unexpected_backtracing_error [0x7f00]\n"},
		{Frame{Err: "too many stack frames"}, " > too many stack frames\n"},
	} {
		if got := string(c.f.AppendLine(nil)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}

// ehFrame builds an .eh_frame at addr as GCC writes it (a "zR" CIE,
// pc-relative sdata4 pointers) with one FDE per function: begin, size
// and its CFA instructions.
func ehFrame(addr uint64, fns [][3]any) []byte {
	le := binary.LittleEndian
	var b []byte
	cie := []byte{0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b,
		0x0c, 7, 8, // def_cfa rsp+8
		0x90, 1, // offset ra, cfa-8
		0, 0, 0} // nops to a multiple of 4
	b = le.AppendUint32(b, uint32(len(cie)))
	b = append(b, cie...)
	for _, fn := range fns {
		begin, size, ins := fn[0].(uint64), fn[1].(uint32), fn[2].([]byte)
		start := len(b)
		body := le.AppendUint32(nil, uint32(start+4)) // back to the CIE at 0
		at := addr + uint64(start+4+len(body))
		body = le.AppendUint32(body, uint32(int32(int64(begin)-int64(at))))
		body = le.AppendUint32(body, size)
		body = append(body, 0) // no augmentation data
		body = append(body, ins...)
		for (len(body)+4)%4 != 0 {
			body = append(body, 0)
		}
		b = le.AppendUint32(b, uint32(len(body)))
		b = append(b, body...)
	}
	return le.AppendUint32(b, 0)
}

// TestWalk unwinds a synthetic stack through three functions: beta, a
// leaf that moved rsp (CFA rsp+0x20); alpha, with a frame pointer (CFA
// rbp+16, rbp saved at CFA-16); _start, whose return address is
// undefined (the outermost frame).
func TestWalk(t *testing.T) {
	const base, secAddr = 0x7f0000000000, 0x5000
	eh := ehFrame(secAddr, [][3]any{
		{uint64(0x1000), uint32(0x100), []byte{0x41, 0x0e, 0x10, 0x86, 0x02, 0x43, 0x0d, 0x06}},
		{uint64(0x2000), uint32(0x100), []byte{0x44, 0x0e, 0x20}},
		{uint64(0x3000), uint32(0x100), []byte{0x07, 0x10}},
	})
	mod := &module{
		loads: []elf.ProgHeader{{Type: elf.PT_LOAD, Off: 0, Vaddr: 0, Filesz: 0x10000, Memsz: 0x10000}},
		syms:  []symbol{{0x1000, "alpha", 1}, {0x2000, "beta", 2}, {0x2000, "beta_alias", 3}, {0x3000, "_start", 4}},
		cfi:   parseEHFrame(eh, secAddr),
	}
	if len(mod.cfi.fdes) != 3 {
		t.Fatalf("parsed %d FDEs, want 3", len(mod.cfi.fdes))
	}
	u := New()
	u.procs[1] = &proc{traced: true, maps: []Mapping{{Start: base, End: base + 0x10000, Exec: true, Path: "/synthetic"}}}
	u.mods[modKey{path: "/synthetic"}] = mod
	const sp = 0x7ffff000
	stack := make([]byte, 0x60)
	le := binary.LittleEndian
	le.PutUint64(stack[0x18:], base+0x1080) // beta's return into alpha
	le.PutUint64(stack[0x40:], 0)           // alpha's caller's rbp
	le.PutUint64(stack[0x48:], base+0x3010) // alpha's return into _start
	got := u.Walk(nil, 1, base+0x2050, sp, sp+0x40, stack)
	want := []Frame{
		{Path: "/synthetic", Sym: "beta", Off: 0x50, Rel: 0x2050},
		{Path: "/synthetic", Sym: "alpha", Off: 0x80, Rel: 0x1080},
		{Path: "/synthetic", Sym: "_start", Off: 0x10, Rel: 0x3010},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Walk:\n got %+v\nwant %+v", got, want)
	}
	// Past the copied stack, the walk stops where it can read no more.
	if got := u.Walk(nil, 1, base+0x2050, sp, sp+0x40, stack[:0x10]); len(got) != 1 {
		t.Errorf("Walk with 16 bytes of stack: %+v, want beta's frame alone", got)
	}
	// An address in no mapping: strace's error line.
	if got := u.Walk(nil, 1, 0x1234, sp, 0, nil); len(got) != 1 || got[0].Err == "" {
		t.Errorf("Walk from an unmapped address: %+v", got)
	}
}

// TestProcMaps: mappings from records (mmap, munmap, fork) without /proc.
func TestProcMaps(t *testing.T) {
	u := New()
	u.ReadMaps = func(uint32) []Mapping { t.Error("/proc read for a process whose records say all"); return nil }
	u.procs[5] = &proc{traced: true}
	u.Mmap(5, 0x10000, 0x3000, 0x1000, "/lib/a.so")
	u.Munmap(5, 0x11000, 0x1000) // a hole in the middle
	u.Fork(5, 6)
	u.Mmap(6, 0x20000, 0x100, 0, "/lib/b.so")
	want5 := []Mapping{
		{Start: 0x10000, End: 0x11000, Off: 0x1000, Exec: true, Path: "/lib/a.so"},
		{Start: 0x12000, End: 0x13000, Off: 0x3000, Exec: true, Path: "/lib/a.so"},
	}
	if got := u.mapsOf(5, true); !reflect.DeepEqual(got, want5) {
		t.Errorf("process 5:\n got %+v\nwant %+v", got, want5)
	}
	want6 := append(append([]Mapping(nil), want5...), Mapping{Start: 0x20000, End: 0x21000, Exec: true, Path: "/lib/b.so"})
	if got := u.mapsOf(6, true); !reflect.DeepEqual(got, want6) {
		t.Errorf("process 6 (forked):\n got %+v\nwant %+v", got, want6)
	}
}
