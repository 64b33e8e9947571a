package strace

import (
	"time"

	"github.com/eproc/eproc/loader/wire"
)

// Modes.

const (
	sIFMT  = 0o170000
	sISUID = 0o4000
	sISGID = 0o2000
	sISVTX = 0o1000
)

var modeTypes = []flag{
	{0o100000, "S_IFREG"}, {0o140000, "S_IFSOCK"}, {0o010000, "S_IFIFO"}, {0o120000, "S_IFLNK"},
	{0o040000, "S_IFDIR"}, {0o060000, "S_IFBLK"}, {0o020000, "S_IFCHR"},
}

// symbolicMode prints a mode with its file type, as strace's
// print_symbolic_mode_t: S_IFREG|S_ISUID|0755.
func symbolicMode(p *printer, m uint64) {
	if t := m & sIFMT; t != 0 && lookupName(t, modeTypes) == "" {
		octalMode(p, m)
		return
	}
	p.whole(func() { octalMode(p, m) }, func() { symbolicModeAbbrev(p, m) })
}

func symbolicModeAbbrev(p *printer, m uint64) {
	if t := m & sIFMT; t != 0 {
		p.xlat(t, modeTypes, "")
		p.c('|')
	}
	if m&sISUID != 0 {
		p.s("S_ISUID|")
	}
	if m&sISGID != 0 {
		p.s("S_ISGID|")
	}
	if m&sISVTX != 0 {
		p.s("S_ISVTX|")
	}
	octalMode(p, m&^(sIFMT|sISUID|sISGID|sISVTX))
}

// makedev prints a device number: makedev(0x1, 0x3).
func makedev(p *printer, dev uint64) {
	p.whole(func() { hexOrZero(p, dev) }, func() { makedevAbbrev(p, dev) })
}

func makedevAbbrev(p *printer, dev uint64) {
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | uint64(uint32(dev>>12))&^0xff // glibc's minor(): unsigned int
	p.s("makedev(")
	hexOrZero(p, major)
	p.s(", ")
	hexOrZero(p, minor)
	p.c(')')
}

// *at flags.

