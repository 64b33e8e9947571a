package strace

import (
	"bytes"

	"github.com/eproc/eproc/loader/wire"
)

// statmount (Linux 6.8), which strace 6.1 does not know: as strace 7.2's
// statmount.c prints it. Its struct mnt_id_req is listmount's (the same
// capture, kMntIDReq's), printed with mnt_id in hex and param as the
// STATMOUNT_ mask; its struct statmount (512 bytes, then the string
// table its [str] fields are offsets into) is printed at exit, the fields
// each bit of its mask makes valid, the strings as strace reads them.

const (
	statmountSize = 512
	// statmountStrMax: how much of the string table strace reads (its
	// str_buf, PATH_MAX*3).
	statmountStrMax = 3 * 4096
)

var statmountMask = []flag{
	{0x1, "STATMOUNT_SB_BASIC"}, {0x2, "STATMOUNT_MNT_BASIC"}, {0x4, "STATMOUNT_PROPAGATE_FROM"},
	{0x8, "STATMOUNT_MNT_ROOT"}, {0x10, "STATMOUNT_MNT_POINT"}, {0x20, "STATMOUNT_FS_TYPE"},
	{0x40, "STATMOUNT_MNT_NS_ID"}, {0x80, "STATMOUNT_MNT_OPTS"}, {0x100, "STATMOUNT_FS_SUBTYPE"},
	{0x200, "STATMOUNT_SB_SOURCE"}, {0x400, "STATMOUNT_OPT_ARRAY"}, {0x800, "STATMOUNT_OPT_SEC_ARRAY"},
	{0x1000, "STATMOUNT_SUPPORTED_MASK"}, {0x2000, "STATMOUNT_MNT_UIDMAP"}, {0x4000, "STATMOUNT_MNT_GIDMAP"},
}

var (
	statmountSbFlags = []flag{{0x1, "MS_RDONLY"}, {0x10, "MS_SYNCHRONOUS"}, {0x80, "MS_DIRSYNC"}, {1 << 25, "MS_LAZYTIME"}}
	statmountProp    = []flag{{1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"}, {1 << 20, "MS_SHARED"}}
	// fsMagics72: strace 7.2's fsmagic, strace 6.1's and the names it added.
	fsMagics72 = append(append([]flag{}, fsMagics...),
		flag{0x0bd00bd0, "LL_SUPER_MAGIC"}, flag{0x0bd00bd1, "LUSTRE_SUPER_MAGIC"}, flag{0x474d454d, "GUEST_MEMFD_MAGIC"},
		flag{0x4e554c4c, "NULL_FS_MAGIC"}, flag{0x50494446, "PID_FS_MAGIC"}, flag{0xca451a4e, "BCACHEFS_SUPER_MAGIC"})
)

var (
	kStatmountReq = newKind(kindInfo{cap: capIn(mntIDReqCap), fmt: fmtStatmountReq})
	// kStatmount: the buffer, as many bytes as its size argument says
	// (not a constant size: a read past the caller's buffer can fail),
	// at most wire.MaxCap: the struct and 7679 bytes of strings.
	kStatmount = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzArg, sizeRel: 1, elem: 1, max: wire.MaxCap, when: wire.CWOK},
		fmt: fmtStatmount})
	kStatmountFlags = flagsKind([]flag{{1, "STATMOUNT_BY_FD"}}, "STATMOUNT_???")
)

// fmtStatmountReq prints statmount's struct mnt_id_req (statmount.c's
// print_mnt_id_req): mnt_id in hex, param as a STATMOUNT_ mask.
func fmtStatmountReq(p *printer, c *Call, i int) {
	printMntIDReq(p, c, i, hexOrZero, func(p *printer, v uint64) {
		flagsOrUnknown(p, v, statmountMask, "", "STATMOUNT_???")
	})
}

// statmountBuf is a captured struct statmount: its first fetch bytes (the
// rest reads as zero, as strace's struct, zeroed, read in part), and its
// string table.
type statmountBuf struct {
	b     []byte
	strs  []byte
	fetch int
}

func (s *statmountBuf) u32(off int) uint64 {
	if off+4 > s.fetch {
		return 0
	}
	return uint64(le.Uint32(s.b[off:]))
}

func (s *statmountBuf) u64(off int) uint64 {
	if off+8 > s.fetch {
		return 0
	}
	return le.Uint64(s.b[off:])
}

// statmountField prints ", name=": a field after the first (size).
func statmountField(p *printer, name string) {
	p.s(", ")
	p.s(name)
	p.c('=')
}

// cstr prints the string at offset off of the table as strace's
// PRINT_FIELD_CSTRING_OFFSET: quoted, "..." when no NUL ends it in the
// table; the offset in hex when it is past the table.
func (s *statmountBuf) cstr(p *printer, off uint64) {
	if off >= uint64(len(s.strs)) {
		hexOrZero(p, off)
		return
	}
	statmountQuote(p, s.strs[off:])
}

// statmountQuote prints b as print_quoted_cstring(b, len(b)) does: up to
// its NUL, else its bytes but the last, and "...", unless that last is
// the NUL.
func statmountQuote(p *printer, b []byte) {
	if k := bytes.IndexByte(b, 0); k >= 0 {
		p.quote(b[:k], false)
		return
	}
	p.quote(b[:len(b)-1], true)
}

