package strace

import "runtime"

// struct stat and struct statx (print_struct_stat.c, statx.c): abbreviated
// by default, every field under -v.

// statLayout is where struct stat's fields are; nlink, uid... and blksize
// differ in place and size between x86_64 and asm-generic (arm64), the
// times do not.
type statLayout struct {
	size, mode, nlink, uid, gid, rdev, fsize, blksize int
	nlink64, blksize64                                bool
}

var stLayout = func() statLayout {
	if runtime.GOARCH == "arm64" { // asm-generic/stat.h
		return statLayout{size: 128, mode: 16, nlink: 20, uid: 24, gid: 28, rdev: 32, fsize: 48, blksize: 56}
	}
	return statLayout{size: 144, mode: 24, nlink: 16, uid: 28, gid: 32, rdev: 40, fsize: 48, blksize: 56,
		nlink64: true, blksize64: true}
}()

// Offsets common to both layouts.
const (
	stDev    = 0
	stIno    = 8
	stBlocks = 64
	stAtime  = 72 // then its nsec, mtime, mtime's nsec, ctime, ctime's nsec, 8 bytes each
)

func fmtStat(p *printer, c *Call, i int) {
	b := capturedOut(c, i, stLayout.size)
	if b == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	l := stLayout
	mode := uint64(le.Uint32(b[l.mode:]))
	p.c('{')
	if !p.abbrev() {
		p.s("st_dev=")
		makedev(p, le.Uint64(b[stDev:]))
		p.s(", st_ino=")
		p.u(le.Uint64(b[stIno:]))
		p.s(", st_mode=")
		symbolicMode(p, mode)
		p.s(", st_nlink=")
		if l.nlink64 {
			p.u(le.Uint64(b[l.nlink:]))
		} else {
			p.u(uint64(le.Uint32(b[l.nlink:])))
		}
		p.s(", st_uid=")
		p.u(uint64(le.Uint32(b[l.uid:])))
		p.s(", st_gid=")
		p.u(uint64(le.Uint32(b[l.gid:])))
		p.s(", st_blksize=")
		if l.blksize64 {
			p.u(le.Uint64(b[l.blksize:]))
		} else {
			p.u(uint64(int64(int32(le.Uint32(b[l.blksize:])))))
		}
		p.s(", st_blocks=")
		p.u(le.Uint64(b[stBlocks:]))
	} else {
		p.s("st_mode=")
		symbolicMode(p, mode)
	}
	if t := mode & sIFMT; t == 0o020000 || t == 0o060000 {
		p.s(", st_rdev=")
		makedev(p, le.Uint64(b[l.rdev:]))
	} else {
		p.s(", st_size=")
		p.u(le.Uint64(b[l.fsize:]))
	}
	if p.abbrev() {
		p.s(", ...}")
		return
	}
	for k, name := range [3]string{"st_atime", "st_mtime", "st_ctime"} {
		sec, nsec := int64(le.Uint64(b[stAtime+16*k:])), le.Uint64(b[stAtime+16*k+8:])
		p.s(", ")
		p.s(name)
		p.c('=')
		p.d(sec)
		timeComment(p, sec, nsec, 999999999, 9)
		p.s(", ")
		p.s(name)
		p.s("_nsec=")
		p.u(nsec)
	}
	p.c('}')
}

// statx.

var statxMasks = []flag{
	{0xfff, "STATX_ALL"}, {0x7ff, "STATX_BASIC_STATS"},
	{0x1, "STATX_TYPE"}, {0x2, "STATX_MODE"}, {0x4, "STATX_NLINK"}, {0x8, "STATX_UID"}, {0x10, "STATX_GID"},
	{0x20, "STATX_ATIME"}, {0x40, "STATX_MTIME"}, {0x80, "STATX_CTIME"}, {0x100, "STATX_INO"},
	{0x200, "STATX_SIZE"}, {0x400, "STATX_BLOCKS"}, {0x800, "STATX_BTIME"}, {0x1000, "STATX_MNT_ID"},
	{0x2000, "STATX_DIOALIGN"},
}

