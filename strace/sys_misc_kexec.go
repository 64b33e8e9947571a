package strace

import "github.com/eproc/eproc/loader/wire"

// kexec_file_load, as strace 6.1 prints it (kexec.c).

var (
	kexecFileFlags = []flag{{1, "KEXEC_FILE_UNLOAD"}, {2, "KEXEC_FILE_ON_CRASH"}, {4, "KEXEC_FILE_NO_INITRAMFS"}}
	// kBufLenBefore is a buffer whose length is the argument before it,
	// printed as strace's printstrn.
	kBufLenBefore = newKind(kindInfo{cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: -1, elem: 1, when: wire.CWIn},
		fmt: func(p *printer, c *Call, i int) { fmtData(p, c, i, c.Args[i-1]) }})
	kKexecFileFlags = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		p.flagsDflt(c.Args[i], kexecFileFlags, "", "KEXEC_FILE_???")
	}})
)

func init() {
	registerSigs(map[string]sig{
		"kexec_file_load": {args: []kind{kFd, kFd, kUlong, kBufLenBefore, kKexecFileFlags}, class: ClassDesc},
	})
}
