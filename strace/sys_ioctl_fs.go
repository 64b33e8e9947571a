package strace

// ioctl requests of the file-system families strace decodes in
// fs_x_ioctl.c ('X': FIFREEZE, FITHAW, FITRIM, FS_IOC_FS[GS]ETXATTR) and
// fs_f_ioctl.c ('f': FS_IOC_[GS]ETFLAGS, FS_IOC_FIEMAP). Tables from
// strace 6.1's xlat/fs_xflags.in, fiemap_flags.in, fs_ioc_flags.in.

var (
	fsXflags    = []flag{{0x1, "FS_XFLAG_REALTIME"}, {0x2, "FS_XFLAG_PREALLOC"}, {0x8, "FS_XFLAG_IMMUTABLE"}, {0x10, "FS_XFLAG_APPEND"}, {0x20, "FS_XFLAG_SYNC"}, {0x40, "FS_XFLAG_NOATIME"}, {0x80, "FS_XFLAG_NODUMP"}, {0x100, "FS_XFLAG_RTINHERIT"}, {0x200, "FS_XFLAG_PROJINHERIT"}, {0x400, "FS_XFLAG_NOSYMLINKS"}, {0x800, "FS_XFLAG_EXTSIZE"}, {0x1000, "FS_XFLAG_EXTSZINHERIT"}, {0x2000, "FS_XFLAG_NODEFRAG"}, {0x4000, "FS_XFLAG_FILESTREAM"}, {0x8000, "FS_XFLAG_DAX"}, {0x10000, "FS_XFLAG_COWEXTSIZE"}, {0x80000000, "FS_XFLAG_HASATTR"}}
	fiemapFlags = []flag{{0x1, "FIEMAP_FLAG_SYNC"}, {0x2, "FIEMAP_FLAG_XATTR"}, {0x4, "FIEMAP_FLAG_CACHE"}}
	fsIocFlags  = []flag{{0x1, "FS_SECRM_FL"}, {0x2, "FS_UNRM_FL"}, {0x4, "FS_COMPR_FL"}, {0x8, "FS_SYNC_FL"}, {0x10, "FS_IMMUTABLE_FL"}, {0x20, "FS_APPEND_FL"}, {0x40, "FS_NODUMP_FL"}, {0x80, "FS_NOATIME_FL"}, {0x100, "FS_DIRTY_FL"}, {0x200, "FS_COMPRBLK_FL"}, {0x400, "FS_NOCOMP_FL"}, {0x800, "FS_ENCRYPT_FL"}, {0x1000, "FS_INDEX_FL"}, {0x2000, "FS_IMAGIC_FL"}, {0x4000, "FS_JOURNAL_DATA_FL"}, {0x8000, "FS_NOTAIL_FL"}, {0x10000, "FS_DIRSYNC_FL"}, {0x20000, "FS_TOPDIR_FL"}, {0x40000, "FS_HUGE_FILE_FL"}, {0x80000, "FS_EXTENT_FL"}, {0x100000, "FS_VERITY_FL"}, {0x200000, "FS_EA_INODE_FL"}, {0x400000, "FS_EOFBLOCKS_FL"}, {0x800000, "FS_NOCOW_FL"}, {0x2000000, "FS_DAX_FL"}, {0x10000000, "FS_INLINE_DATA_FL"}, {0x20000000, "FS_PROJINHERIT_FL"}, {0x40000000, "FS_CASEFOLD_FL"}, {0x80000000, "FS_RESERVED_FL"}}
)

// ioctlInBytes is the argument's capture, at least n bytes, of a struct the
// caller passes; nil after printing NULL or the address strace prints
// when it cannot read the struct.
func ioctlInBytes(p *printer, c *Call, i, n int) []byte {
	if cp := captured(p, c, i, n); cp != nil {
		return cp.Data
	}
	return nil
}

// ioctlOutBytes is ioctlInBytes for a struct the call fills: a failed call prints
// its address.
func ioctlOutBytes(p *printer, c *Call, i, n int) []byte {
	if c.Args[i] != 0 && (c.Ret < 0 || !c.Complete()) {
		p.x(c.Args[i])
		return nil
	}
	return ioctlInBytes(p, c, i, n)
}

// ioctlSucceeded: the call returned and did not fail (strace's exiting
// and !syserror).
func ioctlSucceeded(c *Call) bool { return c.Ret >= 0 && c.Complete() }

func fmtFstrimRange(p *printer, c *Call, i int) {
	b := ioctlInBytes(p, c, i, 24)
	if b == nil {
		return
	}
	p.s("{start=")
	hexOrZero(p, le.Uint64(b[0:]))
	p.s(", len=")
	p.u(le.Uint64(b[8:]))
	p.s(", minlen=")
	p.u(le.Uint64(b[16:]))
	p.c('}')
}

func fsxattr(p *printer, b []byte, get bool) {
	p.s("{fsx_xflags=")
	p.flagsDflt(uint64(le.Uint32(b[0:])), fsXflags, "", "FS_XFLAG_???")
	p.s(", fsx_extsize=")
	p.u(uint64(le.Uint32(b[4:])))
	if get {
		p.s(", fsx_nextents=")
		p.u(uint64(le.Uint32(b[8:])))
	}
	p.s(", fsx_projid=")
	hexOrZero(p, uint64(le.Uint32(b[12:])))
	p.s(", fsx_cowextsize=")
	p.u(uint64(le.Uint32(b[16:])))
	p.c('}')
}

func fmtFsxattrSet(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 28); b != nil {
		fsxattr(p, b, false)
	}
}

