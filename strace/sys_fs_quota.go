package strace

// quotactl and quotactl_fd, as strace's quota.c prints them: the command
// as QCMD(Q_..., ...QUOTA), then what the command takes. The data's
// capture depends on the command (quotaCases: the selector keys on the
// command, the qcmd without its type byte): Q_QUOTAON's path, the
// structs the getters fill (at exit) and the setters pass (at entry).

func oldQcmd(x uint64) uint64 { return x << 8 }
func newQcmd(x uint64) uint64 { return x | 0x800000 }
func xqmQcmd(x uint64) uint64 { return 'X'<<8 + x }

var (
	qQuotaOn       = newQcmd(2)
	qGetFmt        = newQcmd(4)
	qGetInfo       = newQcmd(5)
	qSetInfo       = newQcmd(6)
	qGetQuota      = newQcmd(7)
	qSetQuota      = newQcmd(8)
	qGetNextQuota  = newQcmd(9)
	qXQuotaOn      = xqmQcmd(1)
	qXQuotaOff     = xqmQcmd(2)
	qXGetQuota     = xqmQcmd(3)
	qXSetQLim      = xqmQcmd(4)
	qXGetQStat     = xqmQcmd(5)
	qXQuotaRm      = xqmQcmd(6)
	qXGetQStatV    = xqmQcmd(8)
	qXGetNextQuota = xqmQcmd(9)
	quotaCmdsTab   = []flag{
		{oldQcmd(1), "Q_V1_QUOTAON"}, {oldQcmd(2), "Q_V1_QUOTAOFF"}, {oldQcmd(3), "Q_V1_GETQUOTA"},
		{oldQcmd(4), "Q_V1_SETQUOTA"}, {oldQcmd(5), "Q_V1_SETUSE"}, {oldQcmd(6), "Q_V1_SYNC"}, {oldQcmd(7), "Q_SETQLIM"},
		{oldQcmd(8), "Q_V1_GETSTATS"}, {oldQcmd(0x10), "Q_V1_RSQUASH"}, {oldQcmd(0xd), "Q_V2_GETQUOTA"},
		{oldQcmd(0xe), "Q_V2_SETQUOTA"}, {oldQcmd(0xf), "Q_V2_SETUSE"}, {oldQcmd(9), "Q_V2_GETINFO"},
		{oldQcmd(0xa), "Q_V2_SETINFO"}, {oldQcmd(0xb), "Q_V2_SETGRACE"}, {oldQcmd(0xc), "Q_V2_SETFLAGS"},
		{oldQcmd(0x11), "Q_V2_GETSTATS"},
		{newQcmd(1), "Q_SYNC"}, {newQcmd(2), "Q_QUOTAON"}, {newQcmd(3), "Q_QUOTAOFF"}, {newQcmd(4), "Q_GETFMT"},
		{newQcmd(5), "Q_GETINFO"}, {newQcmd(6), "Q_SETINFO"}, {newQcmd(7), "Q_GETQUOTA"}, {newQcmd(8), "Q_SETQUOTA"},
		{newQcmd(9), "Q_GETNEXTQUOTA"},
		{xqmQcmd(1), "Q_XQUOTAON"}, {xqmQcmd(2), "Q_XQUOTAOFF"}, {xqmQcmd(3), "Q_XGETQUOTA"}, {xqmQcmd(4), "Q_XSETQLIM"},
		{xqmQcmd(5), "Q_XGETQSTAT"}, {xqmQcmd(6), "Q_XQUOTARM"}, {xqmQcmd(7), "Q_XQUOTASYNC"}, {xqmQcmd(8), "Q_XGETQSTATV"},
		{xqmQcmd(9), "Q_XGETNEXTQUOTA"},
	}
	quotaTypes    = []flag{{0, "USRQUOTA"}, {1, "GRPQUOTA"}, {2, "PRJQUOTA"}}
	quotaFormats  = []flag{{1, "QFMT_VFS_OLD"}, {2, "QFMT_VFS_V0"}, {3, "QFMT_OCFS2"}, {4, "QFMT_VFS_V1"}}
	xfsQuotaFlags = []flag{{1, "FS_QUOTA_UDQ_ACCT"}, {2, "FS_QUOTA_UDQ_ENFD"}, {4, "FS_QUOTA_GDQ_ACCT"},
		{8, "FS_QUOTA_GDQ_ENFD"}, {0x10, "FS_QUOTA_PDQ_ACCT"}, {0x20, "FS_QUOTA_PDQ_ENFD"}}
	xfsDqblkFlags = []flag{{1, "FS_USER_QUOTA"}, {2, "FS_PROJ_QUOTA"}, {4, "FS_GROUP_QUOTA"}}
	dqblkValid    = []flag{{1, "QIF_BLIMITS"}, {2, "QIF_SPACE"}, {4, "QIF_ILIMITS"}, {8, "QIF_INODES"},
		{0x10, "QIF_BTIME"}, {0x20, "QIF_ITIME"}}
	dqinfoFlags = []flag{{1, "DQF_ROOT_SQUASH"}, {1 << 16, "DQF_SYS_FILE"}}
	dqinfoValid = []flag{{1, "IIF_BGRACE"}, {2, "IIF_IGRACE"}, {4, "IIF_FLAGS"}}
)