var atFlags = []flag{
	{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
	{0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
}

var statxSyncTypes = []flag{{0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"}}

var faccessatFlags = []flag{{0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x1000, "AT_EMPTY_PATH"}}

func statxFlags(p *printer, v uint64) {
	p.flags(v&0x6000, statxSyncTypes, "AT_STATX_SYNC_AS_STAT")
	v &^= 0x6000
	if v != 0 {
		p.c('|')
		p.flags(v, atFlags, "")
	}
}

var accessModes = []flag{{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}}

// statfs.

var fsMagics = []flag{
	{0x0000002f, "QNX4_SUPER_MAGIC"}, {0x00000033, "Z3FOLD_MAGIC"}, {0x00000187, "AUTOFS_SUPER_MAGIC"},
	{0x00001373, "DEVFS_SUPER_MAGIC"}, {0x0000137d, "EXT_SUPER_MAGIC"}, {0x0000137f, "MINIX_SUPER_MAGIC"},
	{0x0000138f, "MINIX_SUPER_MAGIC2"}, {0x00001cd1, "DEVPTS_SUPER_MAGIC"}, {0x00002468, "MINIX2_SUPER_MAGIC"},
	{0x00002478, "MINIX2_SUPER_MAGIC2"}, {0x00003434, "NILFS_SUPER_MAGIC"}, {0x00004244, "HFS_SUPER_MAGIC"},
	{0x0000482b, "HFSPLUS_SUPER_MAGIC"}, {0x00004d44, "MSDOS_SUPER_MAGIC"}, {0x00004d5a, "MINIX3_SUPER_MAGIC"},
	{0x0000517b, "SMB_SUPER_MAGIC"}, {0x0000564c, "NCP_SUPER_MAGIC"}, {0x00005df5, "EXOFS_SUPER_MAGIC"},
	{0x00006969, "NFS_SUPER_MAGIC"}, {0x00007275, "ROMFS_MAGIC"}, {0x000072b6, "JFFS2_SUPER_MAGIC"},
	{0x00009660, "ISOFS_SUPER_MAGIC"}, {0x00009fa0, "PROC_SUPER_MAGIC"}, {0x00009fa1, "OPENPROM_SUPER_MAGIC"},
	{0x00009fa2, "USBDEVICE_SUPER_MAGIC"}, {0x0000adf5, "ADFS_SUPER_MAGIC"}, {0x0000adff, "AFFS_SUPER_MAGIC"},
	{0x0000ef51, "EXT2_OLD_SUPER_MAGIC"}, {0x0000ef53, "EXT2_SUPER_MAGIC"}, {0x0000f15f, "ECRYPTFS_SUPER_MAGIC"},
	{0x00011954, "UFS_MAGIC"}, {0x0027e0eb, "CGROUP_SUPER_MAGIC"}, {0x00414a53, "EFS_SUPER_MAGIC"},
	{0x00c0ffee, "HOSTFS_SUPER_MAGIC"}, {0x00c36400, "CEPH_SUPER_MAGIC"}, {0x01021994, "TMPFS_MAGIC"},
	{0x01021997, "V9FS_MAGIC"}, {0x01161970, "GFS2_MAGIC"}, {0x012fd16d, "XIAFS_SUPER_MAGIC"},
	{0x012ff7b4, "XENIX_SUPER_MAGIC"}, {0x012ff7b5, "SYSV4_SUPER_MAGIC"}, {0x012ff7b6, "SYSV2_SUPER_MAGIC"},
	{0x012ff7b7, "COH_SUPER_MAGIC"}, {0x02011994, "SHMFS_SUPER_MAGIC"}, {0x09041934, "ANON_INODE_FS_MAGIC"},
	{0x0bad1dea, "FUTEXFS_SUPER_MAGIC"}, {0x11307854, "MTD_INODE_FS_MAGIC"}, {0x13661366, "BALLOON_KVM_MAGIC"},
	{0x15013346, "UDF_SUPER_MAGIC"}, {0x1badface, "BFS_MAGIC"}, {0x2011bab0, "EXFAT_SUPER_MAGIC"},
	{0x24051905, "UBIFS_SUPER_MAGIC"}, {0x28cd3d45, "CRAMFS_MAGIC"}, {0x2fc12fc1, "ZFS_SUPER_MAGIC"},
	{0x3153464a, "JFS_SUPER_MAGIC"}, {0x42465331, "BEFS_SUPER_MAGIC"}, {0x42494e4d, "BINFMTFS_MAGIC"},
	{0x43415d53, "SMACK_MAGIC"}, {0x444d4142, "DMA_BUF_MAGIC"}, {0x453dcd28, "CRAMFS_MAGIC_WEND"},
	{0x454d444d, "DEVMEM_MAGIC"}, {0x47504653, "GPFS_SUPER_MAGIC"}, {0x50495045, "PIPEFS_MAGIC"},
	{0x52654973, "REISERFS_SUPER_MAGIC"}, {0x5345434d, "SECRETMEM_MAGIC"}, {0x5346414f, "AFS_SUPER_MAGIC"},
	{0x5346544e, "NTFS_SB_MAGIC"}, {0x534f434b, "SOCKFS_MAGIC"}, {0x54190100, "UFS_CIGAM"},
	{0x565a4653, "VZFS_SUPER_MAGIC"}, {0x57ac6e9d, "STACK_END_MAGIC"}, {0x58295829, "ZSMALLOC_MAGIC"},
	{0x58465342, "XFS_SUPER_MAGIC"}, {0x5a3c69f0, "AAFS_MAGIC"}, {0x5a4f4653, "ZONEFS_MAGIC"},
	{0x6165676c, "PSTOREFS_MAGIC"}, {0x61756673, "AUFS_SUPER_MAGIC"}, {0x62646576, "BDEVFS_MAGIC"},
	{0x62656570, "CONFIGFS_MAGIC"}, {0x62656572, "SYSFS_MAGIC"}, {0x63677270, "CGROUP2_SUPER_MAGIC"},
	{0x64626720, "DEBUGFS_MAGIC"}, {0x64646178, "DAXFS_MAGIC"}, {0x65735543, "FUSE_CTL_SUPER_MAGIC"},
	{0x65735546, "FUSE_SUPER_MAGIC"}, {0x68191122, "QNX6_SUPER_MAGIC"}, {0x6b414653, "AFS_FS_MAGIC"},
	{0x6c6f6f70, "BINDERFS_SUPER_MAGIC"}, {0x6e736673, "NSFS_MAGIC"}, {0x73636673, "SECURITYFS_MAGIC"},
	{0x73717368, "SQUASHFS_MAGIC"}, {0x73727279, "BTRFS_TEST_MAGIC"}, {0x73757245, "CODA_SUPER_MAGIC"},
	{0x7461636f, "OCFS2_SUPER_MAGIC"}, {0x74726163, "TRACEFS_MAGIC"}, {0x794c7630, "OVERLAYFS_SUPER_MAGIC"},
	{0x858458f6, "RAMFS_MAGIC"}, {0x9123683e, "BTRFS_SUPER_MAGIC"}, {0x958458f6, "HUGETLBFS_MAGIC"},
	{0xa501fcf5, "VXFS_SUPER_MAGIC"}, {0xabba1974, "XENFS_SUPER_MAGIC"}, {0xc7571590, "PPC_CMM_MAGIC"},
	{0xc97e8168, "LOGFS_MAGIC"}, {0xcafe4a11, "BPF_FS_MAGIC"}, {0xde5e81e4, "EFIVARFS_MAGIC"},
	{0xe0f5e1e2, "EROFS_SUPER_MAGIC_V1"}, {0xf2f52010, "F2FS_SUPER_MAGIC"}, {0xf97cff8c, "SELINUX_MAGIC"},
}

var statfsFlags = []flag{
	{0x0020, "ST_VALID"}, {0x0001, "ST_RDONLY"}, {0x0002, "ST_NOSUID"}, {0x0004, "ST_NODEV"},
	{0x0008, "ST_NOEXEC"}, {0x0010, "ST_SYNCHRONOUS"}, {0x0040, "ST_MANDLOCK"}, {0x0400, "ST_NOATIME"},
	{0x0800, "ST_NODIRATIME"}, {0x1000, "ST_RELATIME"}, {0x2000, "ST_NOSYMFOLLOW"},
}

// fmtStatfs prints a struct statfs (the same layout on amd64 and arm64).
func fmtStatfs(p *printer, c *Call, i int) {
	b := capturedOut(c, i, 120)
	if b == nil || !p.verbose() { // -e verbose=: umove_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	q := func(off int) uint64 { return le.Uint64(b[off:]) }
	p.s("{f_type=")
	xlatOrUnknown(p, q(0), fsMagics, "")
	p.s(", f_bsize=")
	p.d(int64(q(8)))
	for k, n := range []string{"f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"} {
		p.s(", ")
		p.s(n)
		p.c('=')
		p.u(q(16 + 8*k))
	}
	p.s(", f_fsid={val=[")
	hexOrZero(p, uint64(le.Uint32(b[56:])))
	p.s(", ")
	hexOrZero(p, uint64(le.Uint32(b[60:])))
	p.s("]}, f_namelen=")
	p.d(int64(q(64)))
	p.s(", f_frsize=")
	p.d(int64(q(72)))
	p.s(", f_flags=")
	flagsOrUnknown(p, q(80), statfsFlags, "", "ST_???")
	p.c('}')
}

// Kinds of the file family.
var (
	kStat           = newKind(kindInfo{out: true, cap: capOut(stLayout.size), fmt: fmtStat})
	kStatx          = newKind(kindInfo{out: true, cap: capOut(256), fmt: fmtStatx})
	kStatfs         = newKind(kindInfo{out: true, cap: capOut(120), fmt: fmtStatfs})
	kAtFlags        = flagsKind(atFlags, "AT_???")
	kFaccessatFlags = flagsKind(faccessatFlags, "AT_???")
	kStatxFlags     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { statxFlags(p, uint64(uint32(c.Args[i]))) }})
	kStatxMask      = flagsKind(statxMasks, "STATX_???")
	kAccessMode     = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) {
		flagsOrUnknown(p, uint64(uint32(c.Args[i])), accessModes, "F_OK", "?_OK")
	}})
	// kMode is a mode printed as strace's print_numeric_umode_t: cut to
	// an unsigned short, as %#03o.
	kMode = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { octalMode(p, uint64(uint16(c.Args[i]))) }})
	// kSymbolicMode is mknod's mode (an unsigned short): S_IFIFO|0644.
	kSymbolicMode = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { symbolicMode(p, uint64(uint16(c.Args[i]))) }})
	kDev          = newKind(kindInfo{fmt: func(p *printer, c *Call, i int) { makedev(p, uint64(uint32(c.Args[i]))) }})
	// kXattrVal is a value or name list the call filled, as long as its
	// result; with a size of 0 (a size query), the address.
	kXattrVal = newKind(kindInfo{out: true, cap: capBufOut, fmt: func(p *printer, c *Call, i int) {
		if c.Args[i+1] == 0 {
			p.ptr(c.Args[i])
			return
		}
		fmtBufOut(p, c, i)
	}})
	// kXattrIn is setxattr's value: the size argument follows.
	kXattrIn    = newKind(kindInfo{cap: capBufIn, fmt: fmtXattrIn})
	kXattrFlags = flagsKind([]flag{{1, "XATTR_CREATE"}, {2, "XATTR_REPLACE"}}, "XATTR_???")
	// kCwd is getcwd's buffer: the path, its length (with the NUL) the result.
	kCwd = newKind(kindInfo{out: true, cap: capRule{kind: wire.CKMem, sizeFrom: wire.SzRet, elem: 1, max: 4096, when: wire.CWOK},
		fmt: func(p *printer, c *Call, i int) {
			b := capturedOut(c, i, 0)
			if b == nil {
				p.ptr(c.Args[i])
				return
			}
			for k, ch := range b {
				if ch == 0 {
					b = b[:k]
					break
				}
			}
			p.quote(b, false)
		}})
	kRenameFlags = flagsKind([]flag{{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}}, "RENAME_???")
	kInotifyMask = flagsKind([]flag{
		{0x1, "IN_ACCESS"}, {0x2, "IN_MODIFY"}, {0x4, "IN_ATTRIB"}, {0x8, "IN_CLOSE_WRITE"},
		{0x10, "IN_CLOSE_NOWRITE"}, {0x20, "IN_OPEN"}, {0x40, "IN_MOVED_FROM"}, {0x80, "IN_MOVED_TO"},
		{0x100, "IN_CREATE"}, {0x200, "IN_DELETE"}, {0x400, "IN_DELETE_SELF"}, {0x800, "IN_MOVE_SELF"},
		{0x2000, "IN_UNMOUNT"}, {0x4000, "IN_Q_OVERFLOW"}, {0x8000, "IN_IGNORED"}, {0x1000000, "IN_ONLYDIR"},
		{0x2000000, "IN_DONT_FOLLOW"}, {0x4000000, "IN_EXCL_UNLINK"}, {0x10000000, "IN_MASK_CREATE"},
		{0x20000000, "IN_MASK_ADD"}, {0x40000000, "IN_ISDIR"}, {0x80000000, "IN_ONESHOT"},
	}, "IN_???")
	kUtimens = newKind(kindInfo{cap: capIn(32), fmt: fmtUtimens})
	kUtimes  = newKind(kindInfo{cap: capIn(32), fmt: fmtUtimes})
)