var statxAttrs = []flag{
	{0x4, "STATX_ATTR_COMPRESSED"}, {0x10, "STATX_ATTR_IMMUTABLE"}, {0x20, "STATX_ATTR_APPEND"},
	{0x40, "STATX_ATTR_NODUMP"}, {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
	{0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"},
}

// statx's mask bits.
const (
	statxType, statxMode, statxNlink, statxUID, statxGID = 0x1, 0x2, 0x4, 0x8, 0x10
	statxAtime, statxMtime, statxCtime, statxIno         = 0x20, 0x40, 0x80, 0x100
	statxSize, statxBlocks, statxBtime, statxMntID       = 0x200, 0x400, 0x800, 0x1000
	statxDioalign                                        = 0x2000
)

func fmtStatx(p *printer, c *Call, i int) {
	b := capturedOut(c, i, 256)
	if b == nil || !p.verbose() {
		p.ptr(c.Args[i])
		return
	}
	mask := uint64(le.Uint32(b[0:]))
	p.s("{stx_mask=")
	flagsOrUnknown(p, mask, statxMasks, "", "STATX_???")
	if !p.abbrev() {
		p.s(", stx_blksize=")
		p.u(uint64(le.Uint32(b[4:])))
	}
	p.s(", stx_attributes=")
	flagsOrUnknown(p, le.Uint64(b[8:]), statxAttrs, "", "STATX_ATTR_???")
	if !p.abbrev() {
		statxU32(p, mask, statxNlink, ", stx_nlink=", b[16:])
		statxID(p, mask, statxUID, ", stx_uid=", b[20:])
		statxID(p, mask, statxGID, ", stx_gid=", b[24:])
	}
	if mask&(statxType|statxMode) != 0 {
		p.s(", stx_mode=")
		symbolicMode(p, uint64(le.Uint16(b[28:])))
	}
	if !p.abbrev() && mask&statxIno != 0 {
		p.s(", stx_ino=")
		p.u(le.Uint64(b[32:]))
	}
	if mask&statxSize != 0 {
		p.s(", stx_size=")
		p.u(le.Uint64(b[40:]))
	}
	if p.abbrev() {
		p.s(", ...}")
		return
	}
	statxRest(p, mask, b)
	p.c('}')
}

// statxRest prints what follows stx_size under -v.
func statxRest(p *printer, mask uint64, b []byte) {
	if mask&statxBlocks != 0 {
		p.s(", stx_blocks=")
		p.u(le.Uint64(b[48:]))
	}
	p.s(", stx_attributes_mask=")
	flagsOrUnknown(p, le.Uint64(b[56:]), statxAttrs, "", "STATX_ATTR_???")
	for _, ts := range [4]struct {
		bit  uint64
		off  int
		name string
	}{{statxAtime, 64, ", stx_atime="}, {statxBtime, 80, ", stx_btime="},
		{statxCtime, 96, ", stx_ctime="}, {statxMtime, 112, ", stx_mtime="}} {
		if mask&ts.bit == 0 {
			continue
		}
		sec, nsec := int64(le.Uint64(b[ts.off:])), uint64(le.Uint32(b[ts.off+8:]))
		p.s(ts.name)
		p.s("{tv_sec=")
		p.d(sec)
		p.s(", tv_nsec=")
		p.u(nsec)
		p.c('}')
		timeComment(p, sec, nsec, 999999999, 9)
	}
	for k, name := range [4]string{", stx_rdev_major=", ", stx_rdev_minor=", ", stx_dev_major=", ", stx_dev_minor="} {
		p.s(name)
		p.u(uint64(le.Uint32(b[128+4*k:])))
	}
	if mask&statxMntID != 0 {
		p.s(", stx_mnt_id=")
		hexOrZero(p, le.Uint64(b[144:]))
	}
	if mask&statxDioalign != 0 {
		p.s(", stx_dio_mem_align=")
		p.u(uint64(le.Uint32(b[152:])))
		p.s(", stx_dio_offset_align=")
		p.u(uint64(le.Uint32(b[156:])))
	}
}

func statxU32(p *printer, mask, bit uint64, name string, b []byte) {
	if mask&bit != 0 {
		p.s(name)
		p.u(uint64(le.Uint32(b)))
	}
}

// statxID prints a uid or gid as strace's PRINT_VAL_ID: -1, or unsigned.
func statxID(p *printer, mask, bit uint64, name string, b []byte) {
	if mask&bit == 0 {
		return
	}
	p.s(name)
	if v := le.Uint32(b); v == ^uint32(0) {
		p.s("-1")
	} else {
		p.u(uint64(v))
	}
}