// The sizes of the structs the commands take, on 64-bit architectures:
// struct if_dqblk (packed), if_nextdqblk, if_dqinfo, fs_disk_quota,
// fs_quota_stat and fs_quota_statv.
const (
	dqblkSize     = 68
	nextDqblkSize = 72
	dqinfoSize    = 24
	xfsDqblkSize  = 112
	xfsQStatSize  = 80
	xfsQStatVSize = 160
)

// quotaCases are the data's captures by command (the data is argument 3
// of both calls); other commands capture nothing.
func quotaCases() map[uint32]map[int]capRule {
	return map[uint32]map[int]capRule{
		uint32(qQuotaOn):       {3: capPath},
		uint32(qGetFmt):        {3: capOut(4)},
		uint32(qGetInfo):       {3: capOut(dqinfoSize)},
		uint32(qSetInfo):       {3: capIn(dqinfoSize)},
		uint32(qGetQuota):      {3: capOut(dqblkSize)},
		uint32(qSetQuota):      {3: capIn(dqblkSize)},
		uint32(qGetNextQuota):  {3: capOut(nextDqblkSize)},
		uint32(qXQuotaOn):      {3: capIn(4)},
		uint32(qXQuotaOff):     {3: capIn(4)},
		uint32(qXQuotaRm):      {3: capIn(4)},
		uint32(qXGetQuota):     {3: capOut(xfsDqblkSize)},
		uint32(qXGetNextQuota): {3: capOut(xfsDqblkSize)},
		uint32(qXSetQLim):      {3: capIn(xfsDqblkSize)},
		uint32(qXGetQStat):     {3: capOut(xfsQStatSize)},
		uint32(qXGetQStatV):    {3: capOut(xfsQStatVSize)},
	}
}

// A quotaField is a struct's field: its name, offset and size (1, 2, 4,
// 8 bytes), printed as flags (unknown bits as unk), in hexadecimal, signed
// or unsigned.
type quotaField struct {
	name   string
	off    int
	size   int
	signed bool
	flags  []flag
	unk    string
	hex    bool
}

// quotaStruct prints fields fs of b in braces; the fields from cut on
// are "..." unless -v (cut < 0: none).
func quotaStruct(p *printer, b []byte, fs []quotaField, cut int) {
	p.c('{')
	quotaFields(p, b, fs, cut)
	p.c('}')
}

