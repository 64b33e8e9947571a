package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// set_thread_area and get_thread_area, as strace 6.1 printed the same
// calls (x86_64 kernels fail them with ENOSYS: the results came from -e
// inject=set_thread_area,get_thread_area:retval=0; the kernel's changes
// to the struct, which no x86_64 kernel makes, from strace's ldt.c).
func TestFamThreadArea(t *testing.T) {
	desc := func(n, base, limit, flags uint32) []byte {
		b := make([]byte, userDescSize)
		le.PutUint32(b, n)
		le.PutUint32(b[4:], base)
		le.PutUint32(b[8:], limit)
		le.PutUint32(b[12:], flags)
		return b
	}
	const addr = 0x7ffde914c670
	// seg_32bit=1, limit_in_pages=1, useable=1.
	d := desc(0xffffffff, 0x12345, 0xfffff, 1|1<<4|1<<6)
	given := wire.Cap{Arg: 0, Idx: wire.EntryIdx, Data: []byte{0xff, 0xff, 0xff, 0xff}}
	const dStr = `{entry_number=-1, base_addr=0x012345, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1, lm=0}`
	checkLine(t, decodeLine(t, "set_thread_area", -38, [6]uint64{addr}, wire.Cap{Arg: 0, Data: d}),
		`set_thread_area(`+dStr+`) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "set_thread_area", 0, [6]uint64{addr}, wire.Cap{Arg: 0, Data: d}),
		`set_thread_area(`+dStr+`) = 0 (entry_number=4294967295)`)
	// The kernel chose entry 12: the struct as given, the entry chosen.
	checkLine(t, decodeLine(t, "set_thread_area", 0, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: desc(12, 0x12345, 0xfffff, 1|1<<4|1<<6)}),
		`set_thread_area(`+dStr+`) = 0 (entry_number=12)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "set_thread_area", 0, [6]uint64{addr}, wire.Cap{Arg: 0, Data: desc(99, 0x87868584, 5, 3<<1|1<<3|1<<5|1<<7)}),
		`set_thread_area({entry_number=99, base_addr=0x87868584, limit=0x000005, seg_32bit=0, contents=3, read_exec_only=1, limit_in_pages=0, seg_not_present=1, useable=0, lm=1}) = 0 (entry_number=99)`)
	checkLine(t, decodeLine(t, "set_thread_area", 0, [6]uint64{0}), `set_thread_area(NULL) = 0`)
	checkLine(t, decodeLine(t, "set_thread_area", 0, [6]uint64{8}, wire.Cap{Arg: 0, Flags: wire.CapFault}), `set_thread_area(0x8) = 0`)
	// 8 bytes before a page that cannot be read.
	part := wire.Cap{Arg: 0, Flags: wire.CapFault | wire.CapPart, Data: []byte{12, 0, 0, 0, 0, 0, 0, 0}}
	checkLine(t, decodeLine(t, "set_thread_area", -38, [6]uint64{0x7f1398498ff8}, part),
		`set_thread_area(0x7f1398498ff8) = -1 ENOSYS (Function not implemented)`)

	zero := `base_addr=00000000, limit=00000000, seg_32bit=0, contents=0, read_exec_only=0, limit_in_pages=0, seg_not_present=0, useable=0, lm=0}`
	checkLine(t, decodeLine(t, "get_thread_area", -38, [6]uint64{addr}, wire.Cap{Arg: 0, Data: desc(3, 0, 0, 0)}),
		`get_thread_area({entry_number=3, ...}) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "get_thread_area", -38, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: desc(0xffffffff, 0, 0, 0)}),
		`get_thread_area({entry_number=-1, ...}) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "get_thread_area", 0, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: desc(0xffffffff, 0, 0, 0)}),
		`get_thread_area({entry_number=-1, `+zero+`) = 0`)
	checkLine(t, decodeLine(t, "get_thread_area", 0, [6]uint64{addr}, wire.Cap{Arg: 0, Data: desc(3, 0, 0, 0)}),
		`get_thread_area({entry_number=3, `+zero+`) = 0`)
	checkLine(t, decodeLine(t, "get_thread_area", 0, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: desc(13, 0, 0, 0)}),
		`get_thread_area({entry_number=-1 => 13, `+zero+`) = 0`)
	checkLine(t, decodeLine(t, "get_thread_area", 0, [6]uint64{0x7f1398498ff8}, part),
		`get_thread_area({entry_number=12, ...}) = 0`)
	checkLine(t, decodeLine(t, "get_thread_area", -38, [6]uint64{0}), `get_thread_area(NULL) = -1 ENOSYS (Function not implemented)`)
	checkLine(t, decodeLine(t, "get_thread_area", -14, [6]uint64{8}, wire.Cap{Arg: 0, Flags: wire.CapFault}), `get_thread_area(0x8) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "get_thread_area", -14, [6]uint64{8}, wire.Cap{Arg: 0, Idx: wire.EntryIdx, Flags: wire.CapFault}), `get_thread_area(0x8) = -1 EFAULT (Bad address)`)

	// -e verbose=none: addresses, no entry number.
	checkLine(t, decodeLineOpt(t, optNonVerbose, "set_thread_area", 0, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: d}), `set_thread_area(0x7ffde914c670) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "get_thread_area", 0, [6]uint64{addr}, given, wire.Cap{Arg: 0, Data: d}), `get_thread_area(0x7ffde914c670) = 0`)
}

// The decoders of this branch's calls do not allocate (as TestFamAllocs).
func TestFamMemMiscAllocs(t *testing.T) {
	var recs [][]byte
	add := func(name string, ret int64, args [6]uint64, caps ...wire.Cap) {
		if nr, ok := Number(name); ok {
			recs = append(recs, benchRecord(nr, 100, ret, args, caps...))
		}
	}
	desc := make([]byte, userDescSize)
	le.PutUint32(desc, 13)
	given := wire.Cap{Arg: 0, Idx: wire.EntryIdx, Data: []byte{0xff, 0xff, 0xff, 0xff}}
	add("get_thread_area", 0, [6]uint64{0x1000}, given, wire.Cap{Arg: 0, Data: desc})
	add("set_thread_area", 0, [6]uint64{0x1000}, given, wire.Cap{Arg: 0, Data: desc})
	add("mincore", 0, [6]uint64{0x1000, 40 * 4096, 0x2000}, wire.Cap{Arg: 2, Data: make([]byte, mincoreMax)})
	add("kexec_load", -38, [6]uint64{0, 2, 0x1000, 62<<16 | 1}, wire.Cap{Arg: 2, Data: make([]byte, 64)})
	add("membarrier", 0x3ff, [6]uint64{0, 0})
	add("cachestat", 0, [6]uint64{3, 0x1000, 0x2000, 0}, wire.Cap{Arg: 1, Data: u64s(0, 1)}, wire.Cap{Arg: 2, Data: u64s(1, 2, 3, 4, 5)})
	add("map_shadow_stack", -38, [6]uint64{0, 4096, 3})
	checkNoAllocs(t, recs)
}