// xattrSizeMax is XATTR_SIZE_MAX: strace prints a longer value's address.
const xattrSizeMax = 65536

// fmtXattrIn prints setxattr's value as strace's print_xattr_val does
// (printstr_ex with QUOTE_OMIT_TRAILING_0): cut at -s, a NUL ending what
// is shown left out, and then no "..." even when cut.
func fmtXattrIn(p *printer, c *Call, i int) {
	n := c.Args[i+1]
	if n > xattrSizeMax || c.Args[i] == 0 {
		p.ptr(c.Args[i])
		return
	}
	var show []byte
	if n > 0 {
		cp := c.Cap(i, 0)
		if cp == nil || cp.Fault() {
			p.ptr(c.Args[i])
			return
		}
		show = cp.Data
	}
	if len(show) > p.strsize {
		show = show[:p.strsize]
	}
	if k := len(show); k > 0 && show[k-1] == 0 {
		p.quote(show[:k-1], false)
		return
	}
	p.quote(show, n > uint64(p.strsize))
}

// fmtUtimens prints utimensat's times: NULL, [UTIME_NOW, UTIME_OMIT], or
// two timespecs with their dates (tv_nsec unsigned, as strace prints it).
func fmtUtimens(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 32)
	if b == nil || !p.verbose() { // -e verbose=: umove_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	for k := 0; k < 2; k++ {
		if k > 0 {
			p.s(", ")
		}
		sec, nsec := int64(le.Uint64(b[16*k:])), le.Uint64(b[16*k+8:])
		special := ""
		switch nsec {
		case (1 << 30) - 1:
			special = "UTIME_NOW"
		case (1 << 30) - 2:
			special = "UTIME_OMIT"
		}
		if special != "" && p.style == ConstAbbrev {
			p.s(special)
			continue
		}
		p.s("{tv_sec=")
		p.d(sec)
		p.s(", tv_nsec=")
		p.u(nsec)
		p.c('}')
		switch {
		case special == "":
			timeComment(p, sec, nsec, 999999999, 9)
		case p.style == ConstVerbose:
			p.comment(special)
		}
	}
	p.c(']')
}