// quotaFields prints fields fs of b, without braces.
func quotaFields(p *printer, b []byte, fs []quotaField, cut int) {
	for i, f := range fs {
		if i > 0 {
			p.s(", ")
		}
		if i == cut && p.abbrev() {
			p.s("...")
			break
		}
		p.s(f.name)
		p.c('=')
		var v uint64
		switch f.size {
		case 1:
			v = uint64(b[f.off])
		case 2:
			v = uint64(le.Uint16(b[f.off:]))
		case 4:
			v = uint64(le.Uint32(b[f.off:]))
		default:
			v = le.Uint64(b[f.off:])
		}
		switch {
		case f.flags != nil:
			flagsOrUnknown(p, v, f.flags, "", f.unk)
		case f.hex:
			hexOrZero(p, v)
		case f.signed:
			p.d(int64(v<<(64-8*f.size)) >> (64 - 8*f.size))
		default:
			p.u(v)
		}
	}
}

// u64Fields are consecutive uint64 fields from off.
func u64Fields(off int, names ...string) []quotaField {
	fs := make([]quotaField, len(names))
	for i, n := range names {
		fs[i] = quotaField{name: n, off: off + 8*i, size: 8}
	}
	return fs
}

func concatFields(parts ...[]quotaField) []quotaField {
	var fs []quotaField
	for _, p := range parts {
		fs = append(fs, p...)
	}
	return fs
}

var (
	dqblkFields = concatFields(u64Fields(0, "dqb_bhardlimit", "dqb_bsoftlimit", "dqb_curspace", "dqb_ihardlimit",
		"dqb_isoftlimit", "dqb_curinodes", "dqb_btime", "dqb_itime"),
		[]quotaField{{name: "dqb_valid", off: 64, size: 4, flags: dqblkValid, unk: "QIF_???"}})
	nextDqblkFields = concatFields(dqblkFields, []quotaField{{name: "dqb_id", off: 68, size: 4}})
	dqinfoFields    = concatFields(u64Fields(0, "dqi_bgrace", "dqi_igrace"), []quotaField{
		{name: "dqi_flags", off: 16, size: 4, flags: dqinfoFlags, unk: "DQF_???"},
		{name: "dqi_valid", off: 20, size: 4, flags: dqinfoValid, unk: "IIF_???"}})
	xfsDqblkFields = concatFields([]quotaField{
		{name: "d_version", off: 0, size: 1, signed: true},
		{name: "d_flags", off: 1, size: 1, flags: xfsDqblkFlags, unk: "FS_???_QUOTA"},
		{name: "d_fieldmask", off: 2, size: 2, hex: true},
		{name: "d_id", off: 4, size: 4}},
		u64Fields(8, "d_blk_hardlimit", "d_blk_softlimit", "d_ino_hardlimit", "d_ino_softlimit", "d_bcount", "d_icount"),
		[]quotaField{
			{name: "d_itimer", off: 56, size: 4, signed: true},
			{name: "d_btimer", off: 60, size: 4, signed: true},
			{name: "d_iwarns", off: 64, size: 2},
			{name: "d_bwarns", off: 66, size: 2}},
		u64Fields(72, "d_rtb_hardlimit", "d_rtb_softlimit", "d_rtbcount"),
		[]quotaField{
			{name: "d_rtbtimer", off: 96, size: 4, signed: true},
			{name: "d_rtbwarns", off: 100, size: 2}})
	// The timer limits and warning limits that end both quota stats.
	xfsQStatLimits = func(off int) []quotaField {
		return []quotaField{
			{name: "qs_btimelimit", off: off, size: 4, signed: true},
			{name: "qs_itimelimit", off: off + 4, size: 4, signed: true},
			{name: "qs_rtbtimelimit", off: off + 8, size: 4, signed: true},
			{name: "qs_bwarnlimit", off: off + 12, size: 2},
			{name: "qs_iwarnlimit", off: off + 14, size: 2}}
	}
	qsVersion = quotaField{name: "qs_version", off: 0, size: 1, signed: true}
	qsFlags   = quotaField{name: "qs_flags", off: 2, size: 2, flags: xfsQuotaFlags, unk: "FS_QUOTA_???"}
)

// nextDqblk prints a struct if_nextdqblk: abbreviated, its dqb_id still
// follows the first six fields.
func nextDqblk(p *printer, b []byte) {
	if !p.abbrev() {
		quotaStruct(p, b, nextDqblkFields, -1)
		return
	}
	p.c('{')
	quotaFields(p, b, dqblkFields[:6], -1)
	p.s(", ")
	quotaFields(p, b, nextDqblkFields[len(dqblkFields):], -1)
	p.s(", ...}")
}

