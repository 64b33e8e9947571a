package strace

import (
	"encoding/binary"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// dirent64 and dirent (the old one: d_type in the record's last byte)
// records as the kernel writes them.
func dirent64(ino, off uint64, typ byte, name string) []byte {
	n := (19 + len(name) + 1 + 7) &^ 7
	b := make([]byte, n)
	binary.LittleEndian.PutUint64(b, ino)
	binary.LittleEndian.PutUint64(b[8:], off)
	binary.LittleEndian.PutUint16(b[16:], uint16(n))
	b[18] = typ
	copy(b[19:], name)
	return b
}

func dirent(ino, off uint64, typ byte, name string) []byte {
	n := (18 + len(name) + 2 + 7) &^ 7
	b := make([]byte, n)
	binary.LittleEndian.PutUint64(b, ino)
	binary.LittleEndian.PutUint64(b[8:], off)
	binary.LittleEndian.PutUint16(b[16:], uint16(n))
	copy(b[18:], name)
	b[n-1] = typ
	return b
}

// TestFamDentsWhole: getdents and getdents64 under -v print their entries
// as strace's decode_dents does, from the whole case's capture; without
// -v, the count.
func TestFamDentsWhole(t *testing.T) {
	v := Options{StrSize: 32, Abbrev: []uint32{}}
	ents := append(dirent64(5, 1, 4, "."), dirent64(6, 1<<63-1, 8, "a\nb")...)
	whole := func(b []byte) wire.Cap { return wire.Cap{Arg: 1, Idx: wholeIdx, Data: b} }
	count := wire.Cap{Arg: 1, Data: []byte{2, 0, 0, 0}}
	checkLine(t, decodeLineOpt(t, v, "getdents64", int64(len(ents)), [6]uint64{3, 0x1000, 4096}, count, whole(ents)),
		`getdents64(3, [{d_ino=5, d_off=1, d_reclen=24, d_type=DT_DIR, d_name="."}, {d_ino=6, d_off=9223372036854775807, d_reclen=24, d_type=DT_REG, d_name="a\nb"}], 4096) = 48`)
	checkLine(t, decodeLine(t, "getdents64", int64(len(ents)), [6]uint64{3, 0x1000, 4096}, count, whole(ents)),
		`getdents64(3, 0x1000 /* 2 entries */, 4096) = 48`)
	checkLine(t, decodeLineOpt(t, v, "getdents64", 0, [6]uint64{3, 0x1000, 4096}, wire.Cap{Arg: 1, Data: []byte{0, 0, 0, 0}}, whole(nil)),
		`getdents64(3, [], 4096) = 0`)
	// Past the bytes captured (wire.MaxCap): "..." and the address, as
	// strace ends where it can read no further.
	checkLine(t, decodeLineOpt(t, v, "getdents64", 4096, [6]uint64{3, 0x1000, 4096}, count, whole(ents)),
		`getdents64(3, [{d_ino=5, d_off=1, d_reclen=24, d_type=DT_DIR, d_name="."}, {d_ino=6, d_off=9223372036854775807, d_reclen=24, d_type=DT_REG, d_name="a\nb"}, ... /* 0x1030 */], 4096) = 4096`)
	old := append(dirent(7, 2, 10, "link"), dirent(8, 3, 0x3f, "..")...)
	checkLine(t, decodeLineOpt(t, v, "getdents", int64(len(old)), [6]uint64{3, 0x1000, 4096}, count, whole(old)),
		`getdents(3, [{d_ino=7, d_off=2, d_reclen=24, d_name="link", d_type=DT_LNK}, {d_ino=8, d_off=3, d_reclen=24, d_name="..", d_type=0x3f /* DT_??? */}], 4096) = 48`)
	// A d_reclen past the bytes returned.
	bad := dirent64(9, 4, 4, "x")
	binary.LittleEndian.PutUint16(bad[16:], 40)
	checkLine(t, decodeLineOpt(t, v, "getdents64", int64(len(bad)), [6]uint64{3, 0x1000, 4096}, count, whole(bad)),
		`getdents64(3, [{d_ino=9, d_off=4, d_reclen=40 /* 16 bytes overflow */, d_type=DT_DIR, d_name="x"}], 4096) = 24`)
}

func TestWholeStructs(t *testing.T) {
	d64, _ := Number("getdents64")
	exe, _ := Number("execve")
	other, _ := Number("read")
	has := func(nrs []uint32, nr uint32) bool {
		for _, n := range nrs {
			if n == nr {
				return true
			}
		}
		return false
	}
	if got := WholeStructs(nil); got != nil {
		t.Errorf("WholeStructs(nil) = %v: the default abbreviates all", got)
	}
	if got := WholeStructs([]uint32{}); !has(got, d64) || !has(got, exe) || len(got) != len(wholeCapsHere()) {
		t.Errorf("WholeStructs(-v) = %v, want every call of wholeCaps", got)
	}
	if got := WholeStructs([]uint32{d64, other}); has(got, d64) || !has(got, exe) {
		t.Errorf("WholeStructs(abbrev=getdents64,read) = %v", got)
	}
}

// wholeCapsHere: the calls of wholeCaps this architecture has.
func wholeCapsHere() []string {
	var out []string
	for name := range wholeCaps {
		if _, ok := Number(name); ok {
			out = append(out, name)
		}
	}
	return out
}
