package strace

import "github.com/eproc/eproc/loader/wire"

// kexec_load and kexec_file_load, as strace 6.1 prints them (kexec.c).

var (
	kexecFileFlags = []flag{{1, "KEXEC_FILE_UNLOAD"}, {2, "KEXEC_FILE_ON_CRASH"}, {4, "KEXEC_FILE_NO_INITRAMFS"}}
	// kBufLenBefore is a buffer whose length is the argument before it,
	// printed as strace's printstrn.
	kBufLenBefore = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtData(p, c, i, c.Args[i-1]) }})
	// kexec_load's flags: the architecture (KEXEC_ARCH_MASK's bits), then
	// the flags.
	kexecArchs = []flag{{0, "KEXEC_ARCH_DEFAULT"}, {3 << 16, "KEXEC_ARCH_386"}, {4 << 16, "KEXEC_ARCH_68K"},
		{15 << 16, "KEXEC_ARCH_PARISC"}, {62 << 16, "KEXEC_ARCH_X86_64"}, {20 << 16, "KEXEC_ARCH_PPC"},
		{21 << 16, "KEXEC_ARCH_PPC64"}, {50 << 16, "KEXEC_ARCH_IA_64"}, {40 << 16, "KEXEC_ARCH_ARM"},
		{22 << 16, "KEXEC_ARCH_S390"}, {42 << 16, "KEXEC_ARCH_SH"}, {10 << 16, "KEXEC_ARCH_MIPS_LE"},
		{8 << 16, "KEXEC_ARCH_MIPS"}, {183 << 16, "KEXEC_ARCH_AARCH64"}, {243 << 16, "KEXEC_ARCH_RISCV"},
		{258 << 16, "KEXEC_ARCH_LOONGARCH"}}
	kexecLoadFlags = []flag{{1, "KEXEC_ON_CRASH"}, {2, "KEXEC_PRESERVE_CONTEXT"}}
	// kKexecSegments is kexec_load's segments, an array of struct
	// kexec_segment whose length is the argument before it: its address
	// when longer than KEXEC_SEGMENT_MAX.
	kKexecSegments = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: kexecSegSize, max: kexecSegSize * kexecSegMax, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) {
			if c.Args[i-1] > kexecSegMax {
				p.ptr(c.Args[i])
				return
			}
			printArray(p, c, i, kexecSegSize, c.Args[i-1], func(p *printer, _ uint64, b []byte) bool {
				p.s("{buf=")
				p.ptr(le.Uint64(b))
				p.s(", bufsz=")
				p.u(le.Uint64(b[8:]))
				p.s(", mem=")
				p.ptr(le.Uint64(b[16:]))
				p.s(", memsz=")
				p.u(le.Uint64(b[24:]))
				p.c('}')
				return true
			})
		}})
	kKexecLoadFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		const archMask = 0xffff0000
		v := c.Args[i]
		p.xlat(v&archMask, kexecArchs, "/KEXEC_ARCH_???")
		if v &^= archMask; v != 0 {
			p.c('|')
			p.flagsDflt(v, kexecLoadFlags, "", "KEXEC_???")
		}
	}})
	kKexecFileFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.flagsDflt(c.Args[i], kexecFileFlags, "", "KEXEC_FILE_???")
	}})
)

// struct kexec_segment's size, and KEXEC_SEGMENT_MAX.
const (
	kexecSegSize = 32
	kexecSegMax  = 16
)

func init() {
	registerSigs(map[string]sig{
		"kexec_load":      {args: []kind{kPtr, kUlong, kKexecSegments, kKexecLoadFlags}},
		"kexec_file_load": {args: []kind{kFd, kFd, kUlong, kBufLenBefore, kKexecFileFlags}, class: ClassDesc},
	})
}