// seq prints the num strings at offset off as strace's
// print_quoted_cstring_sequence: at most -s of them when abbreviated,
// ??? for those past the table's end.
func (s *statmountBuf) seq(p *printer, num, off uint64) {
	if off >= uint64(len(s.strs)) {
		hexOrZero(p, off)
		return
	}
	b := s.strs[off:]
	p.c('[')
	i := uint64(0)
	for ; i < num && len(b) > 0; i++ {
		if i > 0 {
			p.s(", ")
		}
		if p.abbrev() && i+1 > uint64(p.strsize) {
			p.s("...]")
			return
		}
		statmountQuote(p, b)
		n := bytes.IndexByte(b, 0)
		if n < 0 {
			n = len(b)
		} else {
			n++
		}
		b = b[n:]
	}
	if i < num {
		if i > 0 {
			p.s(", ")
		}
		p.s("???")
	}
	p.c(']')
}

// fmtStatmount prints statmount's buffer as strace's print_statmount.
func fmtStatmount(p *printer, c *Call, i int) {
	addr, size := c.Args[i], c.Args[i+1]
	fetch := min(size, statmountSize)
	if fetch < 4 || addr == 0 || !p.verbose() || c.Ret < 0 || !c.Complete() {
		p.ptr(addr)
		return
	}
	cp := c.Cap(i, 0)
	if cp == nil || cp.Fault() && !cp.Part() || uint64(len(cp.Data)) < fetch {
		p.x(addr)
		return
	}
	s := statmountBuf{b: cp.Data, fetch: int(fetch)}
	if sz := s.u32(0); sz > statmountSize && sz <= size {
		n := min(int(sz)-statmountSize, statmountStrMax)
		have := len(cp.Data) - statmountSize
		switch {
		case have >= n:
			s.strs = cp.Data[statmountSize : statmountSize+n]
		case !cp.Fault() && have > 0:
			// More than wire.MaxCap bytes: the strings that were
			// captured (those cut short end in "...").
			s.strs = cp.Data[statmountSize:]
		}
		// Else the table could not be read: strace prints offsets.
	}
	s.print(p)
}

// print prints the struct, the fields its mask says are valid.
func (s *statmountBuf) print(p *printer) {
	mask := s.u64(8)
	p.s("{size=")
	p.u(s.u32(0))
	if mask&0x80 != 0 {
		statmountField(p, "mnt_opts")
		s.cstr(p, s.u32(4))
	}
	statmountField(p, "mask")
	flagsOrUnknown(p, mask, statmountMask, "", "STATMOUNT_???")
	if mask&0x1 != 0 {
		statmountField(p, "sb_dev_major")
		p.u(s.u32(16))
		statmountField(p, "sb_dev_minor")
		p.u(s.u32(20))
		statmountField(p, "sb_magic")
		xlatOrUnknown(p, s.u64(24), fsMagics72, "")
		statmountField(p, "sb_flags")
		flagsOrUnknown(p, s.u32(32), statmountSbFlags, "", "MS_???")
	}
	if mask&0x20 != 0 {
		statmountField(p, "fs_type")
		s.cstr(p, s.u32(36))
	}
	if mask&0x2 != 0 {
		statmountField(p, "mnt_id")
		hexOrZero(p, s.u64(40))
		statmountField(p, "mnt_parent_id")
		hexOrZero(p, s.u64(48))
		statmountField(p, "mnt_id_old")
		hexOrZero(p, s.u32(56))
		statmountField(p, "mnt_parent_id_old")
		hexOrZero(p, s.u32(60))
		statmountField(p, "mnt_attr")
		flagsOrUnknown(p, s.u64(64), mountAttrAttr72, "", "MOUNT_ATTR_???")
		statmountField(p, "mnt_propagation")
		flagsOrUnknown(p, s.u64(72), statmountProp, "", "MS_???")
		statmountField(p, "mnt_peer_group")
		hexOrZero(p, s.u64(80))
		statmountField(p, "mnt_master")
		hexOrZero(p, s.u64(88))
	}
	s.printMore(p, mask)
}

// printMore prints the fields from propagate_from on.
func (s *statmountBuf) printMore(p *printer, mask uint64) {
	if mask&0x4 != 0 {
		statmountField(p, "propagate_from")
		hexOrZero(p, s.u64(96))
	}
	if mask&0x8 != 0 {
		statmountField(p, "mnt_root")
		s.cstr(p, s.u32(104))
	}
	if mask&0x10 != 0 {
		statmountField(p, "mnt_point")
		s.cstr(p, s.u32(108))
	}
	if mask&0x40 != 0 {
		statmountField(p, "mnt_ns_id")
		hexOrZero(p, s.u64(112))
	}
	if mask&0x100 != 0 {
		statmountField(p, "fs_subtype")
		s.cstr(p, s.u32(120))
	}
	if mask&0x200 != 0 {
		statmountField(p, "sb_source")
		s.cstr(p, s.u32(124))
	}
	// The arrays: a count, then the strings.
	for _, a := range [...]struct {
		bit       uint64
		num, strs string
		off       int
	}{
		{0x400, "opt_num", "opt_array", 128},
		{0x800, "opt_sec_num", "opt_sec_array", 136},
		{0x1000, "", "", 144},
		{0x2000, "mnt_uidmap_num", "mnt_uidmap", 152},
		{0x4000, "mnt_gidmap_num", "mnt_gidmap", 160},
	} {
		if mask&a.bit == 0 {
			continue
		}
		if a.num == "" {
			statmountField(p, "supported_mask")
			flagsOrUnknown(p, s.u64(a.off), statmountMask, "", "STATMOUNT_???")
			continue
		}
		statmountField(p, a.num)
		p.u(s.u32(a.off))
		statmountField(p, a.strs)
		s.seq(p, s.u32(a.off), s.u32(a.off+4))
	}
	p.c('}')
}

func init() {
	registerSigs(map[string]sig{
		"statmount": {args: []kind{kStatmountReq, kStatmount, kUlong, kStatmountFlags}},
	})
}
