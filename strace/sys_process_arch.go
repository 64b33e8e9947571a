package strace

import "github.com/eproc/eproc/loader/wire"

// arch_prctl (x86), as strace 6.1's prctl.c prints it: the code, then
// its argument (a value in hex, an xfeature, or an output the call
// fills: [0x...]).

var (
	archPrctlCodes = []flag{{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"}, {0x1004, "ARCH_GET_GS"},
		{0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
		{0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
		{0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"},
		{0x2003, "ARCH_MAP_VDSO_64"}}
	x86XfeatureMasks = []flag{{3, "XFEATURE_MASK_FPSSE"}, {1, "XFEATURE_MASK_FP"}, {2, "XFEATURE_MASK_SSE"},
		{4, "XFEATURE_MASK_YMM"}, {8, "XFEATURE_MASK_BNDREGS"}, {16, "XFEATURE_MASK_BNDCSR"},
		{0xe0, "XFEATURE_MASK_AVX512"}, {0x20, "XFEATURE_MASK_OPMASK"}, {0x40, "XFEATURE_MASK_ZMM_Hi256"},
		{0x80, "XFEATURE_MASK_Hi16_ZMM"}, {0x100, "XFEATURE_MASK_PT"}, {0x200, "XFEATURE_MASK_PKRU"},
		{0x400, "XFEATURE_MASK_PASID"}, {0x8000, "XFEATURE_MASK_LBR"}, {0x60000, "XFEATURE_MASK_XTILE"},
		{0x20000, "XFEATURE_MASK_XTILE_CFG"}, {0x40000, "XFEATURE_MASK_XTILE_DATA"}}
	x86XfeatureBits = []flag{{0, "XFEATURE_FP"}, {1, "XFEATURE_SSE"}, {2, "XFEATURE_YMM"}, {3, "XFEATURE_BNDREGS"},
		{4, "XFEATURE_BNDCSR"}, {5, "XFEATURE_OPMASK"}, {6, "XFEATURE_ZMM_Hi256"}, {7, "XFEATURE_Hi16_ZMM"},
		{8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"}, {9, "XFEATURE_PKRU"}, {10, "XFEATURE_PASID"}, {15, "XFEATURE_LBR"},
		{17, "XFEATURE_XTILE_CFG"}, {18, "XFEATURE_XTILE_DATA"}}
)

// verboseStyle runs f with -X verbose, but under -X raw (strace's
// XLAT_STYLE_VERBOSE unless raw).
func verboseStyle(p *printer, f func()) {
	style := p.style
	if style != ConstRaw {
		p.style = ConstVerbose
	}
	f()
	p.style = style
}

// kArchPrctl prints the code and, for the codes that take a value, the
// value.
var kArchPrctl = newKind(kindInfo{fmt: func(p *printer, c *Call, _ int) {
	code, v := c.Args[0]&0xffffffff, c.Args[1]
	p.xlat(code, archPrctlCodes, "/ARCH_???")
	switch code {
	case 0x1003, 0x1004, 0x1021, 0x1022, 0x1024, 0x1011: // outputs; ARCH_GET_CPUID: none
	case 0x1023, 0x1025: // ARCH_REQ_XCOMP_PERM, ARCH_REQ_XCOMP_GUEST_PERM
		p.s(", ")
		verboseStyle(p, func() { xlatOrUnknown(p, v, x86XfeatureBits, "XFEATURE_???") })
	default:
		p.s(", ")
		hexOrZero(p, v)
	}
}})

// kArchPrctlOut is what the getters fill: [0x...] for ARCH_GET_FS and
// ARCH_GET_GS, the xfeatures mask for ARCH_GET_XCOMP_*.
var kArchPrctlOut = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzConst, elem: 8, max: 8, when: wire.CWOK},
	fmt: func(p *printer, c *Call, i int) {
		v, ok := numOut(p, c, i)
		if !ok {
			return
		}
		p.c('[')
		if code := c.Args[0] & 0xffffffff; code == 0x1003 || code == 0x1004 {
			p.ptr(v)
		} else {
			verboseStyle(p, func() { flagsOrUnknown(p, v, x86XfeatureMasks, "", "XFEATURE_MASK_???") })
		}
		p.c(']')
	}})

func archPrctlNargs(c *Call) int {
	switch c.Args[0] & 0xffffffff {
	case 0x1003, 0x1004, 0x1021, 0x1022, 0x1024:
		return 2
	}
	return 1
}

// archPrctlRet: ARCH_REQ_XCOMP_PERM's positive result is a mask.
func archPrctlRet(p *printer, c *Call) {
	if code := c.Args[0] & 0xffffffff; (code == 0x1023 || code == 0x1025) && c.Ret > 0 {
		retFlags(p, uint64(c.Ret), x86XfeatureMasks)
		return
	}
	p.d(c.Ret)
}

func init() {
	registerSigs(map[string]sig{
		"arch_prctl": {args: []kind{kArchPrctl, kArchPrctlOut}, nargs: archPrctlNargs, ret: archPrctlRet},
	})
}