// fmtUtimes prints utimes' and futimesat's two timevals with their dates
// (tv_usec unsigned, as strace prints it).
func fmtUtimes(p *printer, c *Call, i int) {
	b := capturedIn(c, i, 32)
	if b == nil || !p.verbose() { // -e verbose=: umove_or_printaddr
		p.ptr(c.Args[i])
		return
	}
	p.c('[')
	for k := 0; k < 2; k++ {
		if k > 0 {
			p.s(", ")
		}
		sec, usec := int64(le.Uint64(b[16*k:])), le.Uint64(b[16*k+8:])
		p.s("{tv_sec=")
		p.d(sec)
		p.s(", tv_usec=")
		p.u(usec)
		p.c('}')
		timeComment(p, sec, usec, 999999, 6)
	}
	p.c(']')
}

// timeComment prints the date comment strace's sprinttime_ex makes for
// sec and a fraction part of width digits: none for a zero time, for a
// fraction over max, or for a time localtime cannot express (a year out
// of int's range).
func timeComment(p *printer, sec int64, part, max uint64, width int) {
	if sec == 0 && part == 0 || part > max {
		return
	}
	const lim = 1 << 56 // well past int's years, well short of time's overflow
	if sec > lim || sec < -lim {
		return
	}
	t := time.Unix(sec, 0)
	if y := int64(t.Year()) - 1900; y != int64(int32(y)) {
		return
	}
	p.s(" /* ")
	p.b = t.AppendFormat(p.b, "2006-01-02T15:04:05")
	if part > 0 {
		p.c('.')
		zeroPadded(p, int64(part), width)
	}
	p.b = t.AppendFormat(p.b, "-0700")
	p.s(" */")
}

