package strace

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// What the family decoder tests (sys_*_test.go) share, and the test that
// the family decoders do not allocate. The family tests decode calls the
// oracle workloads do not reach; each expected line is what strace 6.1
// printed for the same call.

// decodeLine decodes one complete call and returns its line without the
// newline and with the result column's padding collapsed.
func decodeLine(t *testing.T, name string, ret int64, args [6]uint64, caps ...wire.Cap) string {
	t.Helper()
	return decodeLineOpt(t, Options{StrSize: 32}, name, ret, args, caps...)
}

// decodeLineOpt is decodeLine with the Text sink's options opt.
func decodeLineOpt(t *testing.T, opt Options, name string, ret int64, args [6]uint64, caps ...wire.Cap) string {
	t.Helper()
	nr, ok := Number(name)
	if !ok {
		t.Skipf("no %s on %s", name, runtime.GOARCH)
	}
	d, txt := newText(opt)
	if err := d.Feed(benchRecord(nr, 100, ret, args, caps...)); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(string(txt.TakeInto(nil)), "\n")
	if i := strings.Index(out, ") "); i >= 0 {
		j := i + 2
		for j < len(out) && out[j] == ' ' {
			j++
		}
		out = out[:i+2] + out[j:]
	}
	return out
}

func checkLine(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("\n got: %s\nwant: %s", got, want)
	}
}

const atCwd = uint64(0xffffffffffffff9c)

// checkNoAllocs: decoding recs, in turn, allocates nothing once the
// output buffer has grown (after 100 rounds).
func checkNoAllocs(t *testing.T, recs [][]byte) {
	t.Helper()
	d, txt := newText(Options{StrSize: 32})
	var out []byte
	round := func() {
		for _, r := range recs {
			d.Feed(r)
		}
		out = txt.TakeInto(out[:0])
	}
	for i := 0; i < 100; i++ {
		round()
	}
	if n := testing.AllocsPerRun(100, round); n != 0 {
		t.Errorf("%v allocations per round", n)
	}
}

// The family decoders must not allocate once the output buffer has grown.
func TestFamAllocs(t *testing.T) {
	var recs [][]byte
	add := func(name string, ret int64, args [6]uint64, caps ...wire.Cap) {
		if nr, ok := Number(name); ok {
			recs = append(recs, benchRecord(nr, 100, ret, args, caps...))
		}
	}
	tio := make([]byte, 36)
	binary.LittleEndian.PutUint32(tio[8:], 0o277)
	sx := make([]byte, 256)
	ts := make([]byte, 32)
	binary.LittleEndian.PutUint64(ts, 1)
	add("newfstatat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: []byte("/x")}, wire.Cap{Arg: 2, Data: statBuf(0o100644, 5, 0)})
	add("statx", 0, [6]uint64{atCwd, 0x1000, 0, 0x7ff, 0x3000}, wire.Cap{Arg: 1, Data: []byte("/")}, wire.Cap{Arg: 4, Data: sx})
	add("fcntl", 0, [6]uint64{3, 2, 1})
	add("fcntl", 0x8002, [6]uint64{3, 3})
	add("ioctl", 0, [6]uint64{0, 0x5401, 0x1000}, wire.Cap{Arg: 2, Data: tio})
	add("ppoll", 1, [6]uint64{0x1000, 1, 0, 0x2000, 8}, wire.Cap{Arg: 0, Data: []byte{7, 0, 0, 0, 1, 0, 1, 0}}, wire.Cap{Arg: 3, Data: []byte{0, 0, 1, 0, 0, 0, 0, 0}})
	add("utimensat", 0, [6]uint64{atCwd, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: []byte("y")}, wire.Cap{Arg: 2, Data: ts})
	add("pselect6", 1, [6]uint64{8, 0x1000, 0, 0, 0, 0}, wire.Cap{Arg: 1, Data: []byte{0x81}})
	add("select", 1, [6]uint64{5, 0x1000, 0, 0, 0x2000}, wire.Cap{Arg: 1, Data: u64s(0x18)}, wire.Cap{Arg: 1, Idx: wire.EntryIdx, Data: u64s(0x18)},
		wire.Cap{Arg: 4, Data: u64s(1, 5)}, wire.Cap{Arg: 4, Idx: wire.EntryIdx, Data: u64s(1)}, wire.Cap{Arg: 4, Idx: wire.EntryIdx, Data: u64s(6)})
	add("sysinfo", 0, [6]uint64{0x1000}, wire.Cap{Arg: 0, Data: sysinfoBuf()})
	add("waitid", 0, [6]uint64{0, 0, 0x1000, 4, 0x2000}, wire.Cap{Arg: 2, Data: cldInfo(1, 7313, 0)}, wire.Cap{Arg: 4, Data: u64s(0, 164, 0, 0)})
	checkNoAllocs(t, recs)
}

func u64s(vs ...uint64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

// TestFamiliesDisjoint: each syscall's signature is in one family's table,
// so the merged table does not depend on the order the files register in.
func TestFamiliesDisjoint(t *testing.T) {
	where := map[string]int{}
	for i, m := range sigTables {
		for name := range m {
			if j, ok := where[name]; ok {
				t.Errorf("%s is in family tables %d and %d", name, j, i)
			}
			where[name] = i
		}
	}
	if len(where) < 100 {
		t.Fatalf("only %d signatures in %d tables", len(where), len(sigTables))
	}
}
