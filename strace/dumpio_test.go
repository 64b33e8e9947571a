package strace

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

func TestParseFdSet(t *testing.T) {
	for _, tc := range []struct {
		expr string
		in   []int32
		out  []int32
		mask uint64
	}{
		{"0,5", []int32{0, 5}, []int32{1, 4, 63, -1}, 1 | 1<<5},
		{"!1", []int32{0, 2, 100}, []int32{1, -1}, ^uint64(2)},
		{"all", []int32{0, 62, 63, 1000}, []int32{-1}, ^uint64(0)},
		{"!!3", []int32{3}, []int32{0}, 1 << 3},
		{"none", nil, []int32{0, 3}, 0},
		{"!none", []int32{0, 70}, nil, ^uint64(0)},
		{"70", []int32{70}, []int32{63, 0}, 1 << 63},
	} {
		s, err := ParseFdSet(tc.expr)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		for _, fd := range tc.in {
			if !s.Has(fd) {
				t.Errorf("%q: %d not in the set", tc.expr, fd)
			}
		}
		for _, fd := range tc.out {
			if s.Has(fd) {
				t.Errorf("%q: %d in the set", tc.expr, fd)
			}
		}
		if m := s.Mask(); m != tc.mask {
			t.Errorf("%q: mask %#x, want %#x", tc.expr, m, tc.mask)
		}
	}
	for _, bad := range []string{"", "x", "1,y", "-1", "!"} {
		if _, err := ParseFdSet(bad); err == nil || !strings.HasPrefix(err.Error(), "invalid descriptor '") {
			t.Errorf("%q: err %v, want strace's invalid descriptor", bad, err)
		}
	}
}

// TestDumpStr: strace's dumpstr lines, the offset column widening past
// 1 MiB, and what eproc says of bytes it did not capture.
func TestDumpStr(t *testing.T) {
	var p printer
	dumpStr(&p, &wire.Cap{Data: []byte("hello\n\x00\x7f ~0123456789abcdefXYZ")}, 27)
	want := ` | 00000  68 65 6c 6c 6f 0a 00 7f  20 7e 30 31 32 33 34 35  hello... ~012345 |
 | 00010  36 37 38 39 61 62 63 64  65 66 58                 6789abcdefX      |
`
	if string(p.b) != want {
		t.Errorf("got\n%s\nwant\n%s", p.b, want)
	}
	p = printer{}
	dumpStr(&p, &wire.Cap{Data: make([]byte, 20)}, 1<<20+1)
	lines := strings.Split(string(p.b), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], " | 000010  00 ") || lines[2] != " | <1048557 more bytes not captured> |" {
		t.Errorf("got %q", lines)
	}
	p = printer{}
	dumpStr(&p, &wire.Cap{Flags: wire.CapFault}, 10)
	if len(p.b) != 0 {
		t.Errorf("a buffer that could not be read dumped %q", p.b)
	}
}

// TestFamArgvEnds: a failed execveat's argv as strace's printargv prints
// it: an element it cannot read as its address, the array's end where it
// could not be read as "... /* addr */", an empty array as [], and envp's
// count "unterminated" where it could not be read to its NULL.
func TestFamArgvEnds(t *testing.T) {
	str := func(k int, s string) wire.Cap { return wire.Cap{Arg: 2, Idx: uint16(k), Data: []byte(s)} }
	// What put_str sends of a string it could not read: a struct cap_want.
	want := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 34), wire.CKStr), 0xffffffffffffffff)
	bad := wire.Cap{Arg: 2, Idx: 2, Flags: wire.CapFault | wire.CapWant, Data: want}
	end := func(fl uint8) wire.Cap { return wire.Cap{Arg: 2, Idx: wire.StrvMax, Flags: fl} }
	env := func(n uint32, fl uint8) wire.Cap {
		return wire.Cap{Arg: 3, Data: []byte{byte(n), 0, 0, 0}, Flags: fl}
	}
	args := [6]uint64{^uint64(99), 0x1000, 0x2000, 0x3000, 0x1100}
	checkLine(t, decodeLine(t, "execveat", -2, args, wire.Cap{Arg: 1, Data: []byte("f")}, str(0, "a"), str(1, "b"), bad, end(wire.CapFault), env(5, wire.CapPart)),
		`execveat(AT_FDCWD, "f", ["a", "b", 0xffffffffffffffff, ... /* 0x2018 */], 0x3000 /* 5 vars, unterminated */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)`)
	checkLine(t, decodeLine(t, "execveat", -2, args, wire.Cap{Arg: 1, Data: []byte("f")}, end(0), env(0, 0)),
		`execveat(AT_FDCWD, "f", [], 0x3000 /* 0 vars */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)`)
}
