package strace

import "github.com/eproc/eproc/loader/wire"

// file_getattr and file_setattr (Linux 6.17), which strace 6.1 does not
// know: as strace 7.2's file_attr.c prints them. struct file_attr is
// fa_xflags (u64), fa_extsize, fa_nextents, fa_projid, fa_cowextsize
// (u32s); its size is the argument after it.

// fileAttrSize is FILE_ATTR_SIZE_VER0.
const fileAttrSize = 24

// fileAttrXflags is strace 7.2's fs_xflags: FS_IOC_FSGETXATTR's names
// (fsXflags) and the newer ones, in its order.
var fileAttrXflags = []flag{
	{0x1, "FS_XFLAG_REALTIME"}, {0x2, "FS_XFLAG_PREALLOC"}, {0x8, "FS_XFLAG_IMMUTABLE"}, {0x10, "FS_XFLAG_APPEND"},
	{0x20, "FS_XFLAG_SYNC"}, {0x40, "FS_XFLAG_NOATIME"}, {0x80, "FS_XFLAG_NODUMP"}, {0x100, "FS_XFLAG_RTINHERIT"},
	{0x200, "FS_XFLAG_PROJINHERIT"}, {0x400, "FS_XFLAG_NOSYMLINKS"}, {0x800, "FS_XFLAG_EXTSIZE"},
	{0x1000, "FS_XFLAG_EXTSZINHERIT"}, {0x2000, "FS_XFLAG_NODEFRAG"}, {0x4000, "FS_XFLAG_FILESTREAM"},
	{0x8000, "FS_XFLAG_DAX"}, {0x10000, "FS_XFLAG_COWEXTSIZE"}, {0x20000, "FS_XFLAG_VERITY"},
	{0x80000000, "FS_XFLAG_HASATTR"}, {0x40000, "FS_XFLAG_CASEFOLD"}, {0x80000, "FS_XFLAG_CASENONPRESERVING"},
}

func capFileAttr(when uint8) capRule {
	return capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: 4096, when: when}
}

var (
	kFileAttrFlags = flagsKind([]flag{{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x1000, "AT_EMPTY_PATH"}}, "AT_???")
	// kFileAttrOut is file_getattr's attr, printed once the call returned
	// (its address when it failed), with fa_nextents.
	kFileAttrOut = newKind(kindInfo{out: true, cap: capFileAttr(wire.CWOK), fmt: func(p *printer, c *Call, i int) {
		if fhFailed(c) {
			p.ptr(c.Args[i])
			return
		}
		fmtFileAttr(p, c, i, true)
	}})
	// kFileAttrIn is file_setattr's attr.
	kFileAttrIn = newKind(kindInfo{cap: capFileAttr(wire.CWIn), fmt: func(p *printer, c *Call, i int) { fmtFileAttr(p, c, i, false) }})
)

// fmtFileAttr prints struct file_attr as strace's decode_file_attr: its
// address when the size is under 24 or over a page, or it could not be
// read; the bytes past 24 when not zero.
func fmtFileAttr(p *printer, c *Call, i int, get bool) {
	usize := c.Args[i+1]
	cp := c.Cap(i, 0)
	if usize < fileAttrSize || usize > 4096 || c.Args[i] == 0 || !p.verbose() || cp == nil || len(cp.Data) < fileAttrSize || cp.Fault() && !cp.Part() {
		p.ptr(c.Args[i])
		return
	}
	b := cp.Data
	p.s("{fa_xflags=")
	flagsOrUnknown(p, le.Uint64(b), fileAttrXflags, "", "FS_XFLAG_???")
	p.s(", fa_extsize=")
	p.u(uint64(le.Uint32(b[8:])))
	if get {
		p.s(", fa_nextents=")
		p.u(uint64(le.Uint32(b[12:])))
	}
	p.s(", fa_projid=")
	hexOrZero(p, uint64(le.Uint32(b[16:])))
	p.s(", fa_cowextsize=")
	p.u(uint64(le.Uint32(b[20:])))
	structTail(p, cp, fileAttrSize, usize)
	p.c('}')
}

func init() {
	const DF = ClassDesc | ClassFile
	registerSigs(map[string]sig{
		"file_getattr": {args: []kind{kDirfd, kPath, kFileAttrOut, kUlong, kFileAttrFlags}, class: DF},
		"file_setattr": {args: []kind{kDirfd, kPath, kFileAttrIn, kUlong, kFileAttrFlags}, class: DF},
	})
}