func mknodNargs(modeArg int) func(c *Call) int {
	return func(c *Call) int {
		if t := uint64(uint16(c.Args[modeArg])) & sIFMT; t == 0o020000 || t == 0o060000 {
			return modeArg + 2
		}
		return modeArg + 1
	}
}

func init() {
	const (
		F    = ClassFile
		D    = ClassDesc
		DF   = ClassDesc | ClassFile
		stat = ClassFile | ClassStat
	)
	registerSigs(map[string]sig{
		"stat":       {args: []kind{kPath, kStat}, class: stat},
		"lstat":      {args: []kind{kPath, kStat}, class: F | ClassLstat},
		"fstat":      {args: []kind{kFd, kStat}, class: D | ClassFstat},
		"newfstatat": {args: []kind{kDirfd, kPath, kStat, kAtFlags}, class: DF | ClassFstat},
		"fstatat64":  {args: []kind{kDirfd, kPath, kStat, kAtFlags}, class: DF | ClassFstat},
		"statx":      {args: []kind{kDirfd, kPath, kStatxFlags, kStatxMask, kStatx}, class: DF | ClassFstat},
		"statfs":     {args: []kind{kPath, kStatfs}, class: F | ClassStatfs},
		"fstatfs":    {args: []kind{kFd, kStatfs}, class: D | ClassFstatfs},

		"access":     {args: []kind{kPath, kAccessMode}, class: F},
		"faccessat":  {args: []kind{kDirfd, kPath, kAccessMode}, class: DF},
		"faccessat2": {args: []kind{kDirfd, kPath, kAccessMode, kFaccessatFlags}, class: DF},

		"getxattr":     {args: []kind{kPath, kStr, kXattrVal, kUlong}, class: F},
		"lgetxattr":    {args: []kind{kPath, kStr, kXattrVal, kUlong}, class: F},
		"fgetxattr":    {args: []kind{kFd, kStr, kXattrVal, kUlong}, class: D},
		"listxattr":    {args: []kind{kPath, kXattrVal, kUlong}, class: F},
		"llistxattr":   {args: []kind{kPath, kXattrVal, kUlong}, class: F},
		"flistxattr":   {args: []kind{kFd, kXattrVal, kUlong}, class: D},
		"setxattr":     {args: []kind{kPath, kStr, kXattrIn, kUlong, kXattrFlags}, class: F},
		"lsetxattr":    {args: []kind{kPath, kStr, kXattrIn, kUlong, kXattrFlags}, class: F},
		"fsetxattr":    {args: []kind{kFd, kStr, kXattrIn, kUlong, kXattrFlags}, class: D},
		"removexattr":  {args: []kind{kPath, kStr}, class: F},
		"lremovexattr": {args: []kind{kPath, kStr}, class: F},
		"fremovexattr": {args: []kind{kFd, kStr}, class: D},

		"getcwd":     {args: []kind{kCwd, kUlong}, class: F},
		"chdir":      {args: []kind{kPath}, class: F},
		"fchdir":     {args: []kind{kFd}, class: D},
		"chroot":     {args: []kind{kPath}, class: F},
		"readlink":   {args: []kind{kPath, kBufOut, kUlong}, class: F},
		"readlinkat": {args: []kind{kDirfd, kPath, kBufOut, kUlong}, class: DF},
		"unlink":     {args: []kind{kPath}, class: F},
		"unlinkat":   {args: []kind{kDirfd, kPath, kAtFlags}, class: DF},
		"rmdir":      {args: []kind{kPath}, class: F},
		"mkdir":      {args: []kind{kPath, kMode}, class: F},
		"mkdirat":    {args: []kind{kDirfd, kPath, kMode}, class: DF},
		"rename":     {args: []kind{kPath, kPath}, class: F},
		"renameat":   {args: []kind{kDirfd, kPath, kDirfd, kPath}, class: DF},
		"renameat2":  {args: []kind{kDirfd, kPath, kDirfd, kPath, kRenameFlags}, class: DF},
		"link":       {args: []kind{kPath, kPath}, class: F},
		"linkat":     {args: []kind{kDirfd, kPath, kDirfd, kPath, kAtFlags}, class: DF},
		"symlink":    {args: []kind{kPath, kPath}, class: F},
		"symlinkat":  {args: []kind{kPath, kDirfd, kPath}, class: DF},
		"chmod":      {args: []kind{kPath, kMode}, class: F},
		"fchmod":     {args: []kind{kFd, kMode}, class: D},
		"fchmodat":   {args: []kind{kDirfd, kPath, kMode}, class: DF},
		"chown":      {args: []kind{kPath, kID, kID}, class: F},
		"lchown":     {args: []kind{kPath, kID, kID}, class: F},
		"fchown":     {args: []kind{kFd, kID, kID}, class: D},
		"fchownat":   {args: []kind{kDirfd, kPath, kID, kID, kAtFlags}, class: DF},
		"truncate":   {args: []kind{kPath, kLong}, class: F},
		"mknod":      {args: []kind{kPath, kSymbolicMode, kDev}, nargs: mknodNargs(1), class: F},
		"mknodat":    {args: []kind{kDirfd, kPath, kSymbolicMode, kDev}, nargs: mknodNargs(2), class: DF},
		"utimensat":  {args: []kind{kDirfd, kPath, kUtimens, kAtFlags}, class: DF},
		"utimes":     {args: []kind{kPath, kUtimes}, class: F},
		"futimesat":  {args: []kind{kDirfd, kPath, kUtimes}, class: DF},
		"umask":      {args: []kind{kMode}, ret: func(p *printer, c *Call) { octalMode(p, uint64(c.Ret)) }},

		"inotify_add_watch": {args: []kind{kFd, kPath, kInotifyMask}, class: DF},
		"inotify_rm_watch":  {args: []kind{kFd, kInt}, class: D},
	})
}