func fmtFsxattrGet(p *printer, c *Call, i int) {
	if b := ioctlOutBytes(p, c, i, 28); b != nil {
		fsxattr(p, b, true)
	}
}

func fsIocFlagsIn(p *printer, c *Call, i int) {
	if b := ioctlInBytes(p, c, i, 4); b != nil {
		p.c('[')
		p.flagsDflt(uint64(le.Uint32(b)), fsIocFlags, "", "FS_???_FL")
		p.c(']')
	}
}

func fsIocFlagsOut(p *printer, c *Call, i int) {
	if c.Args[i] != 0 && (c.Ret < 0 || !c.Complete()) {
		p.x(c.Args[i])
		return
	}
	fsIocFlagsIn(p, c, i)
}

var fiemapExtentFlags = []flag{
	{0x1, "FIEMAP_EXTENT_LAST"}, {0x2, "FIEMAP_EXTENT_UNKNOWN"}, {0x4, "FIEMAP_EXTENT_DELALLOC"},
	{0x8, "FIEMAP_EXTENT_ENCODED"}, {0x80, "FIEMAP_EXTENT_DATA_ENCRYPTED"}, {0x100, "FIEMAP_EXTENT_NOT_ALIGNED"},
	{0x200, "FIEMAP_EXTENT_DATA_INLINE"}, {0x400, "FIEMAP_EXTENT_DATA_TAIL"}, {0x800, "FIEMAP_EXTENT_UNWRITTEN"},
	{0x1000, "FIEMAP_EXTENT_MERGED"}, {0x2000, "FIEMAP_EXTENT_SHARED"},
}

// fiemapExtents is how many struct fiemap_extent (56 bytes) after the
// struct the capture holds, for -v: the capture keeps what precedes a
// page it cannot read, as strace's print_array stops at the first
// element it cannot fetch.
const fiemapExtents = 64

// fmtFiemap: struct fiemap in, and when the call succeeded " => " and
// what it filled (captured once, at exit: an injected call's memory is
// as it was at entry); under -v, the extents that follow the struct.
func fmtFiemap(p *printer, c *Call, i int) {
	if c.Args[i] != 0 && !p.verbose() {
		p.x(c.Args[i])
		return
	}
	cp := c.Cap(i, 0)
	switch {
	case c.Args[i] == 0:
		p.s("NULL")
		return
	case cp == nil || cp.Fault() && !cp.Part() || len(cp.Data) < 32:
		p.x(c.Args[i])
		return
	}
	b := cp.Data
	flags := uint64(le.Uint32(b[16:]))
	p.s("{fm_start=")
	p.u(le.Uint64(b[0:]))
	p.s(", fm_length=")
	p.u(le.Uint64(b[8:]))
	p.s(", fm_flags=")
	p.flagsDflt(flags, fiemapFlags, "", "FIEMAP_FLAG_???")
	p.s(", fm_extent_count=")
	p.u(uint64(le.Uint32(b[24:])))
	p.c('}')
	if !ioctlSucceeded(c) {
		return
	}
	p.s(" => {fm_flags=")
	p.flagsDflt(flags, fiemapFlags, "", "FIEMAP_FLAG_???")
	p.s(", fm_mapped_extents=")
	p.u(uint64(le.Uint32(b[20:])))
	if ioctlAbbrev(p) {
		p.s(", ...}")
		return
	}
	p.s(", fm_extents=")
	n, addr := uint64(le.Uint32(b[20:])), c.Args[i]+32
	switch {
	case n == 0:
		p.s("[]")
	case len(b) < 32+56:
		p.x(addr)
	default:
		p.c('[')
		for k := uint64(0); k < n; k++ {
			if k > 0 {
				p.s(", ")
			}
			e := b[min(uint64(len(b)), 32+56*k):]
			if len(e) < 56 {
				p.s("...")
				if cp.Part() {
					p.s(" /* ")
					p.x(addr + 56*k)
					p.s(" */")
				}
				break
			}
			p.s("{fe_logical=")
			p.u(le.Uint64(e))
			p.s(", fe_physical=")
			p.u(le.Uint64(e[8:]))
			p.s(", fe_length=")
			p.u(le.Uint64(e[16:]))
			p.s(", fe_flags=")
			p.flagsDflt(uint64(le.Uint32(e[40:])), fiemapExtentFlags, "", "FIEMAP_EXTENT_???")
			p.c('}')
		}
		p.c(']')
	}
	p.c('}')
}

func init() {
	registerIoctlsAtExit(map[uint32]ioctlDef{
		0xc0045877: {name: "FIFREEZE", none: true},
		0xc0045878: {name: "FITHAW", none: true},
		0xc0185879: {name: "FITRIM", size: ioctlSizeBits, arg: fmtFstrimRange},
		0x801c581f: {name: "FS_IOC_FSGETXATTR", size: ioctlSizeBits, arg: fmtFsxattrGet},
		0x401c5820: {name: "FS_IOC_FSSETXATTR", size: ioctlSizeBits, arg: fmtFsxattrSet},
		0x80086601: {name: "FS_IOC_GETFLAGS", size: 4, arg: fsIocFlagsOut},
		0x40086602: {name: "FS_IOC_SETFLAGS", size: 4, arg: fsIocFlagsIn},
		0x80046601: {name: "FS_IOC32_GETFLAGS", size: 4, arg: fsIocFlagsOut},
		0x40046602: {name: "FS_IOC32_SETFLAGS", size: 4, arg: fsIocFlagsIn},
		0xc020660b: {name: "FS_IOC_FIEMAP", size: 32 + 56*fiemapExtents, arg: fmtFiemap},
	})
}