// qfilestat prints a struct fs_qfilestat (or fs_qfilestatv: the same
// fields) at b.
func qfilestat(p *printer, b []byte) {
	p.s("{qfs_ino=")
	p.u(le.Uint64(b))
	p.s(", qfs_nblks=")
	p.u(le.Uint64(b[8:]))
	p.s(", qfs_nextents=")
	p.u(uint64(le.Uint32(b[16:])))
	p.c('}')
}

// xfsQStat prints a struct fs_quota_stat: qs_uquota at 8, qs_gquota at
// 32, qs_incoredqs at 56; all but qs_version abbreviated.
func xfsQStat(p *printer, b []byte) {
	p.s("{qs_version=")
	p.d(int64(int8(b[0])))
	if p.abbrev() {
		p.s(", ...}")
		return
	}
	p.s(", qs_flags=")
	flagsOrUnknown(p, uint64(le.Uint16(b[2:])), xfsQuotaFlags, "", "FS_QUOTA_???")
	p.s(", qs_uquota=")
	qfilestat(p, b[8:])
	p.s(", qs_gquota=")
	qfilestat(p, b[32:])
	p.s(", qs_incoredqs=")
	p.u(uint64(le.Uint32(b[56:])))
	p.s(", ")
	quotaFields(p, b, xfsQStatLimits(60), -1)
	p.c('}')
}

// xfsQStatV prints a struct fs_quota_statv: qs_incoredqs at 4, the three
// qfilestatv at 8, 32 and 56.
func xfsQStatV(p *printer, b []byte) {
	p.s("{qs_version=")
	p.d(int64(int8(b[0])))
	if p.abbrev() {
		p.s(", ...}")
		return
	}
	p.s(", qs_flags=")
	flagsOrUnknown(p, uint64(le.Uint16(b[2:])), xfsQuotaFlags, "", "FS_QUOTA_???")
	p.s(", qs_incoredqs=")
	p.u(uint64(le.Uint32(b[4:])))
	p.s(", qs_uquota=")
	qfilestat(p, b[8:])
	p.s(", qs_gquota=")
	qfilestat(p, b[32:])
	p.s(", qs_pquota=")
	qfilestat(p, b[56:])
	p.s(", ")
	quotaFields(p, b, xfsQStatLimits(80), -1)
	p.c('}')
}

// quotaCmd is the command part of the call's qcmd (argument at).
func quotaCmd(c *Call, at int) uint64 { return uint64(uint32(c.Args[at])) >> 8 }

// quotaNargs: the commands that take neither id nor data print two arguments.
func quotaNargs(at int) func(c *Call) int {
	return func(c *Call) int {
		switch quotaCmd(c, at) {
		case newQcmd(3), newQcmd(1), xqmQcmd(7): // Q_QUOTAOFF, Q_SYNC, Q_XQUOTASYNC
			return 2
		}
		return 3
	}
}

// printQcmd prints a qcmd as strace's print_qcmd.
func printQcmd(p *printer, q uint64) {
	p.whole(func() { p.u(q) }, func() {
		p.s("QCMD(")
		xlatOrUnknown(p, q>>8, quotaCmdsTab, "Q_???")
		p.s(", ")
		xlatOrUnknown(p, q&0xff, quotaTypes, "???QUOTA")
		p.c(')')
	})
}

