package strace

// quotactl and quotactl_fd, as strace's quota.c prints them: the command
// as QCMD(Q_..., ...QUOTA), then what the command takes. Of the data, only
// Q_GETFMT's format is decoded: the other commands' structs (and
// Q_QUOTAON's path) would need a capture that depends on the command,
// which the capture plans cannot express; their data prints as an address.

func oldQcmd(x uint64) uint64 { return x << 8 }
func newQcmd(x uint64) uint64 { return x | 0x800000 }
func xqmQcmd(x uint64) uint64 { return 'X'<<8 + x }

var (
	qGetFmt      = newQcmd(4)
	qQuotaOn     = newQcmd(2)
	quotaCmdsTab = []flag{
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
	quotaTypes   = []flag{{0, "USRQUOTA"}, {1, "GRPQUOTA"}, {2, "PRJQUOTA"}}
	quotaFormats = []flag{{1, "QFMT_VFS_OLD"}, {2, "QFMT_VFS_V0"}, {3, "QFMT_OCFS2"}, {4, "QFMT_VFS_V1"}}
)

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
			p.ptr(data)
		case qGetFmt:
			b := capturedOut(c, 3, 4)
			if b == nil {
				p.ptr(data)
				return
			}
			p.c('[')
			xlatOrUnknown(p, uint64(le.Uint32(b)), quotaFormats, "QFMT_VFS_???")
			p.c(']')
		case newQcmd(5), newQcmd(6), xqmQcmd(1), xqmQcmd(2), xqmQcmd(5), xqmQcmd(6), xqmQcmd(8):
			// Q_GETINFO, Q_SETINFO, Q_XQUOTAON, Q_XQUOTAOFF, Q_XGETQSTAT,
			// Q_XQUOTARM, Q_XGETQSTATV: the data alone.
			p.ptr(data)
		default: // the quota calls, and any other command: id and data
			if int32(id) == -1 {
				p.s("-1")
			} else {
				p.u(id)
			}
			p.s(", ")
			p.ptr(data)
		}
	}})
}

var (
	kQcmd = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { printQcmd(p, uint64(uint32(c.Args[i]))) }})
	// kQuotaData only captures Q_GETFMT's format, which quotaTail prints.
	kQuotaData   = newKind(kindInfo{out: true, cap: capOut(4), fmt: func(p *printer, c *Call, i int) { p.ptr(c.Args[i]) }})
	kQuotaTail   = quotaTail(0)
	kQuotaFdTail = quotaTail(1)
)

func init() {
	registerSigs(map[string]sig{
		"quotactl":    {args: []kind{kQcmd, kPath, kQuotaTail, kQuotaData}, nargs: quotaNargs(0), class: ClassFile},
		"quotactl_fd": {args: []kind{kFd, kQcmd, kQuotaFdTail, kQuotaData}, nargs: quotaNargs(1), class: ClassDesc},
	})
}
