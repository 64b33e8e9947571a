package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// mincore, as strace 6.1 printed the same calls (its test mincore, and a
// program of our own: -s 2 for the abbreviation).
func TestFamMincore(t *testing.T) {
	if pageSize != 4096 {
		t.Skip("4 KiB pages assumed")
	}
	const addr, vec = 0x7f1880968000, 0x7ffe0643e6e0
	args := func(n, v uint64) [6]uint64 { return [6]uint64{addr, n, v} }
	bits := func(n int, ones ...int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = 0xfe // only bit 0 is printed
		}
		for _, i := range ones {
			b[i] = 0x81
		}
		return b
	}
	checkLine(t, decodeLine(t, "mincore", 0, args(12288, vec), wire.Cap{Arg: 2, Data: bits(mincoreMax, 0, 2)}),
		`mincore(0x7f1880968000, 12288, [1, 0, 1]) = 0`)
	checkLine(t, decodeLine(t, "mincore", 0, args(4097, vec), wire.Cap{Arg: 2, Data: bits(mincoreMax, 0)}),
		`mincore(0x7f1880968000, 4097, [1, 0]) = 0`)
	checkLine(t, decodeLine(t, "mincore", 0, args(1, vec), wire.Cap{Arg: 2, Data: bits(1, 0)}),
		`mincore(0x7f1880968000, 1, [1]) = 0`)
	checkLine(t, decodeLine(t, "mincore", 0, args(0, vec)), `mincore(0x7f1880968000, 0, []) = 0`)
	checkLine(t, decodeLine(t, "mincore", 0, args(163840, vec), wire.Cap{Arg: 2, Data: bits(mincoreMax, 0, 2)}),
		`mincore(0x7f1880968000, 163840, [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...]) = 0`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 2}, "mincore", 0, args(12288, vec), wire.Cap{Arg: 2, Data: bits(mincoreMax, 0, 2)}),
		`mincore(0x7f1880968000, 12288, [1, 0, ...]) = 0`)
	// The read ran into a page it could not read, past the vector (a
	// vector at a page's end, as strace's test allocates it).
	checkLine(t, decodeLine(t, "mincore", 0, args(33*4096, vec), wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: bits(33, 1)}),
		`mincore(0x7f1880968000, 135168, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...]) = 0`)
	checkLine(t, decodeLine(t, "mincore", 0, args(2*4096, vec), wire.Cap{Arg: 2, Flags: wire.CapFault | wire.CapPart, Data: bits(2)}),
		`mincore(0x7f1880968000, 8192, [0, 0]) = 0`)
	checkLine(t, decodeLine(t, "mincore", -12, args(4096, 0)),
		`mincore(0x7f1880968000, 4096, NULL) = -1 ENOMEM (Cannot allocate memory)`)
	checkLine(t, decodeLine(t, "mincore", -14, args(4096, 8)),
		`mincore(0x7f1880968000, 4096, 0x8) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "mincore", -22, [6]uint64{addr + 1, 4096, vec}),
		`mincore(0x7f1880968001, 4096, 0x7ffe0643e6e0) = -1 EINVAL (Invalid argument)`)
	// -e verbose=none: the address, as print_array's fetch fails.
	checkLine(t, decodeLineOpt(t, optNonVerbose, "mincore", 0, args(12288, vec), wire.Cap{Arg: 2, Data: bits(mincoreMax, 0, 2)}),
		`mincore(0x7f1880968000, 12288, 0x7ffe0643e6e0) = 0`)
	checkLine(t, decodeLineOpt(t, optNonVerbose, "mincore", 0, args(0, vec)), `mincore(0x7f1880968000, 0, []) = 0`)
	if mincorePages(0) != 0 || mincorePages(1) != 1 || mincorePages(4096) != 1 || mincorePages(4097) != 2 || mincorePages(^uint64(0)) != 1<<52 {
		t.Error("mincorePages")
	}
}