// quotaTail prints what follows the command (id in argument 2, data in
// 3): Q_QUOTAON's format and path, the quota calls' id and data, or the
// data alone.
func quotaTail(at int) kind {
	return newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) {
		id, data := uint64(uint32(c.Args[2])), c.Args[3]
		switch cmd := quotaCmd(c, at); cmd {
		case qQuotaOn:
			xlatOrUnknown(p, id, quotaFormats, "QFMT_VFS_???")
			p.s(", ")
			fmtStr(p, c, 3)
		case qGetFmt:
			b := capturedOut(c, 3, 4)
			if b == nil {
				p.ptr(data)
				return
			}
			p.c('[')
			xlatOrUnknown(p, uint64(le.Uint32(b)), quotaFormats, "QFMT_VFS_???")
			p.c(']')
		case qGetInfo:
			quotaData(p, c, dqinfoSize, true, func(b []byte) { quotaStruct(p, b, dqinfoFields, -1) })
		case qSetInfo:
			quotaData(p, c, dqinfoSize, false, func(b []byte) { quotaStruct(p, b, dqinfoFields, -1) })
		case qXQuotaOn, qXQuotaOff, qXQuotaRm:
			tab, unk := xfsQuotaFlags, "FS_QUOTA_???"
			if cmd == qXQuotaRm {
				tab, unk = xfsDqblkFlags, "FS_???_QUOTA"
			}
			quotaData(p, c, 4, false, func(b []byte) {
				p.c('[')
				flagsOrUnknown(p, uint64(le.Uint32(b)), tab, "", unk)
				p.c(']')
			})
		case qXGetQStat:
			quotaData(p, c, xfsQStatSize, true, func(b []byte) { xfsQStat(p, b) })
		case qXGetQStatV:
			quotaData(p, c, xfsQStatVSize, true, func(b []byte) { xfsQStatV(p, b) })
		case newQcmd(3), newQcmd(1), xqmQcmd(7):
			// Q_QUOTAOFF, Q_SYNC, Q_XQUOTASYNC: nothing (quotaNargs).
		default: // the quota calls, and any other command: id and data
			if int32(id) == -1 {
				p.s("-1")
			} else {
				p.u(id)
			}
			p.s(", ")
			switch cmd {
			case qGetQuota:
				quotaData(p, c, dqblkSize, true, func(b []byte) { quotaStruct(p, b, dqblkFields, 6) })
			case qSetQuota:
				quotaData(p, c, dqblkSize, false, func(b []byte) { quotaStruct(p, b, dqblkFields, 6) })
			case qGetNextQuota:
				quotaData(p, c, nextDqblkSize, true, func(b []byte) { nextDqblk(p, b) })
			case qXGetQuota, qXGetNextQuota:
				quotaData(p, c, xfsDqblkSize, true, func(b []byte) { quotaStruct(p, b, xfsDqblkFields, 10) })
			case qXSetQLim:
				quotaData(p, c, xfsDqblkSize, false, func(b []byte) { quotaStruct(p, b, xfsDqblkFields, 10) })
			default:
				p.ptr(data)
			}
		}
	}})
}

// quotaData prints the data (argument 3), a struct of size bytes the call
// fills (out: shown only when it succeeded) or is given, with pr; else
// its address, as strace's umove_or_printaddr.
func quotaData(p *printer, c *Call, size int, out bool, pr func(b []byte)) {
	var b []byte
	if out {
		b = capturedOut(c, 3, size)
	} else {
		b = capturedIn(c, 3, size)
	}
	if b == nil || !p.verbose() {
		p.ptr(c.Args[3])
		return
	}
	pr(b)
}

var (
	kQcmd = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { printQcmd(p, uint64(uint32(c.Args[i]))) }})
	// kQuotaData captures by command (quotaCases), for quotaTail to print.
	kQuotaData   = newKind(kindInfo{out: true, fmt: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }})
	kQuotaTail   = quotaTail(0)
	kQuotaFdTail = quotaTail(1)
)

func init() {
	registerSigs(map[string]sig{
		"quotactl": {args: []kind{kQcmd, kPath, kQuotaTail, kQuotaData}, nargs: quotaNargs(0), class: ClassFile,
			sel: &selector{arg: 0, shift: 8, mask: 0xffffff, cases: quotaCases}},
		"quotactl_fd": {args: []kind{kFd, kQcmd, kQuotaFdTail, kQuotaData}, nargs: quotaNargs(1), class: ClassDesc,
			sel: &selector{arg: 1, shift: 8, mask: 0xffffff, cases: quotaCases}},
	})
}
