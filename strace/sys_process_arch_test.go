package strace

import (
	"testing"

	"github.com/eproc/eproc/loader/wire"
)

// Lines from strace 6.1's tests arch_prctl and arch_prctl-Xraw.
func TestFamArchPrctl(t *testing.T) {
	checkLine(t, decodeLine(t, "arch_prctl", -22, [6]uint64{0, 0}), `arch_prctl(0 /* ARCH_??? */, 0) = -1 EINVAL (Invalid argument)`)
	checkLine(t, decodeLine(t, "arch_prctl", -17, [6]uint64{0x2002, 0xbadfaceddeadbeef}), `arch_prctl(ARCH_MAP_VDSO_32, 0xbadfaceddeadbeef) = -1 EEXIST (File exists)`)
	checkLine(t, decodeLine(t, "arch_prctl", 0, [6]uint64{0x1011}), `arch_prctl(ARCH_GET_CPUID) = 0`)
	checkLine(t, decodeLine(t, "arch_prctl", -14, [6]uint64{0x1004, 0}), `arch_prctl(ARCH_GET_GS, NULL) = -1 EFAULT (Bad address)`)
	checkLine(t, decodeLine(t, "arch_prctl", 0, [6]uint64{0x1004, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0)}), `arch_prctl(ARCH_GET_GS, [NULL]) = 0`)
	checkLine(t, decodeLine(t, "arch_prctl", 0, [6]uint64{0x1021, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0xe7)}),
		`arch_prctl(ARCH_GET_XCOMP_SUPP, [0xe7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512 */]) = 0`)
	checkLine(t, decodeLine(t, "arch_prctl", -95, [6]uint64{0x1023, 0x12}), `arch_prctl(ARCH_REQ_XCOMP_PERM, 0x12 /* XFEATURE_XTILE_DATA */) = -1 EOPNOTSUPP (Operation not supported)`)
	checkLine(t, decodeLineOpt(t, Options{StrSize: 32, ConstStyle: ConstRaw}, "arch_prctl", -95, [6]uint64{0x1025, 0}), `arch_prctl(0x1025, 0) = -1 EOPNOTSUPP (Operation not supported)`)
	// arch_prctl-success: a mask none of whose bits is known.
	checkLine(t, decodeLine(t, "arch_prctl", 0, [6]uint64{0x1021, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0xfffffffffff97800)}),
		`arch_prctl(ARCH_GET_XCOMP_SUPP, [0xfffffffffff97800 /* XFEATURE_MASK_??? */]) = 0`)
	checkLine(t, decodeLine(t, "arch_prctl", 0, [6]uint64{0x1021, 0x1000}, wire.Cap{Arg: 1, Data: u64s(0)}), `arch_prctl(ARCH_GET_XCOMP_SUPP, [0]) = 0`)
}
